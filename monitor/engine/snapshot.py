"""Engine state as plain JSON-ready data, so a reconnect or restart resumes where the stream stopped.

The snapshot holds only state (filters, decision layer, slouch tracking, totals), never settings or
calibration: those are given again on restore and must be the ones the snapshot was made with.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import numpy as np

from monitor.errors import InputError

if TYPE_CHECKING:
    from monitor.engine.engine import PostureEngine

VERSION = 7  # 2: filter states per channel row; 3: the walking reference and an adopted calibration;
# 4: lift in the tick history; 5: no sitting bout (the coach keeps the one bout); 6: upright sitting;
# 7: a pending adoption
_ENGINE_FIELDS = ("n_samples", "last_t", "lying_cls", "slouch_now", "last_code", "time_s", "pending")


def _arr(x: Any) -> dict[str, Any]:
    a = np.asarray(x)
    return {"shape": list(a.shape), "data": a.ravel().tolist()}


def _unarr(d: dict[str, Any]) -> np.ndarray:
    return np.asarray(d["data"], np.float64).reshape(d["shape"])


def snapshot(engine: PostureEngine) -> dict[str, Any]:
    """Everything needed to continue the stream exactly where it stopped."""
    m, zi = engine.machine, engine.features.zi
    return {
        "version": VERSION, "rate_hz": engine.rate_hz,
        "engine": {k: getattr(engine, k) for k in _ENGINE_FIELDS},
        "filters": None if zi is None else {k: _arr(v) for k, v in zi.items()},
        "machine": dataclasses.asdict(m.st),
        "history": {"first": m.hist.first,
                    **{k: _arr(row) for k, row in zip(m.hist.ROWS, m.hist.rows, strict=True)}},
        "tracker": dataclasses.asdict(engine.tracker.st),
        "upright": dataclasses.asdict(engine.upright.st),
        "reference": _reference(engine),
    }


def _reference(engine: PostureEngine) -> dict[str, Any]:
    ref = engine.ref
    vec = {k: None if getattr(ref, k) is None else getattr(ref, k).tolist()
           for k in ("walk_up", "sit_dir", "stand_up")}
    return {"run": dataclasses.asdict(ref.run), "code": ref.code, "drifted": ref.drifted,
            "sit_like_now": ref.sit_like_now, "has_up": ref.has_up,
            "calibrated": ref.calibrated, **vec, "auto_source": engine.auto_source,
            "adopted": engine.cal.to_dict() if engine.adopted else None}


def _restore_reference(engine: PostureEngine, d: dict[str, Any]) -> None:
    from monitor.engine.calibration import Calibration

    if d["adopted"] is not None:
        engine.use(Calibration.from_dict(d["adopted"]))
        engine.adopted = True
    engine.auto_source = d["auto_source"]
    ref = engine.ref
    ref.run = type(ref.run)(d["run"]["n"], tuple(d["run"]["acc_sum"]), d["run"]["judged"])
    ref.code, ref.drifted, ref.calibrated = d["code"], d["drifted"], d["calibrated"]
    ref.sit_like_now, ref.has_up = d["sit_like_now"], d["has_up"]
    for k in ("walk_up", "sit_dir", "stand_up"):
        setattr(ref, k, None if d[k] is None else np.asarray(d[k], np.float64))


def restore(engine: PostureEngine, snap: dict[str, Any]) -> None:
    """Load a snapshot into a freshly built engine (same rate, settings and calibration)."""
    if snap.get("version") != VERSION:
        raise InputError(f"engine snapshot: version {snap.get('version')!r} is not {VERSION}")
    if snap.get("rate_hz") != engine.rate_hz:
        raise InputError(f"engine snapshot: rate_hz {snap.get('rate_hz')!r} is not {engine.rate_hz}")
    for k in _ENGINE_FIELDS:
        setattr(engine, k, snap["engine"][k])
    _restore_reference(engine, snap["reference"])  # first: an adopted calibration restarts the filters
    f = snap["filters"]
    engine.features.zi = None if f is None else {k: _unarr(v) for k, v in f.items()}
    st = snap["machine"]
    st["changes"] = [tuple(c) for c in st["changes"]]
    engine.machine.st = type(engine.machine.st)(**st)
    h = engine.machine.hist
    hist = snap["history"]
    h.first = hist["first"]
    h.rows = np.stack([_unarr(hist[k]) for k in h.ROWS])
    engine.tracker.st = type(engine.tracker.st)(**snap["tracker"])
    engine.upright.st = type(engine.upright.st)(**snap["upright"])
