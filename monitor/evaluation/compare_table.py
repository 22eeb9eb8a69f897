"""The comparison as text: which settings each label stands for, every pooled figure side by side with
its differences against the first file, then per recording the headline deltas, biggest change first
(recordings that did not change are counted, not listed)."""

from __future__ import annotations

from typing import Any

from monitor.evaluation.compare import HEADLINE, change, flatten, pooled
from monitor.evaluation.table import Print

NAME_W, VALUE_W = 42, 11
SHORT = {"balanced_accuracy": "balacc", "sitting": "sit", "standing": "stand", "lying": "lie",
         "walking_upright": "walk", "stand_to_sit_f1": "stand>sit", "sit_to_stand_f1": "sit>stand",
         "slouch_f1": "slouchF1", "sitting_time_error_pct": "sit_time%"}


def value(x: Any, signed: bool = False) -> str:
    """A figure for the table: ints as they are, fractions to 4 places, big numbers to 1; an exact
    zero difference as 0, so the changes stand out."""
    if x is None or isinstance(x, bool) or not isinstance(x, int | float):
        return "-" if x is None else str(x)
    if signed and x == 0:
        return "0"
    sign = "+" if signed else ""
    if isinstance(x, int):
        return format(x, sign + "d")
    return format(x, sign + (".4f" if abs(x) < 100 else ".1f"))


def print_compare(result: dict[str, Any], out: Print = print) -> None:
    """Legend, pooled figures side by side, per-recording deltas."""
    print_legend(result, out)
    print_pooled(result, out)
    print_recordings(result, out)


def print_legend(result: dict[str, Any], out: Print) -> None:
    first = result["reports"][result["against"]]
    out(f"compare: {first['recordings']} recordings, {first['samples']} samples, calibration "
        f"{result['calibration']}")
    for s in result["settings"]:
        changed = ", ".join(f"{k} = {_setting(v)}" for k, v in s["engine_changed"].items()) or "defaults"
        inert = f"; {', '.join(s['inert'])} not used by the engine" if s["inert"] else ""
        out(f"  {s['label']} = {s['file']} (engine: {changed}{inert})")


def _setting(v: float | bool) -> str:
    return str(v).lower() if isinstance(v, bool) else f"{v:g}"


def print_pooled(result: dict[str, Any], out: Print) -> None:
    labels = [s["label"] for s in result["settings"]]
    base = labels[0]
    figures = {k: flatten(pooled(r)) for k, r in result["reports"].items()}
    deltas = {k: flatten(d) for k, d in result["difference"].items()}
    names = list(dict.fromkeys(n for k in labels for n in figures[k]))
    out("")
    out(f"{'figure':<{NAME_W}}" + "".join(f"{k:>{VALUE_W}}" for k in labels)
        + "".join(f"{k + '-' + base:>{VALUE_W}}" for k in labels[1:]))
    for n in names:
        out(f"{n[:NAME_W - 1]:<{NAME_W}}" + "".join(f"{value(figures[k].get(n)):>{VALUE_W}}" for k in labels)
            + "".join(f"{value(deltas[k].get(n), signed=True):>{VALUE_W}}" for k in labels[1:]))


def print_recordings(result: dict[str, Any], out: Print) -> None:
    """One table per other file (B - A, C - A, ...), each sorted by its own largest change."""
    base = result["against"]
    for k in result["difference"]:
        deltas = [(r["recording"], r["delta"][k]) for r in result["per_recording"]]
        rows = sorted((x for x in deltas if change(x[1]) > 0), key=lambda x: -change(x[1]))
        out("")
        out(f"per recording, {k} - {base}, biggest change first:")
        if rows:
            out(f"{'recording':<24}" + "".join(f"{SHORT[h]:>10}" for h in HEADLINE))
        for name, delta in rows:
            out(f"{name[:23]:<24}" + "".join(f"{value(delta[h], signed=True):>10}" for h in HEADLINE))
        same = len(result["per_recording"]) - len(rows)
        out(f"({same} of {len(result['per_recording'])} recordings with no change in these figures)")

