"""The dashboard's guided calibration, driven on the stream's thread: started by a key or an MQTT
command, fed every decoded block, and on success the engine measures with the result (stored for
the sensor when there is one)."""

from __future__ import annotations

from collections.abc import Callable

from monitor.calibrate.live import LiveCalibration
from monitor.engine.calibration import Calibration
from monitor.engine.engine import PostureEngine
from monitor.samples import SampleBlock
from monitor.ui.board import Board
from monitor.ui.view import CalibrationView

Saver = Callable[[Calibration, str], str]  # stores the result; returns where, for the user


class CalibrationDriver:
    """`tap` goes among the pipeline's taps (the run's builder puts it there); a result goes to
    `engine.recalibrate` and, with a saver, into the calibration store."""

    def __init__(self, engine: PostureEngine | None, rate_hz: float, board: Board, save: Saver | None = None,
                 preset_id: str | None = None) -> None:
        self.engine, self.rate_hz, self.board = engine, rate_hz, board
        self.save, self.preset_id = save, preset_id
        self.live: LiveCalibration | None = None

    def command(self, name: str) -> None:
        """start, retry, skip or cancel (from Actions)."""
        if name == "start":
            if self.live is None:
                self.live = LiveCalibration(self.rate_hz, self.preset_id)
            return
        if self.live is None:
            return
        self.live.command(name)
        if self.live.cancelled:
            self.live = None
            self.board.note("Calibration cancelled: angles as before")

    def tap(self, block: SampleBlock) -> None:
        if self.live is None:
            return
        self.live.feed(block)
        if self.live.result is not None:
            self._finish(*self.live.result)

    def _finish(self, cal: Calibration, source: str) -> None:
        if self.engine is not None:
            self.engine.recalibrate(cal)
        where = "used for this run (no sensor to store it for)"
        if self.save is not None:
            where = self.save(cal, source)
        self.board.note(f"Calibrated (left-right axis from {source}); {where}")
        self.live = None

    def view(self) -> CalibrationView | None:
        if self.live is None:
            return None
        s = self.live.status()
        step = s.step
        return CalibrationView(step.title, step.say, s.index, s.total, step.kind, step.required, s.state,
                               s.stillness, s.held_s, step.hold_s, s.remaining_s, s.bends, step.count,
                               s.message, s.warnings)
