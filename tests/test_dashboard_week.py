"""The dashboard's week view: w toggles Today <-> This week; the week's days come from the statistics
store, read on the stream's side when switching, on a new day and at most once a minute while shown,
with today's live totals as today's row; it keeps the 80x24 layout; a run without a store says so."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from test_dashboard import make_feeder, redrawn

from monitor.coach.coach import Coach
from monitor.coach.settings import CoachSettings
from monitor.decode import Decoder
from monitor.events import BoutEnded, PostureChanged
from monitor.pipeline import Pipeline
from monitor.sinks.stats import StatsStore
from monitor.timebase import TimeBase
from monitor.ui.app import make_app
from monitor.ui.board import Board
from monitor.ui.feeder import Feeder
from monitor.ui.stored_week import StoredWeek
from tests.ui_screen import screen_text

H = 3600.0
UTC = dt.UTC
WEDNESDAY = TimeBase(dt.datetime(2026, 11, 25, 10, 0, tzinfo=UTC).timestamp(), UTC)  # week of Mon 23


def stored_week(store: StatsStore) -> None:
    """Monday 3 h sitting (a 50 min bout, 2 breaks), Tuesday none, today 1 h stored by an earlier run;
    the Sunday before 9 h (another week)."""
    store.add("2026-11-23", sitting_s=3 * H, breaks=2.0, slouch_s=0.3 * 3 * H)
    store.raise_to("2026-11-23", "longest_bout_s", 3000.0)
    store.add("2026-11-25", sitting_s=1 * H, breaks=1.0)
    store.add("2026-11-22", sitting_s=9 * H)
    store.commit()


def wednesday_feeder(board: Board, store: StatsStore | None) -> Feeder:
    """The dashboard's stream side on Wednesday: this run has sat 30 min more (a bout of 30 min ended)."""
    feeder = make_feeder(Pipeline(Decoder(), None, [], 50.0), Coach(CoachSettings(), WEDNESDAY), board, store)
    feeder.totals.handle(PostureChanged(0.0, "sitting", "standing"))
    feeder.totals.handle(BoutEnded(1800.0, 0.0, 1800.0))
    feeder.totals.tick(1800.0)
    return feeder


async def test_w_shows_this_week_with_todays_live_row_in_the_80x24_layout(isolated_home: Path) -> None:
    store = StatsStore()
    stored_week(store)
    board = Board()
    feeder = wednesday_feeder(board, store)
    board.publish(feeder.view())  # the stream's first view reads the week once
    app = make_app(board, subtitle="week")
    async with app.run_test(size=(80, 24)) as pilot:
        await redrawn(pilot, app)
        events_today = app.main.query_one("#events").region
        assert any("sit-to-stand" in line for line in screen_text(app))
        await pilot.press("w")
        assert board.week_shown
        board.publish(feeder.view())  # the stream's next view, after the switch
        await redrawn(pilot, app)
        lines = screen_text(app)
        text = "\n".join(lines)
        left, right, events = (app.main.query_one(q).region for q in ("#left", "#right", "#events"))
        assert right.height == left.height and events.height >= events_today.height  # no room taken
        await pilot.press("w")
        board.publish(feeder.view())
        await redrawn(pilot, app)
        back = "\n".join(screen_text(app))
    assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
    rows = {line[42:48]: line[42:79].split() for line in lines if line[42:45] in
            ("Mon", "Tue", "Wed", "Thu", "Sun")}
    assert rows["Mon 23"][2:3] == ["3h00"] and rows["Mon 23"][-3:] == ["0h50", "2", "30%"]
    assert rows["Tue 24"][2:] == ["no", "data"]
    assert rows["Wed 25"][2] == "1h30" and rows["Wed 25"][-3:] == ["0h30", "1", "0%"]  # stored + live
    assert rows["Thu 26"] == ["Thu", "26"] and rows["Sun 29"] == ["Sun", "29"]  # to come
    assert "This week · 2h15/day" in text and "sitting · bout · breaks · slouch" in text
    assert "sit-to-stand" not in text and "Events" in text
    assert feeder.week is not None and feeder.week.reads == 2  # the first view, and the switch
    assert "sit-to-stand" in back and "This week" not in back


async def test_a_taller_terminal_adds_the_weeks_totals(isolated_home: Path) -> None:
    store = StatsStore()
    stored_week(store)
    board = Board()
    feeder = wednesday_feeder(board, store)
    board.publish(feeder.view())
    app = make_app(board, subtitle="week")
    async with app.run_test(size=(110, 36)) as pilot:
        await redrawn(pilot, app)
        await pilot.press("w")
        await redrawn(pilot, app)
        text = "\n".join(screen_text(app))
        assert app.main.query_one("#right").region.height == app.main.query_one("#left").region.height
    assert "week 4h30 · 3 breaks · 20% slouched" in text


async def test_without_a_statistics_store_the_week_view_says_so(isolated_home: Path) -> None:
    board = Board()
    board.publish(wednesday_feeder(board, None).view())
    app = make_app(board, subtitle="week")
    async with app.run_test(size=(80, 24)) as pilot:
        await redrawn(pilot, app)
        await pilot.press("w")
        await redrawn(pilot, app)
        text = " ".join(line[40:].strip("│ ") for line in screen_text(app))
    assert "This run keeps no statistics (--no-stats" in text


def test_the_stream_reads_the_store_on_switching_on_a_new_day_and_once_a_minute_while_shown(
        isolated_home: Path) -> None:
    store = StatsStore()
    stored_week(store)
    now_s = [0.0]
    week = StoredWeek(store, clock=lambda: now_s[0])
    first = week.get("2026-11-25", shown=False)
    assert first is not None and sorted(first) == ["2026-11-23", "2026-11-25"] and week.reads == 1
    store.add("2026-11-24", sitting_s=H)  # another run adds Tuesday
    for _ in range(100):  # views while the week is hidden: no reads
        now_s[0] += 1.0
        assert week.get("2026-11-25", shown=False) is first
    assert week.reads == 1
    switched = week.get("2026-11-25", shown=True)
    assert week.reads == 2 and switched is not None and "2026-11-24" in switched and "2026-11-24" not in first
    for _ in range(59):  # shown: at most one read a minute
        now_s[0] += 1.0
        week.get("2026-11-25", shown=True)
    assert week.reads == 2
    now_s[0] += 1.0
    week.get("2026-11-25", shown=True)
    assert week.reads == 3
    week.get("2026-11-26", shown=True)  # midnight: a new day
    assert week.reads == 4 and week.day == "2026-11-26"
    week.get("2026-11-26", shown=False)
    week.get("2026-11-26", shown=True)  # switched away and back
    assert week.reads == 5
