"""The `tune` report as text: the settings in effect (defaults or the config file's), the in-sample
best and the held-out figures side by side, then each fold's choice, then the chosen settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from monitor.evaluation.grid import Point
from monitor.evaluation.tuned_config import toml_value

Print = Callable[[str], None]
COLUMNS = f"{'objective':>9} {'bal_acc':>7} {'walk':>6} {'stand>sit':>9} {'sit>stand':>9}"


def _f(x: float | None, width: int) -> str:
    return f"{'-':>{width}}" if x is None else f"{x:>{width}.4f}"


def figures_row(name: str, objective: float, f: dict[str, Any], width: int = 24) -> str:
    tr = f["transitions"]
    return (f"{name:<{width}} {_f(objective, 9)} {_f(f['static']['balanced_accuracy'], 7)} "
            f"{_f(f['walking_upright'], 6)} {_f(tr['stand_to_sit']['f1'], 9)} "
            f"{_f(tr['sit_to_stand']['f1'], 9)}")


def point_text(point: Point, start: Point, same: str = "defaults") -> str:
    """The fields where a point differs from the starting point (`same` when none)."""
    changed = [f"{k}={toml_value(v)}" for k, v in point.items() if v != start[k]]
    return " ".join(changed) or same


def print_tuning(r: dict[str, Any], out: Print = print) -> None:
    lso, best, start = r["leave_subjects_out"], r["in_sample_best"], r["current"]
    same = start["name"].split(" (")[0]  # "defaults" or "current settings"
    out(f"{r['recordings']} recordings, {r['subjects']} subjects, {r['points']} points ({r['search']}), "
        f"calibration {r['calibration']}")
    out(f"objective: {r['objective']}")
    out("")
    width = max(24, len(start["name"]))
    out(f"{'':<{width}} {COLUMNS}")
    out(figures_row(start["name"], start["objective"], start["figures"], width))
    out(figures_row("best, in-sample", best["objective"], best["figures"], width))
    out(figures_row(f"held out ({len(lso['folds'])} folds)", lso["objective"], lso["figures"], width))
    out("(held out: each fold's choice on the other subjects, scored on its own; bal_acc: static "
        "balanced accuracy; walk: walking upright; stand>sit, sit>stand: the transitions' F1)")
    out("")
    out(f"{'fold':<5} {'train':>6} {'test':>6}  {'test subjects':<30} chosen")
    for i, fold in enumerate(lso["folds"], 1):
        subjects = " ".join(s.removeprefix("subject") for s in fold["test_subjects"])
        out(f"{i:<5} {fold['train_objective']:>6.4f} {fold['test_objective']:>6.4f}  {subjects[:30]:<30} "
            f"{point_text(fold['chosen'], start['point'], same)}")
    out("")
    out(f"chosen (best on all subjects): {point_text(best['point'], start['point'], same)}")
