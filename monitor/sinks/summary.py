"""The end-of-run summary for people (a short table) and for programs (JSON in whole seconds and
integer counts). The console sink and the dashboard run's driver both print it from here."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from monitor.events.types import TRANSITION_WORDS, clock, duration, words

POSTURES = ("sitting", "standing", "walking", "lying", "unknown")
LABEL_W = 17  # width of the table's first column
SECONDS_KEY = re.compile(r"(^|_)s(_|$)")  # `time_s`, `reconnect_s_max`: values in seconds


def plain(value: Any, seconds: bool = False) -> Any:
    """JSON-ready: seconds (keys with an `_s` part such as `gap_s` or `reconnect_s_max`, and all under
    one) rounded to whole seconds, integral floats as integers, nested alike; other values unchanged."""
    if isinstance(value, Mapping):
        return {k: plain(v, seconds or SECONDS_KEY.search(str(k)) is not None) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v, seconds) for v in value]
    finite = isinstance(value, float) and math.isfinite(value)
    if finite and (seconds or value.is_integer()):
        return round(value)
    return value


def summary_json(summary: Mapping[str, Any]) -> dict[str, Any]:
    """The summary's JSON object: the same keys, whole seconds and integer counts."""
    out = plain({"type": "summary", **summary})
    assert isinstance(out, dict)
    return out


def summary_lines(summary: Mapping[str, Any]) -> list[str]:
    """The summary as a table: what was streamed, time per posture (h:mm:ss), events by kind, gaps,
    decoder frames and the sensor link when there was one."""
    rows = [_row("summary", _streamed(summary))]
    time_s: Mapping[str, float] = summary.get("time_s", {})
    rows += [_row(p, _hms(time_s[p])) for p in POSTURES if p in time_s]
    rows += [_row(p, _hms(t)) for p, t in time_s.items() if p not in POSTURES]
    rows += _events(summary.get("events", {}))
    rows.append(_row("gaps", _gaps(summary)))
    frames = summary.get("frames")
    if frames:
        rows.append(_row("frames", ", ".join(f"{n} {words(k).lower()}" for k, n in frames.items())))
    link = summary.get("link")
    if link:
        rows += [_row("link", _link(link)), _row("sensor", _sensor(link))]
    return rows


def _hms(t_s: float) -> str:
    return clock(round(t_s))


def _row(label: str, value: str) -> str:
    return f"{label:<{LABEL_W}} {value}".rstrip()


def _streamed(summary: Mapping[str, Any]) -> str:
    calibrated = summary.get("calibrated")
    state = "" if calibrated is None else ", calibrated" if calibrated else ", not calibrated"
    auto = summary.get("auto_reference")
    return (f"{_hms(float(summary.get('duration_s', 0.0)))} streamed, {summary.get('samples', 0)} samples"
            f"{state}{f' (reference from {auto})' if auto else ''}")


def _events(counts: Mapping[str, int]) -> list[str]:
    if not counts:
        return [_row("events", "none")]
    named = sorted(((TRANSITION_WORDS.get(k, words(k)).lower(), n) for k, n in counts.items()))
    width = max(len(name) for name, _ in named)
    return [_row("events" if i == 0 else "", f"{name:<{width}} {n:>5}") for i, (name, n) in enumerate(named)]


def _gaps(summary: Mapping[str, Any]) -> str:
    n = int(summary.get("gaps", 0))
    return "none" if n == 0 else f"{n}, {duration(float(summary.get('missing_s', 0.0)))} missing"


LINK_SKIP = ("address", "connects", "drops", "stalls", "frames", "battery_pct", "reconnect_s_max",
             "rate_hz_measured", "rate_drift_pct")


def _link(link: Mapping[str, Any]) -> str:
    """A live link's faults: connects, drops, stalls, the longest reconnect."""
    parts = [str(link["address"])] if link.get("address") else []
    parts += [f"{link[k]} {k}" for k in ("connects", "drops", "stalls") if k in link]
    if link.get("reconnect_s_max") is not None:
        parts.append(f"longest reconnect {duration(float(link['reconnect_s_max']))}")
    return ", ".join(parts)


def _sensor(link: Mapping[str, Any]) -> str:
    """What the sensor sent and said: frames, battery, the measured rate, the device's own info."""
    parts = [f"{link['frames']} frames"] if "frames" in link else []
    if link.get("battery_pct") is not None:
        parts.append(f"battery {link['battery_pct']}%")
    if link.get("rate_hz_measured") is not None:
        parts.append(f"{link['rate_hz_measured']:g} Hz measured ({link.get('rate_drift_pct', 0):+g}%)")
    parts += [f"{words(k).lower()} {v}" for k, v in link.items() if k not in LINK_SKIP and v is not None]
    return ", ".join(parts)
