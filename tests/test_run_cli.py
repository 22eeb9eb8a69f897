"""A run as a user starts it: a live recording replays to the events the live run printed, SIGTERM and
Ctrl+C stop cleanly (recording closed, MQTT offline), a stream across midnight lands on two days, and
published timestamps are wall time. Checks are in sample time, counts and wall-clock *dates*, never
in how fast the machine is."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from monitor.cli.main import main
from monitor.labels import LabelSegments
from monitor.sessions import open_recording
from monitor.sessions.writer import RecordingWriter, base_header
from monitor.sim import SimulatedWearer
from monitor.sim.calibration import demo_calibration
from monitor.sinks.stats import StatsStore
from tests.mqtt_broker import Broker, Subscriber
from tests.test_mqtt import BASE, DEMO_BASE, broker, home  # noqa: F401  (fixtures)

WT = "witmotion-wt901ble"
REPO = Path(__file__).resolve().parent.parent


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(x) for x in text.splitlines() if x.startswith("{")]


@pytest.mark.parametrize("speed", ["5", "20"])
def test_a_live_recording_replays_to_the_events_the_live_run_printed(
        speed: str, tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rec = tmp_path / "live.pmrec"
    assert main(["run", "--virtual", WT, "--speed", speed, "--for", str(20 * float(speed)), "--record",
                 str(rec), "--json", "--headless", "--no-stats"]) == 0
    live = json_lines(capsys.readouterr().out)
    assert main(["replay", str(rec), "--json"]) == 0
    replayed = json_lines(capsys.readouterr().out)
    assert [x for x in live if x["type"] != "summary"] == [x for x in replayed if x["type"] != "summary"]
    assert any(x["type"] == "stand_to_sit" for x in live)
    assert live[-1]["gaps"] == replayed[-1]["gaps"] == 0
    assert live[-1]["samples"] == replayed[-1]["samples"]


def start_run(tmp_path: Path, broker: Broker, *extra: str) -> subprocess.Popen[str]:  # noqa: F811
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data")}
    return subprocess.Popen([sys.executable, "-m", "monitor", "run", "--virtual", WT, "--headless", "--json",
                             "--no-stats", "--mqtt", broker.url, *extra], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 0), (signal.SIGINT, 130)])
def test_a_signal_stops_the_run_cleanly(sig: int, code: int, tmp_path: Path, home: Path,  # noqa: F811
                                        broker: Broker) -> None:  # noqa: F811
    """Streaming, recording, publishing; then SIGTERM (systemd) or SIGINT (Ctrl+C): exit 0 or 130, the
    recording closed with every frame, the summary printed, link and availability `offline`."""
    sub = Subscriber(broker)
    rec = home / "run.pmrec"
    proc = start_run(home, broker, "--speed", "5", "--record", str(rec))
    try:
        assert sub.wait_for(lambda: any(json.loads(m.payload).get("posture") in ("standing", "sitting")
                                        for m in sub.on(f"{DEMO_BASE}/state")), 60), "no posture published"
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == code, err
    assert "Traceback" not in err
    summary = json_lines(out)[-1]
    assert summary["type"] == "summary" and summary["samples"] > 0
    recording = open_recording(rec)
    assert recording.damage is None and len(recording.frames()) == summary["link"]["frames"]
    for topic in (f"{DEMO_BASE}/sensor/availability", f"{DEMO_BASE}/availability"):  # virtual: the demo device
        assert sub.wait_for(lambda t=topic: [m.payload for m in sub.on(t)][-1:] == [b"offline"]), topic
    sub.close()


def test_published_timestamps_are_wall_time(tmp_path: Path, home: Path, broker: Broker) -> None:  # noqa: F811
    """At real speed every state's `timestamp` is the wall time it was sent. The bound only separates
    a right epoch from a wrong one (it used to be off by the machine's uptime)."""
    sub = Subscriber(broker)
    proc = start_run(home, broker, "--for", "6")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    states = [(json.loads(m.payload), m.wall_s) for m in sub.on(f"{DEMO_BASE}/state") if not m.retain]
    assert states
    for body, received_s in states:
        sent_s = dt.datetime.fromisoformat(body["timestamp"].replace("Z", "+00:00")).timestamp()
        assert -1.0 < received_s - sent_s < 30.0, body["timestamp"]
    sub.close()


def local_epoch(year: int, month: int, day: int, hour: int, minute: int) -> float:
    return dt.datetime(year, month, day, hour, minute).astimezone().timestamp()


def test_a_stream_across_midnight_lands_on_two_days(tmp_path: Path, home: Path, broker: Broker,  # noqa: F811
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A recording that starts at 23:50 local time, replayed at full speed with --stats and --mqtt: the
    statistics hold two days split at midnight, and `sitting_today_min` drops to 0 at midnight."""
    rec = tmp_path / "late.pmrec"
    wearer = SimulatedWearer(seed=0, rate_hz=50.0)
    header = base_header(sample_rate_hz=50.0, kind="samples", epoch_utc_s=local_epoch(2026, 11, 23, 23, 50),
                         calibration=demo_calibration(0, 50.0).to_dict())
    with RecordingWriter(rec, header) as w:
        for c in wearer.run(20 * 60.0):
            w.write_samples(c.block)
            w.write_labels(LabelSegments.from_per_sample(c.block.t_s, c.code))
    sub = Subscriber(broker)
    assert main(["replay", str(rec), "--stats", "--mqtt", broker.url, "--json"]) == 0
    days = {d["day"]: d for d in StatsStore().days(7)}
    assert set(days) == {"2026-11-23", "2026-11-24"}
    posture_s = [sum(d[k] for k in ("sitting_s", "standing_s", "walking_s", "lying_s", "unknown_s"))
                 for d in (days["2026-11-23"], days["2026-11-24"])]
    assert posture_s[0] == pytest.approx(600.0, abs=5.0)  # from the first posture on (settling takes 2 s)
    assert posture_s[1] == pytest.approx(600.0, abs=0.1)
    assert days["2026-11-23"]["sitting_s"] > 0 and days["2026-11-24"]["sitting_s"] > 0
    assert sub.wait_for(lambda: any(json.loads(m.payload)["timestamp"] >= "2026-11-24"
                                    for m in sub.on(f"{BASE}/state")
                                    if local_day(json.loads(m.payload)) == "2026-11-24"))
    states = [json.loads(m.payload) for m in sub.on(f"{BASE}/state")]
    before = [s for s in states if local_day(s) == "2026-11-23"]
    after = [s for s in states if local_day(s) == "2026-11-24"]
    assert max(s["sitting_today_min"] for s in before) > 0
    assert after[0]["sitting_today_min"] == 0.0 and after[0]["breaks_today"] == 0
    sub.close()


def local_day(state: dict[str, Any]) -> str:
    when = dt.datetime.fromisoformat(state["timestamp"].replace("Z", "+00:00"))
    return when.astimezone().date().isoformat()


def test_a_live_run_reaches_the_person_beyond_the_screen(isolated_home: Path) -> None:
    """The first stream of a live run gets desktop notifications; a sensor with an actuator (the
    Thingy:52's LED and speaker) gets nudges on the body; a replay of the past gets neither."""
    from monitor.config import load
    from monitor.run import BleSpec, RunSpec
    from monitor.run.build import build
    from monitor.sinks.notify import DesktopSink
    from monitor.sinks.nudge import NudgeSink

    run = build(RunSpec(load(), BleSpec(virtual=("nordic-thingy52", WT), speed=5.0)))
    try:
        kinds = [{type(s) for s in stream.pipeline.sinks} for stream in run.streams]
    finally:
        run.close()
    assert DesktopSink in kinds[0] and DesktopSink not in kinds[1]
    assert NudgeSink in kinds[0] and NudgeSink not in kinds[1]  # the WT901 has no actuator
