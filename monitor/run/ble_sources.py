"""BLE sources of a run: real sensors found by a scan, or virtual ones started on the in-process bumble
link, all on one Bluetooth hub; each a LiveSource with the calibration its engine starts from."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from monitor.calibrate.store import CalibrationStore
from monitor.config import Config
from monitor.engine.calibration import Calibration
from monitor.errors import DeviceError, InputError
from monitor.profiles import Profile, Registry
from monitor.run.sources import Opened, Say
from monitor.run.spec import BleSpec
from monitor.samples import SampleBlock
from monitor.sim.calibration import demo_calibration
from monitor.sources.ble import LinkSettings, LinkStatus, SensorLink
from monitor.sources.live import BleHub, LiveSource
from monitor.virtual.fleet import make_sensor, nearest_rate_hz, simulated_blocks
from monitor.virtual.sensor import VirtualSensor


def open_ble(spec: BleSpec, cfg: Config, say: Say) -> Opened:
    """Start the hub and any virtual sensors, then one LiveSource per device (not yet streaming)."""
    registry = Registry.load(cfg["paths.profiles_dir"], say)
    opened = Opened([], [], BleHub(spec.speed))
    try:
        backends = _start_virtual(spec, registry, opened, say)
        devices = list(spec.devices) or [s.name for s in opened.virtual]
        if not devices:
            raise InputError("give --device NAME_OR_ADDRESS (or --virtual PROFILE for a simulated sensor)")
        for i, device in enumerate(devices):
            src, cal = _live(spec, registry, opened, device, backends, say)
            opened.sources.append(src)
            opened.calibrations.append(cal if cal is not None else _virtual_cal(spec, opened, i, src))
    except BaseException:
        opened.close()
        raise
    return opened


def start_virtual_sensors(spec: BleSpec, registry: Registry, hub: BleHub, say: Say) -> list[VirtualSensor]:
    """The spec's virtual sensors, advertising on the in-process link (for `run`, `demo --ble`, `scan`)."""
    out = []
    for i, pid in enumerate(spec.virtual):
        p = registry.get(pid)
        rate = nearest_rate_hz(p, spec.rate_hz)
        sensor = make_sensor(p, i, _virtual_blocks(spec, spec.seed + i, rate), spec.speed)
        hub.call(sensor.start(), timeout_s=30.0)
        out.append(sensor)
        say(f"virtual sensor {sensor.name} ({sensor.address}, {p.id}) on the in-process link")
    return out


def _start_virtual(spec: BleSpec, registry: Registry, opened: Opened, say: Say) -> tuple[object, object]:
    if not spec.virtual:
        return None, None
    from monitor.virtual.bleak_backend import BumbleClient, BumbleScanner

    assert opened.hub is not None
    opened.virtual = start_virtual_sensors(spec, registry, opened.hub, say)
    return BumbleScanner, BumbleClient


def _virtual_blocks(spec: BleSpec, seed: int, rate_hz: float) -> Iterator[SampleBlock]:
    if spec.script == "calibration":
        from monitor.sim.calibration import calibration_blocks

        return calibration_blocks(seed, rate_hz, repeat=True)
    return simulated_blocks(seed, rate_hz)


def _virtual_cal(spec: BleSpec, opened: Opened, index: int, src: LiveSource) -> Calibration | None:
    """A virtual sensor's wearer is calibrated as the demo's (its guided calibration, same mounting)."""
    names = [s.name for s in opened.virtual]
    if src.name not in names or spec.script == "calibration":
        return None
    return demo_calibration(spec.seed + names.index(src.name), src.rate_hz)


def _live(spec: BleSpec, registry: Registry, opened: Opened, device: str, backends: tuple[object, object],
          say: Say) -> tuple[LiveSource, Calibration | None]:
    assert opened.hub is not None
    p = _profile(spec, registry, opened.hub, device, backends[0])
    rate = nearest_rate_hz(p, spec.rate_hz)
    if spec.rate_hz and rate != spec.rate_hz:
        say(f"{device}: {p.id} does not offer {spec.rate_hz:g} Hz; using {rate:g} Hz")
    link = SensorLink(device, p, rate_hz=rate, scanner_backend=backends[0], client_backend=backends[1],
                      settings=LinkSettings(stall_s=3.0 * spec.speed, scan_timeout_s=spec.scan_timeout_s))
    src = LiveSource(opened.hub, link, rate, spec.duration_s, _reporter(device, say))
    return src, _stored_calibration(p, device, not spec.virtual, say)


def _profile(spec: BleSpec, registry: Registry, hub: BleHub, device: str, scanner: object) -> Profile:
    if spec.profile_id:
        return registry.get(spec.profile_id)
    from monitor.sources.scan import resolve

    found = hub.call(resolve(registry, device, spec.scan_timeout_s, scanner))
    if found.profile is None:
        raise DeviceError(device, f"matches no device profile (name {found.name!r}); give --profile ID")
    return registry.get(found.profile)


def _stored_calibration(p: Profile, device: str, real: bool, say: Say) -> Calibration | None:
    """The stored calibration of this sensor (from `calibrate`), if any."""
    stored = CalibrationStore().load(p.id, device)
    if stored is not None:
        say(f"{device}: using the calibration of {stored.created}")
        return stored.calibration_obj()
    if real:
        say(f"{device}: not calibrated (angles are approximate): run posture-monitor calibrate")
    return None


def _reporter(name: str, say: Say) -> Callable[[LinkStatus], None]:
    """Link state changes as one line each (repeats of the same state are not news)."""
    last: list[str] = []

    def report(s: LinkStatus) -> None:
        if last and last[-1] == s.state:
            return
        last.append(s.state)
        info = ", ".join(f"{k} {v}" for k, v in s.device_info.items())
        extra = f" ({s.address}{'; ' + info if info else ''})" if s.state == "streaming" else ""
        why = f" after {s.last_error}" if s.state == "reconnecting" and s.last_error else ""
        say(f"{name}: {s.state}{extra}{why}")
    return report
