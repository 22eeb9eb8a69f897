"""The week view (key w): Monday to Sunday from the statistics store, with today's live totals (the bout,
slouch and walk under way included) as today's row. Per day the sitting with a bar (one cell an hour),
the longest bout, breaks and the slouched share; a day without data says so, a day to come is blank.
It takes the room of the Today panel and its timeline, so the 80x24 layout holds as it does for Today."""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from monitor import history
from monitor.history import DayFigures, WeekFigures
from monitor.ui.view import LiveView
from monitor.ui.widgets.base import ViewWidget
from monitor.ui.widgets.fmt import fit, hm, hour_bar
from monitor.ui.widgets.today import live_totals

LEGEND = "sitting · bout · breaks · slouch"  # the columns, for the panel's bottom border
NO_STATS = "This run keeps no statistics (--no-stats, or the demo without --stats): no week to show."
FIXED_CELLS = 28  # a row's cells besides its bar
BAR_MAX = 12  # hours the bar shows at most


def week_of(v: LiveView) -> WeekFigures | None:
    """The week of the view's day: the stored days, today's replaced by the live totals (None: not
    read yet, or no store)."""
    if v.week_rows is None or v.day is None:
        return None
    today = dt.date.fromisoformat(v.day)
    return history.week({**v.week_rows, v.day: live_totals(v)}, today, today)


def title(v: LiveView) -> str:
    """The panel's title: the week's average sitting per day with data, when there is any."""
    w = week_of(v)
    per_day = w.per_day if w is not None else None
    return "This week" if per_day is None else f"This week · {hm(per_day['sitting_s'])}/day"


def day_row(d: DayFigures, today: dt.date, width: int) -> Text:
    """One day: label, sitting, bar, longest bout, breaks, slouched share; today's in bold."""
    label = f"{d.day.strftime('%a %d'):<6}"
    if d.to_come:
        return Text(label, style="grey50")
    if d.totals is None:
        return Text(f"{label} no data", style="grey50")
    share = history.slouch_share(d.totals)
    bar = hour_bar(d.get("sitting_s"), max(0, min(BAR_MAX, width - FIXED_CELLS)))
    row = Text(f"{label} {hm(d.get('sitting_s')):>5} ")
    row.append(bar, style="yellow")
    row.append(f" {hm(d.get('longest_bout_s')):>5} {round(d.get('breaks')):>3} "
               f"{'-' if share is None else f'{share:.0%}':>4}")
    if d.day == today:
        row.stylize("bold")
    return row


def summary(w: WeekFigures, width: int) -> Text:
    """The week's totals (sitting, breaks, slouched share) in one line, shortened to fit."""
    share = w.slouch_share
    pieces = [Text(f"week {hm(w.totals['sitting_s'])}"), Text(f"{round(w.totals['breaks'])} breaks"),
              Text(f"{'-' if share is None else f'{share:.0%}'} slouched")]
    return fit(pieces, width, " · ")


class WeekPanel(ViewWidget):
    """Seven rows (the height the Today panel and its timeline take); with two more lines to spare, a
    blank and the week's totals."""

    DEFAULT_CSS = "WeekPanel { height: 7; }"

    def draw(self, v: LiveView, width: int, height: int) -> Text:
        if not v.stats:
            return Text(NO_STATS, style="grey50")
        w = week_of(v)
        if w is None:
            return Text("Reading the week…", style="grey50")
        today = dt.date.fromisoformat(v.day or w.monday.isoformat())
        lines = [day_row(d, today, width) for d in w.days]
        if height >= len(lines) + 2 and w.days_with_data:
            lines += [Text(""), summary(w, width)]
        return Text("\n").join(lines)
