"""The dashboard: SVG snapshots of the main and break screens at a fixed size, and pilot tests of
the break flow driven by a real pipeline (simulated wearer -> engine -> coach -> board)."""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from monitor.coach.coach import Coach
from monitor.coach.settings import CoachSettings
from monitor.decode import Decoder
from monitor.engine import PostureEngine
from monitor.pipeline import Pipeline
from monitor.run.frontend import make_dashboard
from monitor.sim import SimulatedWearer
from monitor.sim.calibration import demo_calibration
from monitor.sinks.stats import StatsStore, earlier_today
from monitor.timebase import TimeBase
from monitor.ui.app import DashboardApp, make_app
from monitor.ui.board import Board
from monitor.ui.feeder import Feeder
from monitor.ui.screens.break_screen import BreakScreen
from monitor.ui.view import GuideView, LiveView
from monitor.ui.widgets.live import LivePanel

SNAPSHOTS = Path(__file__).parent / "snapshots"
SIZE = (110, 36)
HANG_S = 60.0  # bounds a hang only: no test measures how fast anything runs


async def wait_for(pilot, cond: Callable[[], object], what: str = "", timeout_s: float = HANG_S) -> None:  # type: ignore[no-untyped-def]
    """Pause until `cond()` holds (the timeout only turns a hang into a failure)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not cond():
        assert loop.time() < deadline, f"still waiting after {timeout_s:.0f} s for {what or cond}"
        await pilot.pause(0.02)


def make_feeder(pipeline: Pipeline, coach: Coach, board: Board, store: StatsStore | None = None) -> Feeder:
    """The dashboard's stream side as a run builds it, around this pipeline's decoder and engine; with
    a store, stretch rotation carries over. Publishes every block (the 0.25 s wall-clock coalescing
    would make what the UI sees depend on the machine's speed)."""
    timebase = coach.clock or TimeBase.now()
    earlier = earlier_today(store, timebase) if store is not None else None
    feeder = make_dashboard(board, pipeline.decoder, pipeline.engine, coach, pipeline.rate_hz, timebase, store,
                            earlier=earlier)
    feeder.every_s = 0.0
    return feeder


async def redrawn(pilot, app: DashboardApp, what: str = "") -> None:  # type: ignore[no-untyped-def]
    """Wait for a redraw that started after now (so it shows what the board holds now), then for
    the screen to settle (pushed screens composed, their layout done)."""
    count = app.redraws
    await wait_for(pilot, lambda: app.redraws > count, what or "a redraw")
    await settle(pilot)


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Every pending message handled and the app idle, twice (a push lays out on the next round)."""
    for _ in range(2):
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()


def normalise(svg: str) -> str:
    return re.sub(r"terminal-\d+", "terminal", svg)


def check_snapshot(name: str, svg: str) -> None:
    """Compare with tests/snapshots/NAME.svg; UPDATE_SNAPSHOTS=1 rewrites it (then look at it)."""
    path = SNAPSHOTS / f"{name}.svg"
    if os.environ.get("UPDATE_SNAPSHOTS") or not path.exists():
        path.write_text(normalise(svg))
    assert normalise(svg) == path.read_text(), f"{path} differs; UPDATE_SNAPSHOTS=1 after checking it"


TIMELINE = ((-5400.0, "standing"), (-5300.0, "sitting"), (-2900.0, "walking"), (-2600.0, "unknown"),
            (0.0, "standing"), (35.0, "sitting"), (1500.0, "standing"), (1620.0, "sitting"))
CLOCK_S = 10 * 3600 + 36 * 60 + 55.0  # 10:36:55 local at t = 3655 s: the run began at 09:36
TODAY = {"sitting_s": 3140.0, "standing_s": 420.0, "walking_s": 95.0, "lying_s": 0.0, "longest_bout_s": 1465.0,
         "breaks": 1.0, "skipped": 0.0, "snoozed": 1.0, "slouch_s": 640.0, "sit_to_stand": 2.0}


def fixed_view(**changes: object) -> LiveView:
    base = dict(t_s=3655.0, posture="sitting", tilt_deg=-11.2, tilt_from="sitting", slouch=True,
                slouch_since_s=3015.0, calibrated=True, bout_s=2035.0,
                limit_s=1800.0, rate_hz=50.0, dropped_frames=3, battery_pct=87,
                tilt_history=tuple(-2.0 - 0.05 * i for i in range(150)), today=TODAY, timeline=TIMELINE,
                clock_s=CLOCK_S,
                suggested=("Standing hip flexor stretch", "Standing figure-4 stretch",
                           "Standing knee hug"))
    base.update(changes)
    return LiveView(**base)  # type: ignore[arg-type]


def fixed_board() -> Board:
    """A board holding the fixed view and a few events, as the main-screen snapshots show it."""
    from monitor.events import PostureChanged, SlouchStarted, Transition
    from monitor.events.coach import BreakSnoozed

    board = Board()
    board.publish(fixed_view())
    for ev in (Transition(1618.5, "stand_to_sit", 1620.0), PostureChanged(1620.0, "sitting", "standing"),
               SlouchStarted(3015.0, -9.1), BreakSnoozed(3420.0, 3720.0, 1)):
        board.handle(ev)
    return board


@pytest.mark.parametrize("size", [(80, 24), (140, 45)], ids=["80x24", "140x45"])
async def test_main_screen_snapshot(size: tuple[int, int]) -> None:
    app = make_app(fixed_board(), subtitle="snapshot")
    async with app.run_test(size=size) as pilot:
        await redrawn(pilot, app)
        assert not isinstance(app.screen, BreakScreen)
        check_snapshot(f"main-{size[0]}x{size[1]}", app.export_screenshot())


async def test_break_screen_snapshot_opens_on_the_prompt() -> None:
    board = Board()
    board.publish(fixed_view(prompt_active=True, prompt_level=1, prompt_s=3600.0))
    app = make_app(board, subtitle="snapshot")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, BreakScreen), "the break screen")
        await redrawn(pilot, app)  # the modal's footer lays out after the push
        check_snapshot("break", app.export_screenshot())
        guide = GuideView("Standing hip flexor stretch", ("Stand in a long stride.", "Tuck your tailbone under."),
                          "Stop if you feel pain.", "left", 1, 2, 30.0, 12.0, True, 0, 4, ("Standing knee hug",))
        board.publish(fixed_view(posture="standing", guide=guide, bout_s=0.0))
        await redrawn(pilot, app)
        check_snapshot("break-guided", app.export_screenshot())


def live_pipeline(limit_s: float) -> tuple[Pipeline, Coach, object]:
    rate = 25.0
    engine = PostureEngine(rate, demo_calibration(0, rate))
    pipeline = Pipeline(Decoder(), engine, [], rate)
    coach = Coach(CoachSettings(sitting_limit_s=limit_s, snooze_s=60.0))
    blocks = (c.block for c in SimulatedWearer(seed=0, rate_hz=rate).chunks())
    return pipeline, coach, blocks


async def feed_until(feeder, blocks, cond, pilot, limit: int = 400) -> None:  # type: ignore[no-untyped-def]
    """Feed the simulated day in 10 s chunks until `cond()` (sample time decides, not the clock)."""
    for _ in range(limit):
        if cond():
            break
        block = next(blocks)
        for i in range(0, len(block), 250):  # 10 s chunks
            feeder.feed(block.slice(i, i + 250))
    assert cond(), f"not reached within {limit} simulated chunks"


async def test_break_flow_prompt_snooze_start_and_quit() -> None:
    pipeline, coach, blocks = live_pipeline(limit_s=120.0)
    board = Board()
    feeder = make_feeder(pipeline, coach, board)
    app = make_app(board)
    async with app.run_test(size=SIZE) as pilot:
        await feed_until(feeder, blocks, lambda: coach.st.prompt_active, pilot)
        await redrawn(pilot, app)
        assert isinstance(app.screen, BreakScreen), "the prompt opens the break screen"
        await pilot.press("s")
        await wait_for(pilot, lambda: not board.actions.empty(), "the snooze request")
        feeder.apply_actions()
        await redrawn(pilot, app)
        assert coach.st.snoozes_today == 1 and not isinstance(app.screen, BreakScreen)
        await pilot.press("b")
        await wait_for(pilot, lambda: not board.actions.empty(), "the break request")
        feeder.apply_actions()
        assert coach.st.guided and feeder.guide is not None and isinstance(app.screen, BreakScreen)
        kinds = [e.kind for e in board.recent()]
        assert "break_snoozed" in kinds and "break_started" in kinds
        log = app.main.query_one("#events")
        await wait_for(pilot, lambda: any("break_started" in line or "Guided break" in line  # type: ignore[attr-defined]
                                          for line in log.lines), "the break's start in the event log")
        await pilot.press("escape")
        await pilot.press("q")
    assert app.return_code in (0, None)


@pytest.mark.parametrize("key, action", [("k", "skip"), ("d", "dnd")])
async def test_keys_queue_actions_for_the_stream(key: str, action: str) -> None:
    board = Board()
    app = make_app(board)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        await wait_for(pilot, lambda: not board.actions.empty(), f"the {action} request")
        await settle(pilot)
    assert [a for a, _ in board.take_actions()] == [action]


async def test_live_run_feeds_the_dashboard_from_its_own_thread(isolated_home: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """`run` in a terminal: a virtual sensor on the bumble link, streamed in a worker thread with its own
    event loop; the dashboard shows the link state and the measured rate, notices replace stderr lines,
    and quitting stops the stream and leaves the summary on the board. The measured rate is whatever
    the wall clock made of the arrivals (a busy machine delivers late), so the test checks that the
    dashboard shows the decoder's measurement, not what it is."""
    import threading

    from monitor.cli.common import load_config
    from monitor.decode.frames import FrameDecoder
    from monitor.run import BleSpec, RunSpec
    from monitor.run.build import build
    from monitor.run.drive import Workers

    run = build(RunSpec(load_config(None), BleSpec(virtual=("witmotion-wt901ble",), speed=20.0), "dashboard",
                        stats=False))
    assert run.board is not None
    board = run.board
    notes: list[str] = []
    measured: list[float | None] = []  # each measurement the stream took, latest last
    shown: list[tuple[float | None, float | None]] = []  # (rate on the dashboard, latest measurement)
    measure, publish = FrameDecoder.measured_rate_hz, board.publish

    def measuring(decoder: FrameDecoder) -> float | None:
        measured.append(measure(decoder))
        return measured[-1]

    def record(view: LiveView) -> None:  # on the stream's thread, right after the view asked the link
        shown.append((view.rate_hz, measured[-1] if measured else None))
        publish(view)

    monkeypatch.setattr(FrameDecoder, "measured_rate_hz", measuring)
    board.publish = record  # type: ignore[method-assign]

    stop = threading.Event()
    workers = Workers(run.streams, stop)
    app = make_app(board, stop_event=stop)
    app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: board.read_view().t_s > 60.0 and any("streaming" in n for n in notes),
                       "a minute of stream time and the streaming notice")
        view = board.read_view()
        assert view.link_state == "streaming" and view.posture in {"standing", "sitting"}
        assert any(m is not None for _, m in shown), "the rate was measured"
        assert all(rate == (m or 10.0) for rate, m in shown), shown  # the measurement, else the nominal rate
        await pilot.press("q")
    workers.join()  # quitting set the run's stop event
    run.close()
    assert board.summary is not None and board.summary["link"]["connects"] == 1


async def test_a_failing_stream_closes_the_dashboard_with_its_error() -> None:
    from monitor.errors import DeviceError

    def runner(stop: object) -> None:
        raise DeviceError("nosuch", "not found")

    board = Board()
    app = make_app(board, thread_runner=runner)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.return_code is not None, "the dashboard to close")
    assert isinstance(board.error, DeviceError)


def test_a_redraw_before_the_main_screen_is_composed_does_nothing() -> None:
    """A redraw (a timer firing early under load) before compose used to raise NoMatches for
    '#posture' on LivePanel; now it waits for the screen, and a panel shows nothing until composed."""
    board = Board()
    board.publish(fixed_view(prompt_active=True, prompt_level=1, prompt_s=3600.0))
    app = make_app(board)
    app.redraw()
    app.main.show(board.read_view(), [])
    LivePanel().show(board.read_view())
    assert app.redraws == 0 and app.shown_prompt_s is None


async def test_redraws_start_once_the_main_screen_is_composed() -> None:
    """Even a redraw interval far shorter than compose takes: every redraw finds the main screen
    mounted, and the first one shows the board's view straight away."""
    board = Board()
    board.publish(fixed_view())
    app = make_app(board, redraw_s=0.001)
    mounted: list[bool] = []
    redraw = app.redraw

    def checked() -> None:
        mounted.append(app.main.is_mounted)
        redraw()

    app.redraw = checked  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.redraws >= 20, "twenty redraws")
        panel = app.main.query_one(LivePanel)
        assert "SITTING" in str(panel.query_one("#posture").render())
    assert mounted and all(mounted)


def test_stretch_rotation_carries_over_a_restart(isolated_home: Path) -> None:
    """Two runs on the same day with the statistics store: the second run's break suggests the
    stretches the first did not use."""

    picked = []
    for _ in range(2):
        store = StatsStore()
        pipeline, _, _ = live_pipeline(limit_s=1800.0)
        board = Board()
        feeder = make_feeder(pipeline, Coach(CoachSettings(), TimeBase.now()), board, store)
        board.request("start_break")
        feeder.apply_actions()
        assert feeder.guide is not None
        picked.append({s.stretch.id for s in feeder.guide.steps})
        store.close()
    assert len(picked[0]) == 3 and not picked[0] & picked[1], picked


async def test_a_signal_closes_the_dashboard() -> None:
    """SIGTERM or Ctrl+C set the run's stop event: the dashboard closes at its next redraw."""
    import threading

    stop = threading.Event()
    app = make_app(Board(), stop_event=stop)
    async with app.run_test(size=SIZE) as pilot:
        await redrawn(pilot, app)
        stop.set()
        await wait_for(pilot, lambda: app.return_code is not None, "the dashboard to close")
