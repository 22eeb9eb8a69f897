"""The BLE commands end to end: `scan`, `run` (one and two sensors, recording), `demo --ble`, and
`virtual-sensor` serving over a real HCI transport (TCP) to a controller in this process."""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from pathlib import Path
from typing import Any

import pytest
from bleak.backends.scanner import BaseBleakScanner
from bumble.controller import Controller
from bumble.transport import open_transport

from monitor.cli.main import main
from monitor.errors import DeviceError
from monitor.profiles import Registry
from monitor.sessions import open_recording
from monitor.sources.ble import LinkSettings, SensorLink
from monitor.sources.scan import scan
from monitor.virtual.bleak_backend import BumbleClient, BumbleScanner
from monitor.virtual.link import shared_link

WT, THINGY = "witmotion-wt901ble", "nordic-thingy52"


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(x) for x in text.splitlines() if x.startswith("{") or x.startswith("[")]


def test_scan_lists_virtual_sensors_with_their_profiles(isolated_home: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "--virtual", WT, "--virtual", "microbit-accelerometer", "--timeout", "1", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert {(f["name"], f["profile"]) for f in found} == {
        ("WT-virtual", WT), ("BBC micro:bit-virtual-2", "microbit-accelerometer")}
    assert all(f["address"].startswith("C0:98:E5") and isinstance(f["rssi"], int) for f in found)


class NoAdapter(BaseBleakScanner):
    """A scanner backend whose start fails like BlueZ without an adapter."""

    def __init__(self, *a: Any, **k: Any) -> None:
        super().__init__(None, None)

    async def start(self) -> None:
        raise FileNotFoundError(2, "No such file or directory")

    async def stop(self) -> None:
        pass


async def test_a_missing_adapter_is_a_device_error_not_a_traceback() -> None:
    with pytest.raises(DeviceError, match="no usable Bluetooth adapter"):
        await scan(Registry.load(), 0.5, NoAdapter)


def test_run_an_unknown_device_says_what_was_heard(isolated_home: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--virtual", WT, "--device", "nope", "--scan-timeout", "0.5"]) == 3
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("posture-monitor: error: nope: not found") and "WT-virtual" in err


def test_run_speed_needs_a_virtual_sensor(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--device", "WT-1", "--speed", "5"]) == 2
    assert "only --virtual" in capsys.readouterr().err


def test_run_two_sensors_at_once_each_detected_and_recorded(tmp_path: Path, isolated_home: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    rec = tmp_path / "hips.pmrec"
    assert main(["run", "--virtual", WT, "--virtual", THINGY, "--for", "90", "--speed", "15",
                 "--record", str(rec), "--json"]) == 0
    lines = json_lines(capsys.readouterr().out)
    for sensor, path in (("WT-virtual", rec), ("Thingy-virtual-2", tmp_path / "hips-2.pmrec")):
        mine = [x for x in lines if x.get("sensor") == sensor]
        assert any(x["type"] == "stand_to_sit" for x in mine), sensor
        summary = mine[-1]
        assert summary["type"] == "summary" and summary["link"]["connects"] == 1
        assert summary["gaps"] == 0  # however the machine was loaded: late frames are not lost
        recording = open_recording(path)
        assert len(recording.frames()) == summary["link"]["frames"] > 0  # every received frame kept
        assert recording.header["profile"] in (WT, THINGY)


def test_demo_ble_matches_the_plain_demo(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Same wearer through the full BLE stack: the same sit-down, the same summary fields. Times are
    compared from the wearer's first posture, because the link's set-up before the first sample takes
    wall time (x 30 in stream seconds), which depends on the machine."""
    assert main(["demo", "--for", "120", "--speed", "max", "--rate", "10", "--json"]) == 0
    plain = json_lines(capsys.readouterr().out)
    assert main(["demo", "--ble", "--for", "150", "--speed", "30", "--rate", "10", "--json"]) == 0
    ble = json_lines(capsys.readouterr().out)

    def sit_after_first_posture(lines: list[dict[str, Any]]) -> float:
        first = next(x["t"] for x in lines if x["type"] == "posture_changed")
        return next(x["t"] for x in lines if x["type"] == "stand_to_sit") - first
    assert abs(sit_after_first_posture(plain) - sit_after_first_posture(ble)) < 0.5
    assert set(plain[-1]) - {"frames", "link"} <= set(ble[-1])
    assert ble[-1]["gaps"] == 0 and ble[-1]["frames"]["frames_ok"] == ble[-1]["link"]["frames"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_virtual_sensor_command_serves_over_an_hci_transport() -> None:
    """`virtual-sensor` in its own process, on a controller reached over TCP HCI; our client streams it."""
    port = free_port()
    hci = await open_transport(f"tcp-server:127.0.0.1:{port}")
    Controller("hub", host_source=hci.source, host_sink=hci.sink, link=shared_link())
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "monitor", "virtual-sensor", "--profile", WT, "--speed", "4",
        "--transport", f"tcp-client:127.0.0.1:{port}", "--for", "120", "--name", "WT-hub",
        stderr=asyncio.subprocess.PIPE)
    frames: list[bytes] = []
    link = SensorLink("WT-hub", Registry.load().get(WT), lambda _t, _c, d: frames.append(d),
                      scanner_backend=BumbleScanner, client_backend=BumbleClient,
                      settings=LinkSettings(scan_timeout_s=10, backoff_min_s=0.2))
    task = asyncio.create_task(link.run())
    try:
        for _ in range(2400):  # bounds a hang only (120 s)
            if len(frames) >= 30:
                break
            await asyncio.sleep(0.05)
    finally:
        link.stop()
        await task
        proc.terminate()
        _, err = await proc.communicate()
        await hci.close()
    assert len(frames) >= 30, err.decode()
    assert all(f[:2] == b"\x55\x61" and len(f) == 20 for f in frames)  # WT901 0x61 data frames
    assert link.status.device_info["firmware"] == "virtual-1.0"
    assert b"advertising as WT-hub" in err


def test_a_recording_streams_as_the_virtual_sensor_source(tmp_path: Path, isolated_home: Path) -> None:
    """`virtual-sensor --from`: a raw-frames recording made by `run` is decoded back to its samples."""
    from monitor.virtual.fleet import recorded_blocks

    rec = tmp_path / "wt.pmrec"
    assert main(["run", "--virtual", WT, "--for", "30", "--speed", "10", "--record", str(rec)]) == 0
    blocks = list(recorded_blocks(rec, Registry.load().get(WT)))
    assert sum(len(b) for b in blocks) == len(open_recording(rec).frames())  # one sample per WT frame
    assert all(len(b) <= 100 for b in blocks)  # 10 s pieces at 10 Hz
    with pytest.raises(Exception, match="no samples"):
        empty = tmp_path / "empty.pmrec"
        from monitor.sessions.writer import RecordingWriter, base_header
        RecordingWriter(empty, base_header(profile=WT)).close()
        next(recorded_blocks(empty, Registry.load().get(WT)))
