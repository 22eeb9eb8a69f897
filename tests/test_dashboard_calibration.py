"""The dashboard's calibration screen: opened by a key, fed by the stream, checked and cancelled."""

from __future__ import annotations

import threading
import time

import numpy as np

from monitor.coach.coach import Coach
from monitor.decode import Decoder
from monitor.engine import PostureEngine
from monitor.pipeline import Pipeline
from monitor.samples import SampleBlock
from monitor.sim.calibration import calibration_blocks
from monitor.ui.app import make_app
from monitor.ui.board import Board
from monitor.ui.screens.calibration_screen import CalibrationScreen
from monitor.ui.view import CalibrationView, LiveView
from tests.test_dashboard import SIZE, check_snapshot, fixed_view, make_feeder, redrawn, settle, wait_for

RATE = 50.0


def stream_runner(board: Board, engine: PostureEngine, notes: list[str],  # type: ignore[no-untyped-def]
                  follow: bool = True):
    """A wearer standing about until the calibration starts, then following its prompts (the
    protocol's script; with `follow` False, still standing about, so it never finishes), in a thread. Every block publishes a view, so each step reaches the board
    however fast the thread runs; the short sleep only leaves the UI some CPU."""
    pipeline = Pipeline(Decoder(), engine, [], RATE)
    feeder = make_feeder(pipeline, Coach(), board)
    board.note = notes.append  # type: ignore[method-assign]
    idle = calibration_blocks(3, RATE, chunk_s=0.5, repeat=True, script=(("stand", 2.0, 0.0),))
    script = calibration_blocks(3, RATE, chunk_s=0.5, repeat=True)

    def run(stop: threading.Event) -> None:
        t_s = 0.0
        for _ in range(2000):
            if stop.is_set():
                break
            block = next(script if follow and feeder.calibration.live is not None else idle)
            block = SampleBlock(t_s + np.arange(len(block)) / RATE, block.acc_g, block.gyro_dps, RATE)
            t_s += len(block) / RATE
            feeder.feed(block)
            time.sleep(0.02)

    return run


async def test_calibration_from_the_dashboard_key_to_a_calibrated_engine() -> None:
    board, engine, notes = Board(), PostureEngine(RATE), []
    seen: set[int] = set()  # steps the stream showed
    publish = board.publish

    def record(view: LiveView) -> None:
        if view.calibration is not None:
            seen.add(view.calibration.index)
        publish(view)

    board.publish = record  # type: ignore[method-assign]
    app = make_app(board, thread_runner=stream_runner(board, engine, notes))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, CalibrationScreen)
        await wait_for(pilot, lambda: any("Calibrated" in n for n in notes), "the calibration to finish")
        assert seen == {0, 1, 2, 3}  # stand, sit, slump, bends: each on screen
        await wait_for(pilot, lambda: not isinstance(app.screen, CalibrationScreen), "the screen to close")
        await pilot.press("q")
    assert any("Calibrated (left-right axis from" in n for n in notes), notes
    assert engine.calibrated and engine.summary()["calibrated"] is True
    assert not np.allclose(engine.cal.r, np.eye(3))


async def test_escape_cancels_and_closes_the_screen() -> None:
    board, engine, notes = Board(), PostureEngine(RATE), []
    app = make_app(board, thread_runner=stream_runner(board, engine, notes, follow=False))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await wait_for(pilot, lambda: board.read_view().calibration is not None, "the calibration to start")
        await redrawn(pilot, app)
        assert isinstance(app.screen, CalibrationScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, CalibrationScreen)
        await wait_for(pilot, lambda: any("cancelled" in n for n in notes), "the stream to cancel")
        await wait_for(pilot, lambda: board.read_view().calibration is None, "a view without the calibration")
        await redrawn(pilot, app)
        assert not isinstance(app.screen, CalibrationScreen)
        await pilot.press("q")
    assert not engine.calibrated


async def test_a_view_from_before_the_cancel_does_not_reopen_the_screen() -> None:
    """Esc closes the screen at once; until the stream takes the cancel, the board still holds a view
    with the calibration under way, and redraws must not open the screen again for it."""
    board = Board()
    board.publish(fixed_view(calibration=failed_step()))
    app = make_app(board)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, CalibrationScreen), "the calibration screen")
        await pilot.press("escape")
        await redrawn(pilot, app)
        assert not isinstance(app.screen, CalibrationScreen), "reopened by a stale view"
        board.publish(fixed_view())  # the stream took the cancel
        await redrawn(pilot, app)
        board.publish(fixed_view(calibration=failed_step()))  # a calibration started later (MQTT) shows
        await redrawn(pilot, app)
        assert isinstance(app.screen, CalibrationScreen)


def failed_step() -> CalibrationView:
    return CalibrationView("Sit upright", "Sit back in your chair, upright, and hold still for 5 s.", 1, 4,
                           "still", True, "failed", 0.35, 1.5, 5.0, 12.0, 0, 2,
                           "'Sit upright' timed out after 30 s: you moved during the step (held still 1.5 of "
                           "5 s): hold still until the countdown ends",
                           ("the sensor's axes look swapped for 'back-centre' (70 deg from the preset's up)",))


async def test_calibration_screen_snapshot_with_a_failed_step() -> None:
    board = Board()
    board.publish(fixed_view(calibration=failed_step()))
    app = make_app(board, subtitle="snapshot")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, CalibrationScreen), "the calibration screen")
        await redrawn(pilot, app)
        check_snapshot("calibration-failed", app.export_screenshot())
        await pilot.press("r")
        await wait_for(pilot, lambda: not board.actions.empty(), "the retry request")
        await settle(pilot)
        assert ("calibration_retry", None) in board.take_actions()


def test_a_moved_clip_offers_recalibration_on_the_dashboard() -> None:
    from monitor.events import CalibrationDrift

    board, notes = Board(), []
    board.note = notes.append  # type: ignore[method-assign]
    pipeline = Pipeline(Decoder(), PostureEngine(RATE), [], RATE)
    feeder = make_feeder(pipeline, Coach(), board)
    feeder._track([CalibrationDrift(100.0, 13.6, 11.0, -8.3)])
    assert notes == ["The clip seems to have moved (14 deg from its calibration): press c to calibrate again"]
