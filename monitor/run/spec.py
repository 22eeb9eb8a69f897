"""What a run is, as data: where the samples come from, what listens, and which front end shows it.
Built by the command line from its arguments; `monitor.run.build` is the one place that makes a run."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from monitor.config import Config


@dataclass(frozen=True)
class SimulatorSpec:
    """The seeded simulated wearer, `speed` x real time (None: as fast as possible)."""

    seed: int = 0
    rate_hz: float = 50.0
    duration_s: float | None = None
    speed: float | None = 1.0


@dataclass(frozen=True)
class ReplayCalibration:
    """The calibration a replay's engine starts from: the one in the recording's header (what the live
    run used), `none` (the engine finds its own reference), a calibration JSON `path`, or the one
    `calibrate` stored for `device`. Resolved when the run is built (monitor/run/replay_calibration.py)."""

    source: Literal["header", "none", "file", "device"] = "header"
    path: Path | None = None
    device: str | None = None


@dataclass(frozen=True)
class ReplaySpec:
    """A recording; raw frames decode with `profile_id`, else the profile its header names."""

    path: Path
    speed: float | None = None
    profile_id: str | None = None
    calibration: ReplayCalibration = ReplayCalibration()


@dataclass(frozen=True)
class BleSpec:
    """Live sensors by name or address, and/or in-process virtual sensors of the given profiles.
    Times are stream seconds: `speed` x real time (only virtual sensors may run faster)."""

    devices: tuple[str, ...] = ()
    virtual: tuple[str, ...] = ()
    profile_id: str | None = None
    rate_hz: float | None = None
    duration_s: float | None = None
    speed: float = 1.0
    seed: int = 0
    scan_timeout_s: float = 5.0
    script: Literal["day", "calibration"] = "day"  # what virtual wearers do


SourceSpec = SimulatorSpec | ReplaySpec | BleSpec
FrontEnd = Literal["headless", "dashboard", "none"]  # none: events reach only the given sinks (report)


@dataclass(frozen=True)
class RunSpec:
    """One run: a source, the engine and coach from `cfg`, the sinks asked for, one front end."""

    cfg: Config
    source: SourceSpec
    front_end: FrontEnd = "headless"
    title: str = ""
    stats: bool | None = None  # None: real sensors go to the statistics store, others do not
    record: Path | None = None  # raw frames of a live run (a second sensor goes to FILE-2)
    force: bool = False  # overwrite an existing recording
    mqtt: bool = True  # publish when a broker is configured
    coach: bool = True  # False: decode and engine only (nothing to coach)
    working_hours: bool = True  # False (the demo): the coach prompts at any hour
    demo: bool = False  # simulated sensors only: MQTT as `<id>_demo`, statistics (--stats) in the demo store
    extra_sinks: tuple[object, ...] = field(default=())  # tests and benchmarks: more event sinks

    @property
    def live(self) -> bool:
        return isinstance(self.source, BleSpec)

    @property
    def real_sensor(self) -> bool:
        return isinstance(self.source, BleSpec) and not self.source.virtual
