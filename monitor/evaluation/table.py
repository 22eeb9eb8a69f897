"""The evaluation report as text: a table per recording and/or per subject, then the pooled figures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Print = Callable[[str], None]
NAME_W = 24
HEADER = (f"{'calibration':<10} {'sit':>6} {'stand':>6} {'lie':>6} {'walk':>6}  {'stand>sit tp/fp/fn':>18}  "
          f"{'sit>stand tp/fp/fn':>18}  {'slouchF1':>8} {'bout_err_s':>10} {'sit_time':>8}")


def fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def _counts(m: dict[str, Any]) -> str:
    return f"{m['tp']}/{m['fp']}/{m['fn']}"


def fit(name: str) -> str:
    """A name in NAME_W characters, its start cut (the end tells recordings apart)."""
    return name if len(name) <= NAME_W else "..." + name[-(NAME_W - 3):]


def row(name: str, calibration: str, r: dict[str, Any]) -> str:
    """One line of the table: a recording or a subject."""
    rec, tr = r["static"]["recall"], r["transitions"]
    slouch = r["slouch"]["episodes"]["f1"] if r["slouch"] is not None else None
    err = r["bouts"]["duration_error_s"]
    pct = r["bouts"]["sitting_time_s"]["error_pct"]
    return (f"{fit(name):<{NAME_W}} {calibration:<10} {fmt(rec['sitting']):>6} {fmt(rec['standing']):>6} "
            f"{fmt(rec['lying']):>6} {fmt(r['walking_upright']):>6}  {_counts(tr['stand_to_sit']):>18}  "
            f"{_counts(tr['sit_to_stand']):>18}  {fmt(slouch):>8} "
            f"{'-' if err is None else format(err['median'], '.1f'):>10} "
            f"{'-' if pct is None else format(pct, '+.1f') + '%':>8}")


def print_table(r: dict[str, Any], per: str, out: Print = print) -> None:
    """The rows asked for (`per`: recording, subject or both), then the pooled figures."""
    if per in ("recording", "both"):
        out(f"{'recording':<{NAME_W}} {HEADER}")
        for x in r["per_recording"]:
            out(row(x["recording"], x["calibration"], x))
    if per in ("subject", "both"):
        if per == "both":
            out("")
        out(f"{'subject':<{NAME_W}} {HEADER}")
        for x in r["per_subject"]:
            out(row(x["subject"], f"{x['calibrated_recordings']}/{x['recordings']}", x))
    out("(stand>sit: stand_to_sit, sit>stand: sit_to_stand transitions found (tp), made up (fp) and "
        "missed (fn); slouchF1: slouch episode F1 against simulated truth; bout_err_s: median |sitting bout "
        "duration error|; sit_time: the engine's sitting time against the labels)")
    print_pooled(r, out)


def print_pooled(r: dict[str, Any], out: Print = print) -> None:
    """The figures over all recordings."""
    st = r["static"]
    out(f"\n{r['recordings']} recordings, {r['samples']} samples; calibration {r['calibration']}: "
        f"{r['calibrated_recordings']} of {r['recordings']} recordings calibrated")
    out(f"static balanced accuracy {fmt(st['balanced_accuracy'])}  (recall sitting "
        f"{fmt(st['recall']['sitting'])}, standing {fmt(st['recall']['standing'])}, lying "
        f"{fmt(st['recall']['lying'])})")
    out(f"walking upright {fmt(r['walking_upright'])}")
    for kind, m in r["transitions"].items():
        out(f"{kind:<13} precision {fmt(m['precision'])} recall {fmt(m['recall'])} F1 {fmt(m['f1'])}")
    c = r.get("corrections")
    if c and c["spans"]:
        out(f"corrections agreed {fmt(c['agreed'])} (the engine said another posture in that share of "
            f"{c['samples']} samples of {c['spans']} 'that was wrong' labels)")
    if "transition_emission_latency_s" in r:
        lat = r["transition_emission_latency_s"]
        out(f"transition emission latency: median {lat['median']} s, max {lat['max']} s")
    print_slouch(r["slouch"], out)
    print_bouts(r["bouts"], out)


def print_slouch(s: dict[str, Any] | None, out: Print) -> None:
    if s is None:
        out("slouch: no recording has slouch truth (simulated recordings do)")
        return
    e = s["episodes"]
    out(f"slouch episodes precision {fmt(e['precision'])} recall {fmt(e['recall'])} F1 {fmt(e['f1'])} "
        f"(tp/fp/fn {_counts(e)}; {e['short_ignored']} shorter than the dwell not scored)")
    rmse = s["tilt_rmse_sitting_deg"]
    out(f"slouch flag agreement while sitting {fmt(s['sample_agreement'])}; tilt RMSE while sitting "
        f"{'-' if rmse is None else format(rmse, '.2f')} deg")


def print_bouts(b: dict[str, Any], out: Print) -> None:
    err, total = b["duration_error_s"], b["sitting_time_s"]
    spread = "" if err is None else f"; |duration error| median {err['median']} s, p90 {err['p90']} s"
    out(f"sitting bouts: {b['labelled']} labelled, {b['engine']} by the engine, {b['matched']} matched, "
        f"{b['missed']} missed, {b['extra']} extra{spread}")
    pct = total["error_pct"]
    out(f"sitting time: engine {total['engine'] / 60:.1f} min, labels {total['labels'] / 60:.1f} min"
        + ("" if pct is None else f" ({pct:+.2f} %)"))
