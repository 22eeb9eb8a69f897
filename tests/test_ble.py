"""End to end over a real BLE stack with no radio: a bumble virtual sensor, reached through bleak's
public BleakScanner/BleakClient with our bumble backends, streamed by the production client on the run's
Bluetooth hub and consumed as a run consumes it. Every check is in sample time or counts."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from monitor.sessions import open_recording
from monitor.sessions.writer import RecordingWriter, base_header
from tests.live_rig import REG, rig

RATE, SPEED = 25.0, 5.0


@pytest.mark.parametrize("profile_id", ["witmotion-wt901ble", "nordic-thingy52", "microbit-accelerometer"])
def test_scan_connect_stream_decode_and_detect_a_sit_down(profile_id: str) -> None:
    r = rig(profile_id, seed=3, rate_hz=RATE, speed=SPEED)
    try:
        assert r.run_until(lambda: "stand_to_sit" in r.sink.kinds()), \
            f"no stand_to_sit; events: {[e.to_dict() for e in r.sink.events][:10]}"
    finally:
        r.close()
    counts = r.stream.pipeline.decoder.counts()
    assert counts["frames_ok"] > 100 and counts["dropped_length"] == 0
    assert "gap" not in r.sink.kinds()  # late frames are not lost frames
    assert r.link.status.device_info["firmware"] == "virtual-1.0"
    if REG.get(profile_id).battery_characteristic:
        assert r.link.status.battery_pct == r.sensor.battery_pct


def test_client_recovers_from_every_fault_and_the_recording_keeps_every_frame(tmp_path: Path) -> None:
    """Drop the link, stall, send garbage, restart under another address: streaming resumes each
    time, and the recording holds exactly the frames the client received."""
    path = tmp_path / "faults.pmrec"
    rec = RecordingWriter(path, base_header(profile="witmotion-wt901ble", sample_rate_hz=RATE))
    r = rig("witmotion-wt901ble", seed=4, rate_hz=RATE, speed=SPEED, recorder=rec)
    sensor, link = r.sensor, r.link

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

    job = r.hub.spawn(faults())  # the faults run on the Bluetooth loop, the consumer here
    try:
        r.run_until(job.done)
    finally:
        r.close()
    assert job.done() and job.exception() is None, "the client did not recover from every fault"
    s = link.status
    assert s.drops >= 2 and s.stalls >= 1 and s.connects >= 4
    assert s.address == "C0:98:E5:00:44:01"  # found again by name under its new address
    assert r.stream.pipeline.decoder.counts()["dropped_header"] >= 1  # the garbage, counted not fatal
    frames = open_recording(path).frames()
    assert len(frames) == s.frames  # nothing received was lost from the recording
