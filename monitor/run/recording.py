"""A live run's recording: the raw frames as they arrived, with a header that holds what a replay
needs to be the live run again (profile, rate, calibration, the stream's epoch, the clock settings)."""

from __future__ import annotations

from collections.abc import Callable

from monitor.decode.clock import ClockSettings
from monitor.engine.calibration import Calibration
from monitor.run.spec import BleSpec, RunSpec
from monitor.sessions.writer import RecordingWriter, base_header
from monitor.sources.base import Source


def make_recorder(spec: RunSpec, src: Source, cal: Calibration | None, index: int,
                  say: Callable[[str], None]) -> RecordingWriter | None:
    path = spec.record
    if path is None or not isinstance(spec.source, BleSpec) or src.profile is None:
        return None
    if index > 0:
        path = path.with_name(f"{path.stem}-{index + 1}{path.suffix}")
    header = base_header(profile=src.profile.id, address=src.name, sample_rate_hz=src.rate_hz,
                         calibration=cal.to_dict() if cal is not None else None,
                         epoch_utc_s=src.epoch_utc_s, speed=spec.source.speed,
                         clock=ClockSettings().scaled(spec.source.speed).to_dict())
    say(f"{src.name}: recording raw frames to {path}")
    return RecordingWriter(path, header, overwrite=spec.force)

