"""Engine settings compared on the same recordings (`posture-monitor compare`): each settings file's
evaluate report (monitor/evaluation/report.py) side by side, every pooled figure's difference against
the first file (B - A, C - A, ...), and per recording the headline figures and their deltas, the
biggest change first. Differences are taken of the reported (rounded) figures, so they are exactly
what two separate `evaluate` runs would show."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor import config
from monitor.engine import EngineSettings
from monitor.errors import InputError

# Keys of the config file that reach EngineSettings besides the tuning fields (config.tuning()).
ENGINE_KEYS = ("engine.slouch_threshold_deg", "engine.slouch_dwell_s")
# Per recording: headline name -> where it is in a report row. Fractions 0..1 except the last (%).
HEADLINE: dict[str, tuple[str, ...]] = {
    "balanced_accuracy": ("static", "balanced_accuracy"),
    "sitting": ("static", "recall", "sitting"),
    "standing": ("static", "recall", "standing"),
    "lying": ("static", "recall", "lying"),
    "walking_upright": ("walking_upright",),
    "stand_to_sit_f1": ("transitions", "stand_to_sit", "f1"),
    "sit_to_stand_f1": ("transitions", "sit_to_stand", "f1"),
    "slouch_f1": ("slouch", "episodes", "f1"),
    "sitting_time_error_pct": ("bouts", "sitting_time_s", "error_pct"),
}
PERCENT = "sitting_time_error_pct"
NOT_POOLED = ("calibration", "per_recording", "per_subject")


@dataclass(frozen=True)
class SettingsFile:
    """One side of the comparison: its label (A, B, ...), file, the engine settings it gives, the
    fields that differ from the engine's defaults, and the keys it set that the engine never sees
    (coach, mqtt, ...: accepted, but they change no figure here)."""

    label: str
    path: Path
    settings: EngineSettings
    changed: dict[str, float | bool]
    inert: tuple[str, ...]
    notices: tuple[str, ...] = ()

    def figures(self) -> dict[str, Any]:
        return {"label": self.label, "file": str(self.path), "engine_changed": self.changed,
                "inert": list(self.inert)}


def label(i: int) -> str:
    """A, B, ..., Z, then S27, S28, ..."""
    return chr(ord("A") + i) if i < 26 else f"S{i + 1}"


def load_settings(path: Path, name: str, flags: dict[str, Any] | None = None) -> SettingsFile:
    """A settings file read as a config file (command-line `flags` still win); a missing one is an
    InputError naming it (config.load alone would take a missing file as no settings)."""
    from monitor.engine.factory import settings_from_config

    if not path.is_file():
        raise InputError(f"{path}: no such settings file")
    cfg = config.load(path, flags)
    settings = settings_from_config(cfg)
    defaults = EngineSettings()
    changed = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)
               if getattr(settings, f.name) != getattr(defaults, f.name)}
    inert = tuple(k for k, source in cfg.sources.items()
                  if source == str(path) and k in config.BY_KEY and k not in ENGINE_KEYS)
    return SettingsFile(name, path, settings, changed, inert, cfg.notices)


def difference(a: Any, b: Any) -> Any:
    """b - a for every number in two figure trees of the same shape (None where either is missing or
    not a number; ints stay ints)."""
    if isinstance(a, dict) or isinstance(b, dict):
        a, b = a if isinstance(a, dict) else {}, b if isinstance(b, dict) else {}
        return {k: difference(a.get(k), b.get(k)) for k in [*a, *(k for k in b if k not in a)]}
    if _number(a) and _number(b):
        return b - a if isinstance(a, int) and isinstance(b, int) else round(b - a, 6)
    return None


def _number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def pooled(report: dict[str, Any]) -> dict[str, Any]:
    """A report's figures over all recordings (without the per-recording and per-subject rows)."""
    return {k: v for k, v in report.items() if k not in NOT_POOLED}


def headline(row: dict[str, Any]) -> dict[str, float | None]:
    """A report row's headline figures (None where it has none, e.g. slouch F1 without truth)."""
    out: dict[str, float | None] = {}
    for name, keys in HEADLINE.items():
        x: Any = row
        for k in keys:
            x = x.get(k) if isinstance(x, dict) else None
        out[name] = x
    return out


def change(delta: dict[str, float | None]) -> float:
    """How big a recording's change is, to sort by: its largest headline delta, the sitting time
    error counted in fractions (10 % as 0.1) like the others."""
    sizes = [abs(v) / (100.0 if k == PERCENT else 1.0) for k, v in delta.items() if v is not None]
    return max(sizes, default=0.0)


def per_recording(files: list[SettingsFile], reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per recording: headline figures under each settings file, their deltas against the first, and
    the largest change; the biggest change first (ties in the order given)."""
    base = files[0].label
    rows = []
    for i, first in enumerate(reports[0]["per_recording"]):
        figures = {f.label: headline(r["per_recording"][i]) for f, r in zip(files, reports, strict=True)}
        delta = {f.label: difference(figures[base], figures[f.label]) for f in files[1:]}
        rows.append({"recording": first["recording"], "subject": first["subject"], "figures": figures,
                     "delta": delta, "change": round(max(map(change, delta.values()), default=0.0), 6)})
    return sorted(rows, key=lambda r: -r["change"])


def compare(files: list[SettingsFile], reports: list[dict[str, Any]]) -> dict[str, Any]:
    """The comparison as data (`compare --json`): the settings, each full report by label, the pooled
    differences against the first file, and the per-recording deltas."""
    base = pooled(reports[0])
    return {"calibration": reports[0]["calibration"], "against": files[0].label,
            "settings": [f.figures() for f in files],
            "reports": {f.label: r for f, r in zip(files, reports, strict=True)},
            "difference": {f.label: difference(base, pooled(r))
                           for f, r in zip(files[1:], reports[1:], strict=True)},
            "per_recording": per_recording(files, reports)}


def flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted paths of a figure tree's leaves (`static.recall.sitting`), in order; a None subtree
    (no slouch truth) is one None leaf."""
    out: dict[str, Any] = {}
    for k, v in tree.items():
        if isinstance(v, dict):
            out.update(flatten(v, f"{prefix}{k}."))
        else:
            out[prefix + k] = v
    return out
