"""Opening a run's sources from its spec: the simulator, a recording, or BLE sensors (ble_sources.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from monitor.config import Config
from monitor.engine.calibration import Calibration
from monitor.errors import InputError
from monitor.profiles import Registry
from monitor.run.replay_calibration import replay_calibration
from monitor.run.spec import ReplaySpec, SimulatorSpec, SourceSpec
from monitor.sessions import open_recording
from monitor.sessions.recovery import damage_note
from monitor.sources.base import Source
from monitor.sources.recorded import ReplaySource

if TYPE_CHECKING:  # bleak and bumble are imported only by BLE runs
    from monitor.sources.live import BleHub
    from monitor.virtual.sensor import VirtualSensor

Say = Callable[[str], None]


@dataclass
class Opened:
    """A run's sources, each with the calibration its engine starts from, and what they run on."""

    sources: list[Source]
    calibrations: list[Calibration | None]
    hub: BleHub | None = None
    virtual: list[VirtualSensor] = field(default_factory=list)

    def close(self) -> None:
        for s in self.sources:
            s.close()
        if self.hub is not None:
            for sensor in self.virtual:
                self.hub.call(sensor.stop(), timeout_s=10.0)
            self.hub.close()


def open_sources(spec: SourceSpec, cfg: Config, say: Say) -> Opened:
    if isinstance(spec, SimulatorSpec):
        from monitor.sim.calibration import demo_calibration  # the simulator (and scipy.signal) only here
        from monitor.sources.simulated import SimulatorSource

        src = SimulatorSource(spec.seed, spec.rate_hz, spec.duration_s, spec.speed)
        return Opened([src], [demo_calibration(spec.seed, spec.rate_hz)])
    if isinstance(spec, ReplaySpec):
        return _replay(spec, cfg, say)
    from monitor.run.ble_sources import open_ble

    return open_ble(spec, cfg, say)


def _replay(spec: ReplaySpec, cfg: Config, say: Say) -> Opened:
    rec = open_recording(spec.path)
    if (note := damage_note(spec.path, rec.damaged)) is not None:
        say(note)
    profile = None
    if rec.has_frames:
        pid = spec.profile_id or rec.header.get("profile")
        if not pid:
            raise InputError(f"{spec.path}: holds raw frames but names no device profile: give --profile ID")
        profile = Registry.load(cfg["paths.profiles_dir"]).get(str(pid))
    cal = replay_calibration(spec.calibration, rec.header, spec.profile_id, say)
    return Opened([ReplaySource(rec, spec.speed, profile)], [cal])


