"""Small text helpers shared by the widgets."""

from __future__ import annotations

POSTURE_STYLE = {"sitting": "yellow", "standing": "green", "walking": "cyan", "lying": "blue",
                 "unknown": "grey50"}


def hms(seconds: float) -> str:
    s = int(max(0.0, seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def bar(fraction: float, width: int, fill: str = "█", empty: str = "░") -> str:
    n = max(0, min(width, round(fraction * width)))
    return fill * n + empty * (width - n)
