"""Virtual sensors for the command line: a simulated wearer or a recording, streamed per a profile."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from monitor.errors import InputError
from monitor.profiles import Profile
from monitor.samples import SampleBlock
from monitor.sim import SimulatedWearer
from monitor.virtual.sensor import VirtualSensor, advertised_name


def nearest_rate_hz(profile: Profile, want_hz: float | None) -> float:
    """The profile's supported rate closest to `want_hz` (its default when none is asked)."""
    if want_hz is None or not profile.rate.supported_hz:
        return want_hz or profile.rate.default_hz
    return float(min(profile.rate.supported_hz, key=lambda hz: abs(hz - want_hz)))


def simulated_blocks(seed: int, rate_hz: float) -> Iterator[SampleBlock]:
    """The seeded simulated wearer, forever, in the sensor's own frame."""
    return (c.block for c in SimulatedWearer(seed=seed, rate_hz=rate_hz).chunks())


def recorded_blocks(path: Path, profile: Profile) -> Iterator[SampleBlock]:
    """A recording's samples in 10 s pieces (raw-frame recordings are decoded with `profile`)."""
    from monitor.decode import Decoder
    from monitor.sessions import open_recording
    from monitor.sources.recorded import frames_of

    rec = open_recording(path)
    block = rec.samples()
    if block is None and rec.has_frames:
        log = rec.frames()
        rate = float(rec.header.get("sample_rate_hz") or profile.rate.default_hz)
        block = Decoder(profile, rate).decode(frames_of(log, log.payloads()))
    if block is None or len(block) == 0:
        raise InputError(f"{path}: no samples to stream")
    step = max(1, int(10 * block.rate_hz))
    return (block.slice(i, i + step) for i in range(0, len(block), step))


def sensor_name(profile: Profile, index: int) -> str:
    """Advertised name of the index-th virtual sensor of a profile ('WT-virtual', 'WT-virtual-2')."""
    base = advertised_name(profile)
    return base if index == 0 else f"{base}-{index + 1}"


def make_sensor(profile: Profile, index: int, blocks: Iterator[SampleBlock], speed: float = 1.0,
                address: str | None = None, name: str | None = None, hci: Any = None) -> VirtualSensor:
    """A virtual sensor with a distinct address and name per index."""
    return VirtualSensor(profile, blocks, address=address or f"C0:98:E5:00:01:{index + 1:02X}",
                         name=name or sensor_name(profile, index), speed=speed, hci=hci)


async def serve(profile: Profile, transport: str, *, source: Path | None = None, seed: int = 0,
                rate_hz: float | None = None, speed: float = 1.0, duration_s: float | None = None,
                address: str = "C0:98:E5:00:02:01", name: str | None = None) -> int:
    """Be a sensor on a real HCI controller until `duration_s`, Ctrl-C, or the recording's end."""
    import asyncio
    import sys

    from bumble.transport import open_transport

    from monitor.errors import DeviceError

    blocks = (recorded_blocks(source, profile) if source is not None
              else simulated_blocks(seed, nearest_rate_hz(profile, rate_hz)))
    try:
        hci = await open_transport(transport)
    except Exception as e:  # bad spec, no such device, refused: one line, not a traceback
        raise DeviceError(transport, f"cannot open HCI transport ({type(e).__name__}: {e})") from None
    async with hci:
        sensor = make_sensor(profile, 0, blocks, speed, address=address, name=name,
                             hci=(hci.source, hci.sink))
        await sensor.start()
        print(f"posture-monitor: virtual {profile.id} advertising as {sensor.name} ({sensor.address}) "
              f"on {transport}", file=sys.stderr, flush=True)
        loop = asyncio.get_running_loop()
        end = None if duration_s is None else loop.time() + duration_s
        try:
            while not sensor.finished and (end is None or loop.time() < end):
                await asyncio.sleep(0.1)
        finally:
            print(f"posture-monitor: sent {sensor.sent_frames} frames", file=sys.stderr, flush=True)
            await sensor.stop()
    return 0
