"""End to end over a real BLE stack with no radio: a bumble virtual sensor, reached through bleak's
public BleakScanner/BleakClient with our bumble backends, streamed by the production client."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from monitor.cli.streams import _demo_calibration
from monitor.decode import Decoder
from monitor.engine import PostureEngine
from monitor.events import Event
from monitor.pipeline import Pipeline
from monitor.profiles import Registry
from monitor.sessions import open_recording
from monitor.sessions.writer import RecordingWriter, base_header
from monitor.sim import SimulatedWearer
from monitor.sim.wearer import SensorModel
from monitor.sources.ble import LinkSettings, SensorLink
from monitor.sources.live import LiveStream, run_live
from monitor.virtual.bleak_backend import BumbleClient, BumbleScanner
from monitor.virtual.sensor import VirtualSensor

RATE, SPEED = 25.0, 5.0
REG = Registry.load()


class Collect:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def handle(self, event: Event) -> None:
        self.events.append(event)

    def close(self, summary: dict) -> None:
        pass


def live(profile_id: str, seed: int, recorder: RecordingWriter | None = None,
         settings: LinkSettings | None = None) -> tuple[VirtualSensor, LiveStream, Collect]:
    """A virtual sensor streaming a simulated wearer at SPEED x real time, and a client for it whose
    clock runs at the same speed (so the engine sees the wearer's own timeline)."""
    p = REG.get(profile_id)
    # no simulated drops: the only gaps in these tests are the ones the faults cause
    wearer = SimulatedWearer(seed=seed, rate_hz=RATE, sensor=SensorModel(drop_every_s=1e9, gap_every_s=1e9))
    sensor = VirtualSensor(p, (c.block for c in wearer.chunks()), speed=SPEED,
                           address=f"C0:98:E5:00:{seed:02X}:01")
    link = SensorLink(sensor.name, p, rate_hz=RATE, scanner_backend=BumbleScanner, client_backend=BumbleClient,
                      clock=lambda: time.monotonic() * SPEED,
                      settings=settings or LinkSettings(stall_s=1.5 * SPEED, backoff_min_s=0.05, connect_timeout_s=3.0))
    sink = Collect()
    engine = PostureEngine(RATE, _demo_calibration(seed, RATE))
    pipeline = Pipeline(Decoder(p, RATE), engine, [sink], RATE)
    return sensor, LiveStream(link, pipeline, recorder), sink


def deadline(seconds: float, cond: Callable[[], bool]) -> Callable[[], bool]:
    end = time.monotonic() + seconds
    return lambda: cond() or time.monotonic() > end


@pytest.mark.parametrize("profile_id", ["witmotion-wt901ble", "nordic-thingy52", "microbit-accelerometer"])
async def test_scan_connect_stream_decode_and_detect_a_sit_down(profile_id: str) -> None:
    sensor, stream, sink = live(profile_id, seed=3)
    await sensor.start()
    try:
        def sat_down() -> bool:
            return any(getattr(e, "kind", "") == "stand_to_sit" for e in sink.events)
        await run_live([stream], until=deadline(40, sat_down))
    finally:
        await sensor.stop()
    assert sat_down(), f"no stand_to_sit; events: {[e.to_dict() for e in sink.events][:10]}"
    counts = stream.pipeline.decoder.counts()
    assert counts["frames_ok"] > 100 and counts["dropped_length"] == 0
    assert stream.link.status.device_info["firmware"] == "virtual-1.0"
    if REG.get(profile_id).battery_characteristic:
        assert stream.link.status.battery_pct == sensor.battery_pct


async def test_client_recovers_from_every_fault_and_the_recording_keeps_every_frame(tmp_path: Path) -> None:
    """Drop the link, stall, send garbage, restart under another address: streaming resumes each
    time, and the recording holds exactly the frames the client received."""
    path = tmp_path / "faults.pmrec"
    rec = RecordingWriter(path, base_header(profile="witmotion-wt901ble", sample_rate_hz=RATE))
    sensor, stream, _ = live("witmotion-wt901ble", seed=4, recorder=rec)
    link = stream.link
    await sensor.start()

    async def faults() -> None:
        async def resumed(connects: int) -> None:
            while not (link.status.connects >= connects and link.status.state == "streaming"
                       and sensor.streaming):
                await asyncio.sleep(0.02)
            start = link.status.frames
            while link.status.frames < start + 20:
                await asyncio.sleep(0.02)
        await resumed(1)
        await sensor.drop_link()
        await resumed(2)
        sensor.stall(3.0)
        await resumed(3)
        await sensor.send_garbage(10)
        start = link.status.frames
        while link.status.frames < start + 30:
            await asyncio.sleep(0.02)
        await sensor.restart("C0:98:E5:00:44:01")
        await resumed(4)

    job = asyncio.create_task(faults())
    try:
        await run_live([stream], until=deadline(60, job.done))
    finally:
        await sensor.stop()
    assert job.done() and job.exception() is None, "the client did not recover from every fault"
    s = link.status
    assert s.drops >= 2 and s.stalls >= 1 and s.connects >= 4
    assert s.address == "C0:98:E5:00:44:01"  # found again by name under its new address
    assert stream.pipeline.decoder.counts()["dropped_header"] >= 1  # the garbage, counted not fatal
    frames = open_recording(path).frames()
    assert len(frames) == s.frames  # nothing received was lost from the recording
    assert all(r < 5.0 for r in s.reconnect_s)
