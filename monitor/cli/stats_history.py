"""`stats --week` and `stats --trend`: the week and the trend from monitor/history.py, as a table for
80 columns or as JSON (whole seconds, integer counts). Only formatting lives here."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from typing import Any

from monitor.history import (
    METRICS,
    MIN_DIRECTION_WEEKS,
    DayFigures,
    Totals,
    Trend,
    TrendWeek,
    WeekFigures,
    slouch_share,
)
from monitor.sinks.summary import plain
from monitor.sinks.totals import COLUMNS
from monitor.ui.widgets.fmt import hm, hour_bar

BAR_CELLS = 10  # one cell per hour of sitting
TIMES = ("standing_s", "walking_s", "lying_s")
COUNTS = (("breaks", 6), ("snoozed", 6), ("skipped", 4))
WEEK_HEAD = (f"{'':7} {'sitting':<16}  {'stand':>5} {'walk':>5} {'lying':>5} {'longest':>7} {'breaks':>6} "
             f"{'snooze':>6} {'skip':>4} {'slouch':>6}")
WEEK_LEGEND = ("█ = 1 h sitting; longest: the longest sitting bout; slouch: share of the sitting\n"
               "slouched; per day: averaged over the days with data")
TREND_HEAD = (f"{'week of':10}  {'days':>4}  {'sitting/day':>12}  {'longest':>12}  {'breaks/day':>10}  "
              f"{'slouch':>10}")
TREND_LEGEND = "each figure with its change from the week before (slouch in percentage points)"


def _share(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"


def week_lines(w: WeekFigures) -> list[str]:
    """The week as a table: a row per day, then the totals and the averages per day with data."""
    last = w.monday + dt.timedelta(days=6)
    lines = [f"Week of Monday {w.monday} to Sunday {last}: {w.days_with_data} of 7 days with data",
             "", WEEK_HEAD]
    lines += [_day_line(d) for d in w.days]
    if w.days_with_data:
        lines.append(_figures_line("total", w.totals, hm(w.totals["longest_bout_s"]), w.slouch_share, False))
        assert w.per_day is not None
        lines.append(_figures_line("per day", w.per_day, "", None, True))
    return [*lines, "", *WEEK_LEGEND.splitlines()]


def _day_line(d: DayFigures) -> str:
    label = d.day.strftime("%a %d")
    if d.totals is None:
        return label if d.to_come else f"{label:<7} no data"
    return _figures_line(label, d.totals, hm(d.get("longest_bout_s")), slouch_share(d.totals), True)


def _figures_line(label: str, t: Totals, longest: str, share: float | None, with_bar: bool) -> str:
    """One row of the week table; counts as whole numbers, or with one decimal for averages."""
    per_day = label == "per day"
    bar = hour_bar(t.get("sitting_s", 0.0), BAR_CELLS) if with_bar else " " * BAR_CELLS
    times = " ".join(f"{hm(t.get(c, 0.0)):>5}" for c in TIMES)
    counts = " ".join(f"{_count(t.get(c, 0.0), per_day):>{w}}" for c, w in COUNTS)
    slouch = "" if per_day else _share(share)
    return (f"{label:<7} {hm(t.get('sitting_s', 0.0)):>5} {bar}  {times} {longest:>7} {counts} "
            f"{slouch:>6}").rstrip()


def _count(n: float, decimal: bool) -> str:
    return f"{n:.1f}" if decimal else str(round(n))


def week_json(w: WeekFigures) -> dict[str, Any]:
    days = [{"day": d.day.isoformat(), "data": d.totals is not None, "to_come": d.to_come,
             **({**{c: d.get(c) for c in COLUMNS}, "slouch_share": _ratio(slouch_share(d.totals))}
                if d.totals is not None else {})} for d in w.days]
    out = {"first_day": w.monday.isoformat(), "last_day": (w.monday + dt.timedelta(days=6)).isoformat(),
           "days_with_data": w.days_with_data, "days": days,
           "totals": {**w.totals, "slouch_share": _ratio(w.slouch_share)}, "per_day": w.per_day}
    result = plain(out)
    assert isinstance(result, dict)
    return result


def _ratio(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def print_week(w: WeekFigures, as_json: bool) -> None:
    print(json.dumps(week_json(w)) if as_json else "\n".join(week_lines(w)))


def trend_lines(t: Trend) -> list[str]:
    """A row per week with each figure and its change, then the direction in words."""
    first, last = t.weeks[0].monday, t.weeks[-1].monday + dt.timedelta(days=6)
    lines = [f"Trend over {len(t.weeks)} weeks, {first} to {last}: {t.weeks_with_data} with data", "",
             TREND_HEAD, *(_trend_line(w) for w in t.weeks), "", TREND_LEGEND]
    if t.direction is not None:
        return [*lines, *textwrap.wrap(t.direction.words, 79)]
    return [*lines, f"Too few weeks with data to tell a direction ({t.weeks_with_data}; "
                    f"{MIN_DIRECTION_WEEKS} needed)."]


def _trend_line(w: TrendWeek) -> str:
    head = f"{w.monday.isoformat():10}  {w.days_with_data:>4}"
    if not w.days_with_data:
        return f"{head}  no data"
    cells = [f"{_metric(k, w.figures[k], False):>5} {_metric(k, w.change[k], True):>6}"
             for k in METRICS[:2]]
    cells += [f"{_metric(k, w.figures[k], False):>4} {_metric(k, w.change[k], True):>5}" for k in METRICS[2:]]
    return f"{head}  {'  '.join(cells)}".rstrip()


def _metric(key: str, x: float | None, signed: bool) -> str:
    """A trend figure (or its change, with a sign) in the unit its key says."""
    if x is None:
        return ""
    if key.endswith("_s"):
        text = hm(abs(x))
    elif key == "slouch_share":
        text = f"{abs(x) * 100:.0f}" + ("pt" if signed else "%")
    else:
        text = f"{abs(x):.1f}"
    if not signed or not any(c in "123456789" for c in text):  # no change shown without a sign
        return text
    return ("-" if x < 0 else "+") + text


def trend_json(t: Trend) -> dict[str, Any]:
    weeks = [{"week": w.monday.isoformat(), "days_with_data": w.days_with_data,
              **{k: _round(k, v) for k, v in w.figures.items()},
              "change": {k: _round(k, v) for k, v in w.change.items()}} for w in t.weeks]
    d = t.direction
    direction = None if d is None else {"slope_s_per_week": d.slope_s_per_week,
                                        "weeks_with_data": d.weeks_with_data,
                                        "days_with_data": d.days_with_data, "words": d.words}
    result = plain({"first_day": t.weeks[0].monday.isoformat(),
                    "last_day": (t.weeks[-1].monday + dt.timedelta(days=6)).isoformat(),
                    "weeks": weeks, "direction": direction})
    assert isinstance(result, dict)
    return result


def _round(key: str, x: float | None) -> float | None:
    """Shares to 3 decimals, breaks per day to 2; seconds are rounded by `plain`."""
    if x is None or key.endswith("_s"):
        return x
    return round(x, 3 if key == "slouch_share" else 2)


def print_trend(t: Trend, as_json: bool) -> None:
    print(json.dumps(trend_json(t)) if as_json else "\n".join(trend_lines(t)))

