"""The dashboard: SVG snapshots of the main and break screens at a fixed size, and pilot tests of
the break flow driven by a real pipeline (simulated wearer -> engine -> coach -> board)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from monitor.cli.streams import _demo_calibration
from monitor.cli.ui_run import make_feeder
from monitor.coach.coach import Coach
from monitor.coach.settings import CoachSettings
from monitor.decode import Decoder
from monitor.engine import PostureEngine
from monitor.pipeline import Pipeline
from monitor.sim import SimulatedWearer
from monitor.ui.app import make_app
from monitor.ui.board import Board
from monitor.ui.screens.break_screen import BreakScreen
from monitor.ui.view import GuideView, LiveView

SNAPSHOTS = Path(__file__).parent / "snapshots"
SIZE = (110, 36)


def normalise(svg: str) -> str:
    return re.sub(r"terminal-\d+", "terminal", svg)


def check_snapshot(name: str, svg: str) -> None:
    """Compare with tests/snapshots/NAME.svg; UPDATE_SNAPSHOTS=1 rewrites it (then look at it)."""
    path = SNAPSHOTS / f"{name}.svg"
    if os.environ.get("UPDATE_SNAPSHOTS") or not path.exists():
        path.write_text(normalise(svg))
    assert normalise(svg) == path.read_text(), f"{path} differs; UPDATE_SNAPSHOTS=1 after checking it"


TIMELINE = ((0.0, "standing"), (35.0, "sitting"), (1500.0, "standing"), (1620.0, "sitting"))
TODAY = {"sitting_s": 3140.0, "standing_s": 420.0, "walking_s": 95.0, "lying_s": 0.0, "longest_bout_s": 1465.0,
         "breaks": 1.0, "skipped": 0.0, "snoozed": 1.0, "slouch_s": 640.0, "sit_to_stand": 2.0}


def fixed_view(**changes: object) -> LiveView:
    base = dict(t_s=3655.0, posture="sitting", tilt_deg=-9.4, slouch=True, calibrated=True, bout_s=2035.0,
                limit_s=1800.0, rate_hz=50.0, dropped_frames=3, battery_pct=87,
                tilt_history=tuple(-2.0 - 0.05 * i for i in range(150)), today=TODAY, timeline=TIMELINE,
                suggested=("Standing hip flexor stretch", "Standing figure-4 stretch",
                           "Standing knee hug"))
    base.update(changes)
    return LiveView(**base)  # type: ignore[arg-type]


async def test_main_screen_snapshot() -> None:
    from monitor.events import PostureChanged, SlouchStarted, Transition
    from monitor.events.coach import BreakSnoozed

    board = Board()
    board.publish(fixed_view())
    for ev in (Transition(1618.5, "stand_to_sit", 1620.0), PostureChanged(1620.0, "sitting", "standing"),
               SlouchStarted(3015.0, -9.1), BreakSnoozed(3420.0, 3720.0, 1)):
        board.handle(ev)
    app = make_app(board, subtitle="snapshot")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.4)
        assert not isinstance(app.screen, BreakScreen)
        check_snapshot("main", app.export_screenshot())


async def test_break_screen_snapshot_opens_on_the_prompt() -> None:
    board = Board()
    board.publish(fixed_view(prompt_active=True, prompt_level=1))
    app = make_app(board, subtitle="snapshot")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.4)
        assert isinstance(app.screen, BreakScreen)
        await pilot.pause(0.5)  # the modal's footer lays out after the push
        check_snapshot("break", app.export_screenshot())
        guide = GuideView("Standing hip flexor stretch", ("Stand in a long stride.", "Tuck your tailbone under."),
                          "Stop if you feel pain.", "left", 1, 2, 30.0, 12.0, True, 0, 4, ("Standing knee hug",))
        board.publish(fixed_view(posture="standing", guide=guide, bout_s=0.0))
        await pilot.pause(0.4)
        check_snapshot("break-guided", app.export_screenshot())


def live_pipeline(limit_s: float) -> tuple[Pipeline, Coach, object]:
    rate = 25.0
    engine = PostureEngine(rate, _demo_calibration(0, rate))
    pipeline = Pipeline(Decoder(), engine, [], rate)
    coach = Coach(CoachSettings(sitting_limit_s=limit_s, snooze_s=60.0))
    blocks = (c.block for c in SimulatedWearer(seed=0, rate_hz=rate).chunks())
    return pipeline, coach, blocks


async def feed_until(feeder, blocks, cond, pilot, limit: int = 400) -> None:  # type: ignore[no-untyped-def]
    for _ in range(limit):
        if cond():
            break
        block = next(blocks)
        for i in range(0, len(block), 250):  # 10 s chunks
            feeder.feed(block.slice(i, i + 250))
    await pilot.pause(0.4)


async def test_break_flow_prompt_snooze_start_and_quit() -> None:
    pipeline, coach, blocks = live_pipeline(limit_s=120.0)
    board = Board()
    feeder = make_feeder(pipeline, coach, board)
    app = make_app(board)
    async with app.run_test(size=SIZE) as pilot:
        await feed_until(feeder, blocks, lambda: coach.st.prompt_active, pilot)
        assert isinstance(app.screen, BreakScreen), "the prompt opens the break screen"
        await pilot.press("s")
        await pilot.pause(0.1)
        feeder.apply_actions()
        assert coach.st.snoozes_today == 1 and not isinstance(app.screen, BreakScreen)
        await pilot.press("b")
        await pilot.pause(0.1)
        feeder.apply_actions()
        assert coach.st.guided and feeder.guide is not None and isinstance(app.screen, BreakScreen)
        kinds = [e.kind for e in board.recent()]
        assert "break_snoozed" in kinds and "break_started" in kinds
        await pilot.pause(0.4)
        log = app.main.query_one("#events")
        assert any("break_started" in line for line in log.lines)  # type: ignore[attr-defined]
        await pilot.press("escape")
        await pilot.press("q")
    assert app.return_code in (0, None)


@pytest.mark.parametrize("key, action", [("k", "skip"), ("d", "dnd")])
async def test_keys_queue_actions_for_the_stream(key: str, action: str) -> None:
    board = Board()
    app = make_app(board)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        await pilot.pause(0.1)
    assert [a for a, _ in board.take_actions()] == [action]


async def test_live_run_feeds_the_dashboard_from_its_own_thread(isolated_home: Path) -> None:
    """`run` in a terminal: a virtual sensor on the bumble link, streamed in a worker thread with its own
    event loop; the dashboard shows the link state and the measured rate, notices replace stderr lines,
    and quitting stops the stream and leaves the summary on the board."""
    import asyncio
    import threading

    from monitor.cli.common import load_config
    from monitor.cli.live_session import LiveOptions, LiveSession

    session = LiveSession(load_config(None), LiveOptions(virtual=["witmotion-wt901ble"], speed=20.0,
                                                          stats=False))
    board = session.board = Board()
    session.say = board.note
    notes: list[str] = []

    def runner(stop: threading.Event) -> None:
        session.stop = stop
        asyncio.run(session.run())

    app = make_app(board, thread_runner=runner)
    app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(60):
            await pilot.pause(0.25)
            if board.read_view().t_s > 60.0:
                break
        view = board.read_view()
        assert view.link_state == "streaming" and view.rate_hz == pytest.approx(10.0, abs=0.5)
        assert view.posture in {"standing", "sitting"}
        await pilot.press("q")
    for _ in range(40):
        if board.summary is not None:
            break
        await asyncio.sleep(0.1)
    assert board.summary is not None and board.summary["link"]["connects"] == 1
    assert any("streaming" in n for n in notes), notes


async def test_a_failing_stream_closes_the_dashboard_with_its_error() -> None:
    from monitor.errors import DeviceError

    def runner(stop: object) -> None:
        raise DeviceError("nosuch", "not found")

    board = Board()
    app = make_app(board, thread_runner=runner)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.6)
    assert isinstance(board.error, DeviceError)


def test_stretch_rotation_carries_over_a_restart(isolated_home: Path) -> None:
    """Two runs on the same day with the statistics store: the second run's break suggests the
    stretches the first did not use."""
    from monitor.sinks.stats import StatsStore
    from monitor.timebase import TimeBase

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
