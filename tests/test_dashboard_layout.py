"""The main screen fits and is current: everything a person needs is on screen at 80x24 (nothing
wrapped, the footer readable), the timeline fits any width with hour marks, the Today panel counts the
bout, the slouch and the walk under way, and the tilt is one convention in the gauge, the engine's
events and the MQTT state (from upright sitting while sitting, with the slouch threshold marked there)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rich.text import Text
from test_dashboard import fixed_board, fixed_view, live_pipeline, make_feeder, redrawn

from monitor.coach.coach import Coach
from monitor.events import Event, SlouchStarted
from monitor.events.types import format_line
from monitor.pipeline import Pipeline
from monitor.run.mqtt import probe_of
from monitor.samples import SampleBlock
from monitor.ui.app import DashboardApp, make_app
from monitor.ui.board import Board
from monitor.ui.feeder import Feeder
from monitor.ui.view import LiveView
from monitor.ui.widgets.fmt import fit, hms
from monitor.ui.widgets.live import tilt_gauge
from monitor.ui.widgets.timeline import Timeline
from monitor.ui.widgets.today import TodayPanel, live_totals, slouched_share
from tests.ui_screen import screen_text


async def test_everything_a_person_needs_is_on_screen_at_80x24() -> None:
    board = fixed_board()
    logged = [format_line(ev)[:60].rstrip() for ev in board.recent()]
    app = make_app(board, subtitle="layout")
    async with app.run_test(size=(80, 24)) as pilot:
        await redrawn(pilot, app)
        lines = screen_text(app)
        text = "\n".join(lines)
        for widget in app.main.query("#left, #right, #events, Footer"):
            region = widget.region
            assert region.width > 0 and region.height > 0, widget
            assert region.right <= 80 and region.bottom <= 24, (widget, region)
    assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
    assert "SITTING · SLOUCHING" in text and "tilt from upright sitting" in text
    assert "33:55 / 30:00" in text and "past the limit by 3:55" in text
    assert "sensor streaming" in text and "battery 87%" in text
    today = [line for line in lines if "longest bout" in line or "sitting  " in line]
    assert any("sit-to-stand" in line for line in today), "the Today columns sit side by side, unwrapped"
    assert logged and all(any(entry in line for line in lines) for entry in logged), "the event log shows"
    footer = lines[-1]
    assert "q Quit" in footer and "q Q " not in footer + " " and "Calibrate" in footer


def test_the_timeline_fits_any_width_and_marks_the_hours() -> None:
    view = fixed_view()  # today from 08:06 to 10:36:55 local
    for width in range(12, 141, 7):
        bar, marks = Timeline().draw(view, width, 2).split("\n")
        assert bar.cell_len == width and marks.cell_len <= width, width
    bar, marks = Timeline().draw(view, 40, 2).split("\n")
    cell_s = (view.t_s + 5400.0) / 40
    for hour in ("09", "10"):
        at = marks.plain.index(hour)
        hour_s = (int(hour) - 8) * 3600.0 - 6 * 60 - 55.0  # seconds after the timeline's start (08:06:55)
        assert abs(at - hour_s / cell_s) <= 1, (hour, marks.plain)


def test_a_short_timeline_shows_its_start_and_end_and_a_run_from_yesterday_starts_at_midnight() -> None:
    short = fixed_view(timeline=((3000.0, "sitting"),), clock_s=10 * 3600 + 30 * 60.0)
    assert Timeline().draw(short, 30, 2).plain.split("\n")[1].split() == ["10:19", "10:30"]
    overnight = fixed_view(timeline=((0.0, "lying"), (3000.0, "sitting")), clock_s=655.0)
    bar = Timeline().draw(overnight, 20, 2).split("\n")[0]
    assert bar.spans[0].style == "yellow", "only today's part (sitting since 00:00) is drawn"


def test_posture_and_slouch_read_apart_and_the_gauge_marks_the_threshold_from_sitting() -> None:
    gauge = tilt_gauge(5.0, 8.0, 31).plain
    mid, mark = gauge.index("┼"), gauge.index("┊")
    assert mid - mark == round(8.0 / 30.0 * 15), gauge  # 8 deg back from upright sitting
    assert "┊" not in tilt_gauge(-2.0, None, 31).plain, "standing: no slouch threshold"
    assert fit([Text("a" * 10), Text("b" * 10)], 15).plain == "a" * 10


def test_today_counts_the_bout_and_the_slouch_under_way() -> None:
    view = fixed_view(today={"sitting_s": 1000.0, "slouch_s": 100.0, "longest_bout_s": 600.0},
                      bout_s=900.0, slouch=True, slouch_since_s=3455.0)
    d = live_totals(view)
    assert d["longest_bout_s"] == 900.0 and d["slouch_s"] == 300.0 and slouched_share(d) == pytest.approx(0.3)
    assert live_totals(fixed_view(slouch=False, today={"slouch_s": 100.0}))["slouch_s"] == 100.0


def feed(feeder: Feeder, blocks: Iterator[SampleBlock]) -> Iterator[list[Event]]:
    """The simulated day in 10 s chunks; yields each chunk's events."""
    for block in blocks:
        for i in range(0, len(block), 250):
            yield feeder.feed(block.slice(i, i + 250))


def today_line(app: DashboardApp, label: str) -> str:
    text = str(app.main.query_one(TodayPanel).render())
    return next(line for line in text.splitlines() if label in line)


async def test_the_today_panel_is_live_during_a_bout_a_slouch_and_a_walk() -> None:
    """A simulated day fed in sample time: the first slouch shows in the slouched share and the running
    bout as the longest before either has ended; the first walk counts while it goes on."""
    pipeline, coach, blocks = live_pipeline(limit_s=1800.0)
    board = Board()
    feeder = make_feeder(pipeline, coach, board)
    chunks = feed(feeder, blocks)  # type: ignore[arg-type]
    app = make_app(board)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(2000):
            next(chunks)
            v = board.read_view()
            if v.slouch and v.t_s - (v.slouch_since_s or v.t_s) >= 60.0:
                break
        assert v.today.get("slouch_s", 0.0) == 0.0 and v.today.get("longest_bout_s", 0.0) == 0.0
        await redrawn(pilot, app, "the first slouch")
        assert today_line(app, "slouched").split()[-1] != "0%"
        assert hms(board.read_view().bout_s) in today_line(app, "longest bout")
        for _ in range(2000):
            next(chunks)
            if board.read_view().posture == "walking" and board.read_view().today.get("walking_s", 0) >= 30:
                break
        assert board.read_view().posture == "walking"
        await redrawn(pilot, app, "the first walk")
        walking = today_line(app, "walking").split()[1]
        assert walking != "0:00" and walking == hms(board.read_view().today["walking_s"])


def tilt_shown(pipeline: Pipeline, coach: Coach, view: LiveView) -> tuple[float | None, float | None]:
    """The dashboard's and the MQTT state's tilt at the view's moment."""
    return view.tilt_deg, probe_of(pipeline, coach)(view.t_s)["tilt_deg"]


def test_one_tilt_convention_in_the_gauge_the_events_and_mqtt() -> None:
    """Sitting upright reads about 0 (not the -17 deg of sitting from standing); the slouch event's
    tilt is the dashboard's, past the threshold marked on the gauge; MQTT publishes the same number."""
    pipeline, coach, blocks = live_pipeline(limit_s=1800.0)
    board = Board()
    feeder = make_feeder(pipeline, coach, board)
    upright: list[float] = []
    for events in feed(feeder, blocks):  # type: ignore[arg-type]
        v = board.read_view()
        dashboard, mqtt = tilt_shown(pipeline, coach, v)
        assert dashboard == mqtt
        if v.posture == "standing":
            assert v.tilt_from == "standing"
        if v.posture == "sitting" and not v.slouch and v.tilt_deg is not None:
            assert v.tilt_from == "sitting"
            upright.append(v.tilt_deg)
        started = [e for e in events if isinstance(e, SlouchStarted)]
        if started:
            tilt_deg = started[0].tilt_deg
            assert tilt_deg < -v.slouch_threshold_deg and v.tilt_deg is not None
            assert v.tilt_deg < -v.slouch_threshold_deg + 2.0, "the gauge shows it past the mark"
            break
    assert upright and abs(sorted(upright)[len(upright) // 2]) < 4.0, "upright sitting reads about 0"


async def test_a_running_break_fits_80x24_with_its_hold_timer() -> None:
    """A guided break at 80x24: the stretch, its steps and the hold timer are all on screen."""
    from monitor.ui.screens.break_screen import BreakScreen
    from monitor.ui.view import GuideView
    from tests.test_dashboard import fixed_view, redrawn, wait_for

    board = Board()
    guide = GuideView("Standing hip flexor stretch", ("Stand in a long stride.", "Tuck your tailbone under."),
                      "Stop if you feel pain.", "left", 1, 2, 30.0, 12.0, True, 0, 4, ("Standing knee hug",))
    board.publish(fixed_view(prompt_active=True, prompt_level=1, prompt_s=3600.0))
    app = make_app(board)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, BreakScreen), "the break screen")
        board.publish(fixed_view(posture="standing", guide=guide, bout_s=0.0))
        await redrawn(pilot, app)
        screen = app.screen
        for widget_id in ("prompt", "plan", "hold"):
            region = screen.query_one(f"#{widget_id}").region
            assert region.height > 0 and region.bottom <= 24 and region.right <= 80, (widget_id, region)
        hold = str(screen.query_one("#hold").render())
        assert "12" in hold, hold  # the seconds still to hold
