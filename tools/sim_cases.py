"""Baselines of the current posture engine on the simulator's scenario cases (monitor.sim.scenarios):
short sits, sit/stand transitions per chair x speed x age, bends while standing, getting in and out of a
car, a standing day and an office day. Each case is calibrated from its own truth (`--calibration`:
stand+sit = the prelude's stand and sit, stand = up only, none = uncalibrated) and run through
`PostureEngine`; transitions match labels as monitor.evaluation.scoring.match does (event time in
[label start - 1 s, label end + 2 s]).

`python tools/sim_cases.py [--rate 200] [--calibration stand] [--json]`
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitor.engine import POSTURES, PostureEngine
from monitor.evaluation.scoring import match
from monitor.events import Transition
from monitor.labels import CODES
from monitor.sim import scenarios
from monitor.sim.cases import Case, CaseRun

SITTING = POSTURES.index("sitting")
KINDS = ("stand_to_sit", "sit_to_stand")
AFTER_SIT_S = 3.0  # a short sit counts as seen if sitting is reported until this long after it


@dataclass
class Outcome:
    """A case run through the engine: per-sample posture and the transition events."""

    run: CaseRun
    posture: NDArray[np.int8]
    events: list[Transition]

    def times(self, kind: str, from_s: float = -np.inf, to_s: float = np.inf) -> list[float]:
        return [e.t_s for e in self.events if e.kind == kind and from_s <= e.t_s <= to_s]

    def sat(self, start_s: float, end_s: float) -> bool:
        """Sitting reported at any sample in [start_s, end_s]."""
        t = self.run.block.t_s
        return bool(np.any(self.posture[(t >= start_s) & (t <= end_s)] == SITTING))


def evaluate(case: Case, mode: str, chunk_s: float) -> Outcome:
    run = case.run()
    engine = PostureEngine(case.rate_hz, run.calibration(mode))
    blocks = run.blocks(chunk_s) if chunk_s > 0 else iter([run.block])
    postures, events = [], []
    for b in blocks:
        events += [e for e in engine.update(b) if isinstance(e, Transition)]
        assert engine.estimates is not None
        postures.append(engine.estimates.posture)
    return Outcome(run, np.concatenate(postures), events)


def _pct(hits: int, n: int) -> float | None:
    return round(100.0 * hits / n, 1) if n else None


def _f1(tp: int, fp: int, fn: int) -> dict[str, Any]:
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
    return {"f1": None if f1 is None else round(f1, 3), "tp": tp, "fp": fp, "fn": fn}


def transition_counts(o: Outcome, kind: str) -> list[int]:
    """[tp, fp, fn] of `kind` after the prelude."""
    r, code = o.run, CODES[kind]
    segs = [(float(s), float(e)) for s, e, c in zip(r.labels.start_s, r.labels.end_s, r.labels.code,
                                                    strict=True) if c == code and s >= r.scored_from_s]
    times = o.times(kind, r.scored_from_s)
    hits = match(times, segs)
    return [hits, len(times) - hits, len(segs) - hits]


def by_group(outs: Iterable[Outcome], keys: tuple[str, ...]) -> dict[str, list[Outcome]]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in outs:
        groups["/".join(o.run.case.group[k] for k in keys)].append(o)
    return dict(groups)


def short_sit_figures(outs: list[Outcome]) -> dict[str, Any]:
    """% of short sits with sitting reported from the seat's start to 3 s after it, and with a
    stand_to_sit found, per age/speed and per chair."""
    def fig(group: list[Outcome]) -> dict[str, Any]:
        seats = [s for o in group for i in o.run.case.items for s in o.run.spans_s(i, "sitting")]
        seen = sum(o.sat(s, e + AFTER_SIT_S) for o, (s, e) in zip(group, seats, strict=True))
        found = sum(transition_counts(o, "stand_to_sit")[0] for o in group)
        return {"n": len(group), "sitting_seen_pct": _pct(seen, len(group)),
                "stand_to_sit_found_pct": _pct(found, len(group))}
    out = {"all": fig(outs)}
    for keys in (("age", "speed"), ("chair",)):
        out |= {k: fig(g) for k, g in sorted(by_group(outs, keys).items())}
    return out


def transition_figures(outs: list[Outcome]) -> dict[str, Any]:
    """stand_to_sit and sit_to_stand F1 per chair/speed/age, per chair, per speed, per age, overall."""
    def fig(group: list[Outcome]) -> dict[str, Any]:
        tot = {k: np.sum([transition_counts(o, k) for o in group], axis=0).tolist() for k in KINDS}
        return {"n": len(group), **{k: _f1(*v) for k, v in tot.items()}}
    out = {"all": fig(outs)}
    for keys in (("chair", "speed", "age"), ("chair",), ("speed",), ("age",)):
        out |= {k: fig(g) for k, g in sorted(by_group(outs, keys).items())}
    return out


def bend_figures(outs: list[Outcome]) -> dict[str, Any]:
    """% of bends with a false stand_to_sit (any after the prelude) and with sitting reported during
    the bend or up to 3 s after it, per style/age."""
    def fig(group: list[Outcome]) -> dict[str, Any]:
        false_sit = sum(bool(o.times("stand_to_sit", o.run.scored_from_s)) for o in group)
        spans = [o.run.item_span_s(o.run.case.items[0]) for o in group]
        sat = sum(o.sat(s, e + AFTER_SIT_S) for o, (s, e) in zip(group, spans, strict=True))
        return {"n": len(group), "false_stand_to_sit_pct": _pct(false_sit, len(group)),
                "sitting_reported_pct": _pct(sat, len(group))}
    out = {"all": fig(outs)}
    for keys in (("style", "age"), ("style",)):
        out |= {k: fig(g) for k, g in sorted(by_group(outs, keys).items())}
    return out


def car_figures(outs: list[Outcome]) -> dict[str, Any]:
    """Getting in found (a stand_to_sit matching it), getting out found (sit_to_stand), per age."""
    def fig(group: list[Outcome]) -> dict[str, Any]:
        s2s = np.sum([transition_counts(o, "stand_to_sit") for o in group], axis=0).tolist()
        up = np.sum([transition_counts(o, "sit_to_stand") for o in group], axis=0).tolist()
        seat = [o.run.item_span_s(o.run.case.item("car_seat")) for o in group]
        seen = sum(o.sat(s + 1.5, e) for o, (s, e) in zip(group, seat, strict=True))
        return {"n": len(group), "car_in_found_pct": _pct(s2s[0], len(group)),
                "car_out_found_pct": _pct(up[0], len(group)), "false_transitions": s2s[1] + up[1],
                "sitting_seen_pct": _pct(seen, len(group))}
    return {"all": fig(outs)} | {k: fig(g) for k, g in sorted(by_group(outs, ("age",)).items())}


def day_figures(o: Outcome) -> dict[str, Any]:
    """Transition F1 and the share of each labelled posture reported as itself (1.5 s after its start)."""
    r = o.run
    t, hours = r.block.t_s, (r.block.t_s[-1] - r.scored_from_s) / 3600
    out: dict[str, Any] = {"hours": round(float(hours), 2)}
    out |= {k: _f1(*transition_counts(o, k)) for k in KINDS}
    settled = np.zeros(len(t), bool)
    for s, e in zip(r.labels.start_s, r.labels.end_s, strict=True):
        settled |= (t >= max(s + 1.5, r.scored_from_s)) & (t <= e)
    for name in ("sitting", "standing"):
        m = settled & (r.code == CODES[name])
        out[f"{name}_recall_pct"] = _pct(int(np.sum(o.posture[m] == POSTURES.index(name))), int(m.sum()))
    up = settled & (r.code == CODES["standing"])
    out["standing_as_sitting_pct"] = _pct(int(np.sum(o.posture[up] == SITTING)), int(up.sum()))
    out["false_stand_to_sit_per_h"] = round(out["stand_to_sit"]["fp"] / hours, 2) if hours else None
    return out


def _cell(v: Any) -> str:
    if isinstance(v, dict):  # an F1 with its counts
        f1 = "-" if v["f1"] is None else f"{v['f1']:.2f}"
        return f"{f1} ({v['tp']}/{v['fp']}/{v['fn']})"
    return "-" if v is None else f"{v:g}" if isinstance(v, float) else str(v)


def table(title: str, figs: dict[str, Any], cols: tuple[str, ...]) -> str:
    """Rows of `figs` (one per group) with the `cols` figures; F1 cells as `f1 (tp/fp/fn)`."""
    rows = [["group", *cols]] + [[k] + [_cell(v.get(c)) for c in cols] for k, v in figs.items()]
    widths = [max(len(r[i]) for r in rows) for i in range(len(cols) + 1)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join([f"== {title}", *lines])


def families(a: argparse.Namespace) -> dict[str, list[Case]]:
    """The cases asked for, at the chosen rate and seed."""
    s, r = a.seed, a.rate
    out = {"short_sits": scenarios.short_sits(s, a.short_sits, r),
           "chair_transitions": scenarios.chair_transitions(s, a.repeats, r),
           "bends": scenarios.bends(s, a.bends, r), "car": scenarios.car(s, a.cars, r),
           "standing_day": [scenarios.standing_day(s, a.hours, r)],
           "office_day": [scenarios.office_day(s, a.hours, r)]}
    return {k: v for k, v in out.items() if not a.only or k in a.only}


FIGURES = {"short_sits": short_sit_figures, "chair_transitions": transition_figures,
           "bends": bend_figures, "car": car_figures}
COLUMNS = {"short_sits": ("n", "sitting_seen_pct", "stand_to_sit_found_pct"),
           "chair_transitions": ("n", "stand_to_sit", "sit_to_stand"),
           "bends": ("n", "false_stand_to_sit_pct", "sitting_reported_pct"),
           "car": ("n", "car_in_found_pct", "car_out_found_pct", "false_transitions", "sitting_seen_pct"),
           "days": ("hours", "stand_to_sit", "sit_to_stand", "sitting_recall_pct", "standing_recall_pct",
                    "standing_as_sitting_pct", "false_stand_to_sit_per_h")}


def figures(a: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {"rate_hz": a.rate, "calibration": a.calibration, "seed": a.seed}
    days: dict[str, Any] = {}
    for name, cases in families(a).items():
        outs = [evaluate(c, a.calibration, a.chunk_s) for c in cases]
        if name in FIGURES:
            out[name] = FIGURES[name](outs)
        else:
            days[name] = day_figures(outs[0])
    if days:
        out["days"] = days
    return out


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rate", type=float, default=50.0, metavar="HZ")
    p.add_argument("--calibration", choices=("stand+sit", "stand", "none"), default="stand+sit")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--short-sits", type=int, default=200, metavar="N")
    p.add_argument("--repeats", type=int, default=4, help="cases per chair x speed x age")
    p.add_argument("--bends", type=int, default=80, metavar="N")
    p.add_argument("--cars", type=int, default=30, metavar="N")
    p.add_argument("--hours", type=float, default=2.0, help="length of the standing and office days")
    p.add_argument("--chunk-s", type=float, default=1.0,
                   help="feed blocks of this length, as a live stream does (0: each case in one block)")
    p.add_argument("--only", nargs="*", choices=(*FIGURES, "standing_day", "office_day"), default=[])
    p.add_argument("--json", action="store_true")
    return p.parse_args(argv)


def main(argv: list[str]) -> None:
    a = parse(argv)
    out = figures(a)
    if a.json:
        print(json.dumps(out, indent=1))
        return
    print(f"engine on simulated cases: {a.rate:g} Hz, calibration {a.calibration}, seed {a.seed}")
    for name in (*FIGURES, "days"):
        if name in out:
            print(table(name, out[name], COLUMNS[name]))


if __name__ == "__main__":
    main(sys.argv[1:])
