"""A guided calibration inside a running stream (the dashboard's calibration screen): it is fed the
same decoded blocks as the engine, and when it finishes the engine measures with the result."""

from __future__ import annotations

from monitor.calibrate.guided import GuidedCalibration, Status
from monitor.calibrate.protocol import load_presets, load_protocol
from monitor.engine.calibration import Calibration
from monitor.samples import SampleBlock


class LiveCalibration:
    """The guided protocol on live blocks, with the user's retry, skip and cancel."""

    def __init__(self, rate_hz: float, preset_id: str | None = None) -> None:
        preset = load_presets().get(preset_id) if preset_id else None
        self.guided = GuidedCalibration(load_protocol(), rate_hz, preset)
        self.result: tuple[Calibration, str] | None = None  # (calibration, left-right axis source)
        self.cancelled = False

    @property
    def over(self) -> bool:
        return self.cancelled or self.result is not None

    def feed(self, block: SampleBlock) -> None:
        if self.over:
            return
        if self.guided.update(block).finished:
            self.result = self.guided.result()

    def status(self) -> Status:
        return self.guided.status()

    def command(self, name: str) -> None:
        """'retry' a failed step, 'skip' an optional one, or 'cancel'."""
        if name == "retry" and self.guided.st.state == "failed":
            self.guided.retry()
        elif name == "skip":
            self.guided.skip()
        elif name == "cancel":
            self.cancelled = True
