"""Small text helpers shared by the widgets."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

POSTURE_STYLE = {"sitting": "yellow", "standing": "green", "walking": "cyan", "lying": "blue",
                 "unknown": "grey50"}


def hms(seconds: float) -> str:
    s = int(max(0.0, seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def hm(seconds: float) -> str:
    """Hours and minutes, e.g. 5h07 (the statistics' and the week view's unit)."""
    m = round(seconds / 60)
    return f"{m // 60}h{m % 60:02d}"


def bar(fraction: float, width: int, fill: str = "█", empty: str = "░") -> str:
    n = max(0, min(width, round(fraction * width)))
    return fill * n + empty * (width - n)


EIGHTHS = " ▏▎▍▌▋▊▉"


def hour_bar(seconds: float, width: int) -> str:
    """One cell per hour, in eighths of a cell, cut at `width` cells (the week views' sitting bars)."""
    eighths = max(0, min(width * 8, round(seconds / 450.0)))
    full, part = divmod(eighths, 8)
    return ("█" * full + (EIGHTHS[part] if part else "")).ljust(width)


def fit(pieces: Sequence[Text], width: int, sep: str = "   ") -> Text:
    """The pieces joined by `sep`, leaving out the last ones (the least important) until the line fits
    `width` cells, so a narrow terminal drops a detail instead of wrapping the line."""
    for n in range(len(pieces), 0, -1):
        line = Text(sep).join(pieces[:n])
        if line.cell_len <= width:
            return line
    first = pieces[0].copy() if pieces else Text("")
    first.truncate(width, overflow="ellipsis")
    return first
