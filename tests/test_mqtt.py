"""MQTT against a real mosquitto: discovery, state and event flow, commands, last will, TLS with a test
CA, a broker outage with nothing lost and order kept, and an app restart with a backlog."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from monitor.cli.main import main
from monitor.events import PostureChanged, SlouchStarted
from monitor.sinks.mqtt.service import MqttService
from monitor.sinks.mqtt.settings import MqttSettings
from monitor.sinks.mqtt.sink import MqttSink
from monitor.timebase import TimeBase
from tests.mqtt_broker import Broker, Subscriber, make_tls_files

DEV = "test_pm"
BASE = f"posture-monitor/{DEV}"
DEMO = f"{DEV}_demo"  # what a demo (or a run of virtual sensors only) publishes as
DEMO_BASE = f"posture-monitor/{DEMO}"


@pytest.fixture()
def broker(tmp_path: Path) -> Iterator[Broker]:
    b = Broker(tmp_path / "broker").start()
    yield b
    b.stop()


@pytest.fixture()
def home(isolated_home: Path) -> Path:
    cfg = isolated_home / "config" / "posture-monitor" / "config.toml"
    cfg.parent.mkdir(parents=True)
    cfg.write_text(f'[mqtt]\ndevice_id = "{DEV}"\ndevice_name = "Test desk"\n')
    return isolated_home


def settings(broker: Broker, **kw: Any) -> MqttSettings:
    base: dict[str, Any] = {"host": "127.0.0.1", "port": broker.port, "device_id": DEV,
                            "backoff_min_s": 0.1, "backoff_max_s": 0.5, "announce_delay_max_s": 0.2}
    base.update(kw)
    return MqttSettings(**base)


def events_of(sub: Subscriber, base: str = BASE) -> list[dict[str, Any]]:
    """Events in arrival order, QoS 1 redeliveries (same id) dropped as a consumer would."""
    seen: dict[str, dict[str, Any]] = {}
    for m in sub.on(f"{base}/event"):
        body = json.loads(m.payload)
        seen.setdefault(body["id"], body)
    return list(seen.values())


def test_demo_publishes_discovery_state_and_every_event_in_order(
        broker: Broker, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sub = Subscriber(broker)
    assert main(["demo", "--for", "900", "--speed", "max", "--headless", "--json", "--mqtt", broker.url]) == 0
    printed = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    printed = [e for e in printed if e.get("type") != "summary"]
    assert sub.wait_for(lambda: len(sub.on(f"{DEMO_BASE}/event")) >= len(printed))
    with sub.lock:
        assert not any(m.topic.startswith((f"{BASE}/", f"homeassistant/device/{DEV}/")) for m in sub.got)
    published = events_of(sub, DEMO_BASE)
    assert [e["event_type"] for e in published] == [e["type"] for e in printed]
    assert [e["t_s"] for e in published] == [e["t"] for e in printed]
    assert all(e["timestamp"].endswith("Z") for e in published)

    config = json.loads(sub.on(f"homeassistant/device/{DEMO}/config")[0].payload)
    assert set(config) >= {"dev", "o", "cmps"} and config["dev"]["ids"] == [DEMO]
    assert config["dev"]["name"] == "Test desk (demo)"
    cmps = config["cmps"]
    assert all("p" in c and c["unique_id"] == f"{DEMO}_{k}" for k, c in cmps.items())
    assert (cmps["sitting"]["p"], cmps["sitting"]["dev_cla"]) == ("binary_sensor", "occupancy")
    assert (cmps["slouching"]["dev_cla"], cmps["posture"]["dev_cla"]) == ("problem", "enum")
    assert (cmps["pelvic_tilt"]["unit_of_meas"], cmps["pelvic_tilt"]["stat_cla"]) == ("°", "measurement")
    assert cmps["bout"]["dev_cla"] == cmps["sitting_today"]["dev_cla"] == "duration"
    assert all(c["qos"] == 1 and ("icon" in c or c.get("dev_cla") == "duration") for c in cmps.values())
    assert "unknown" not in cmps["posture"]["options"] and "'None'" in cmps["posture"]["val_tpl"]
    assert all(cmps[k]["dev_cla"] == "timestamp" for k in ("break_due", "snoozed_until", "dnd_until"))
    assert "battery" not in cmps and "sensor_link" not in cmps  # the sensor's, on its own device
    assert {"stand_to_sit", "break_due", "slouch_started"} <= set(cmps["events"]["event_types"])
    assert cmps["calibrate"]["p"] == cmps["start_break"]["p"] == "button" and cmps["dnd"]["p"] == "switch"

    states = sub.on(f"{DEMO_BASE}/state")
    late = Subscriber(broker, "late-subscriber")  # retained messages are what a newcomer gets at once
    assert late.wait_for(lambda: late.on(f"{DEMO_BASE}/state") and late.on(f"{DEMO_BASE}/availability"))
    assert late.on(f"{DEMO_BASE}/state")[0].retain
    assert late.on(f"{DEMO_BASE}/state")[0].payload == states[-1].payload
    assert late.on(f"{DEMO_BASE}/availability")[0].payload == b"offline" and not late.on(f"{DEMO_BASE}/event")
    late.close()
    last = json.loads(states[-1].payload)
    assert set(last) >= {"posture", "sitting", "slouching", "tilt_deg", "bout_s", "sitting_today_min",
                         "breaks_today", "battery_pct", "link", "dnd", "break_due", "snoozed_until", "dnd_until"}
    due = [json.loads(m.payload)["break_due"] for m in states]
    assert any(d is not None and d.endswith("Z") for d in due)  # a sitting bout says when its break is due
    assert [m.payload for m in sub.on(f"{DEMO_BASE}/availability")][-2:] == [b"online", b"offline"]
    assert sub.on(f"{DEMO_BASE}/sensor/availability")[-1].payload == b"offline"
    sub.close()


def _tilt_states(tmp_path: Path, tilt_at: Any, seconds: float, posture: str = "sitting"
                 ) -> list[tuple[float, float]]:
    """(t_s, tilt_deg) of the state messages a sink puts out, ticked every 0.1 s."""
    from monitor.sinks.mqtt.outbox import Outbox
    from monitor.sinks.mqtt.topics import Topics

    box = Outbox(tmp_path / "o.sqlite")
    t_now = [0.0]
    sink = MqttSink(box, Topics("p", "d"), MqttSettings("h"), TimeBase(0.0),
                    probe=lambda t: {"tilt_deg": tilt_at(t)})
    sink.handle(PostureChanged(0.0, posture, "standing"))
    for i in range(1, round(seconds * 10) + 1):
        t_now[0] = i * 0.1
        sink.tick(t_now[0])
    out = []
    for m in box.peek(100_000):
        if m.topic == "p/d/state":
            body = json.loads(m.payload)
            out.append((round(TimeBase(0.0).t_s_of(dt.datetime.fromisoformat(body["timestamp"])), 1),
                        body["tilt_deg"]))
    box.close()
    return out


def test_tilt_jumps_go_out_at_once_small_changes_every_5_s_and_nothing_while_steady(tmp_path: Path) -> None:
    """Defaults: a 2 deg jump at once (at most once a second), a change over 0.5 deg at most every 5 s,
    nothing while steady. Drifting 1 deg/s for 5 s, then steady: 2 and 4 deg as they come, the last
    degree 5 s later, then nothing."""
    states = _tilt_states(tmp_path, lambda t: min(t, 5.0), 60.0)
    assert states == [(0.0, 0.0), (2.0, 2.0), (4.0, 4.0), (9.0, 5.0)]
    slow = _tilt_states(tmp_path / "slow", lambda t: 0.2 * t, 60.0)  # 0.2 deg/s: never a jump
    times = [t for t, _ in slow]
    assert all(b - a >= 5.0 for a, b in itertools.pairwise(times)) and len(times) >= 10
    wobble = _tilt_states(tmp_path / "wobble", lambda t: 0.4 * (int(t) % 2), 60.0)  # 0.4 deg: not worth it
    assert len(wobble) == 1
    steps = _tilt_states(tmp_path / "walk", lambda t: 4.0 * (int(t * 2) % 2), 60.0, "walking")
    times = [t for t, _ in steps]  # a walking pelvis swings 4 deg each step: no jumps, every 5 s at most
    assert len(times) >= 5 and all(b - a >= 5.0 for a, b in itertools.pairwise(times))


def test_commands_reach_the_coach_and_bad_ones_are_ignored(broker: Broker, home: Path) -> None:
    """Commands from the broker reach the run's request queue (applied at the next item); bad ones are
    rejected with a one-line notice each. Waits are for conditions, bounded only against a hang."""
    from monitor.config import load
    from monitor.run import RunSpec, SimulatorSpec
    from monitor.run.build import build
    from monitor.samples import SampleBlock

    cfg = load(flags={"mqtt.url": broker.url})
    run = build(RunSpec(cfg, SimulatorSpec(duration_s=1.0, speed=None)))
    said: list[str] = []
    service, pipeline = run.mqtt, run.streams[0].pipeline
    assert service is not None and pipeline.actions is not None
    service.link.say = service.link.gate.say = said.append
    assert service.wait_connected(30.0)
    sub = Subscriber(broker)
    assert sub.wait_for(lambda: bool(sub.on(f"{BASE}/availability")))  # subscribed, and the app is online
    for topic, payload in ((f"{BASE}/cmd/rm", b"-rf /"), (f"{BASE}/cmd/dnd", b"\xff\xfe"),
                           (f"{BASE}/cmd/snooze", b'{"minutes": "__import__(\'os\')"}'),
                           (f"{BASE}/cmd/snooze", b'{"minutes": "x"}'), (f"{BASE}/cmd/skip", b"x" * 5000),
                           (f"{BASE}/cmd/dnd", b'{"on": true, "minutes": 30}'), (f"{BASE}/cmd/calibrate", b"")):
        sub.publish(topic, payload)
    requests = pipeline.actions.requests
    assert sub.wait_for(lambda: requests.qsize() == 2 and len([s for s in said if "ignored" in s]) == 4, 30)
    t = 100.0 + np.arange(50) / 50.0
    pipeline.feed(SampleBlock(t, np.zeros((50, 3)), np.zeros((50, 3)), 50.0))  # commands apply at a feed
    assert sub.wait_for(lambda: len(events_of(sub)) >= 2)
    ev = events_of(sub)
    assert [e["event_type"] for e in ev] == ["do_not_disturb", "calibration_requested"]
    assert ev[0]["until_s"] == pytest.approx(ev[0]["t_s"] + 1800.0)
    assert json.loads(sub.on(f"{BASE}/state")[-1].payload)["dnd"] is True
    assert all("Traceback" not in s for s in said)
    run.close()
    sub.close()


def test_last_will_says_offline_when_the_app_is_killed(broker: Broker, home: Path) -> None:
    sub = Subscriber(broker)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    proc = subprocess.Popen([sys.executable, "-m", "monitor", "demo", "--headless", "--speed", "5",
                             "--mqtt", broker.url], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        assert sub.wait_for(lambda: [m.payload for m in sub.on(f"{DEMO_BASE}/availability")] == [b"online"], 20)
        proc.send_signal(signal.SIGKILL)
        proc.wait(5)
        assert sub.wait_for(lambda: len(sub.on(f"{DEMO_BASE}/availability")) == 2)
        will = sub.on(f"{DEMO_BASE}/availability")[-1]
        assert will.payload == b"offline"
    finally:
        proc.kill()
        sub.close()


def test_tls_with_a_test_ca(tmp_path: Path) -> None:
    ca, cert, key = make_tls_files(tmp_path / "pki")
    broker = Broker(tmp_path / "tls-broker", tls=(ca, cert, key)).start()
    try:
        said: list[str] = []
        good = MqttService(settings(broker, host="localhost", tls=True, ca_file=ca), lambda c: None,
                           said.append, path=tmp_path / "a.sqlite").start()
        assert good.wait_connected(30.0), said
        good.outbox.put(f"{BASE}/event", b'{"event_type":"x"}', False, "event")
        good.wake()
        figures = good.stop()
        assert figures["published"] >= 1 and figures["pending"] == 0

        said.clear()
        untrusted = MqttService(settings(broker, host="localhost", tls=True), lambda c: None, said.append,
                                path=tmp_path / "b.sqlite").start()
        assert not untrusted.wait_connected(2.0)
        untrusted.stop(1.0)
        assert any("CERTIFICATE_VERIFY_FAILED" in s or "certificate verify failed" in s for s in said), said
    finally:
        broker.stop()


def put_events(sink: MqttSink, start: int, n: int) -> None:
    for i in range(start, start + n):
        sink.handle(SlouchStarted(float(i), -float(i)))


def test_a_broker_outage_loses_nothing_and_keeps_order(broker: Broker, tmp_path: Path) -> None:
    sub = Subscriber(broker)
    said: list[str] = []
    s = settings(broker)
    service = MqttService(s, lambda c: None, said.append, path=tmp_path / "outbox.sqlite").start()
    assert service.wait_connected(30.0)
    sink = MqttSink(service.outbox, service.topics, s, TimeBase(0.0), wake=service.wake)
    put_events(sink, 0, 50)
    assert sub.wait_for(lambda: len(events_of(sub)) == 50)
    broker.stop()
    put_events(sink, 50, 200)  # while the broker is away (the app keeps running)
    time.sleep(1.5)
    assert len(service.outbox) >= 200
    broker.start()
    assert sub.wait_for(lambda: len(events_of(sub)) >= 250, 20), (len(events_of(sub)), said)
    got = [e["t_s"] for e in events_of(sub)]
    assert got == [float(i) for i in range(250)], [(i, x) for i, x in enumerate(got) if x != i][:10]
    assert any("retrying" in x for x in said)
    assert service.stop()["pending"] == 0
    sub.close()


def subscribed(broker: Broker) -> Subscriber:
    """A subscriber whose subscription is active (it has received its own probe), so it misses nothing."""
    sub = Subscriber(broker)

    def probed() -> bool:
        sub.publish("probe", b"")  # again until one comes back: the first may precede the subscription
        return sub.wait_for(lambda: bool(sub.on("probe")), 0.5)

    assert sub.wait_for(probed)
    return sub


def test_an_app_restart_delivers_the_backlog_first(broker: Broker, home: Path) -> None:
    """The app quits while its broker is down; the next start (same broker, same device) delivers the
    backlog first, in order."""
    broker.stop()
    s = settings(broker)
    first = MqttService(s, lambda c: None, lambda s: None).start()
    sink = MqttSink(first.outbox, first.topics, s, TimeBase(0.0), wake=first.wake)
    put_events(sink, 0, 30)
    assert first.stop(0.5)["pending"] >= 30  # the app quits with a backlog

    broker.start()
    sub = subscribed(broker)
    second = MqttService(s, lambda c: None, lambda s: None).start()
    assert second.outbox.path == first.outbox.path
    sink = MqttSink(second.outbox, second.topics, s, TimeBase(0.0), wake=second.wake)
    put_events(sink, 30, 10)
    assert sub.wait_for(lambda: len(events_of(sub)) >= 40)
    assert [e["t_s"] for e in events_of(sub)] == [float(i) for i in range(40)]
    second.stop()
    sub.close()


def test_a_backlog_for_one_broker_is_never_delivered_to_another(broker: Broker, home: Path) -> None:
    """Messages queued for an unreachable broker stay in that broker's outbox: a later run to another
    broker delivers only its own (the outbox is delivered oldest first, so the backlog would come first)."""
    from tests.mqtt_broker import free_port

    elsewhere = settings(broker, port=free_port())  # nothing listens there
    first = MqttService(elsewhere, lambda c: None, lambda s: None).start()
    put_events(MqttSink(first.outbox, first.topics, elsewhere, TimeBase(0.0), wake=first.wake), 0, 30)
    assert first.stop(0.5)["pending"] >= 30

    sub = subscribed(broker)
    s = settings(broker)
    second = MqttService(s, lambda c: None, lambda s: None).start()
    assert second.outbox.path != first.outbox.path and len(second.outbox) == 0
    put_events(MqttSink(second.outbox, second.topics, s, TimeBase(0.0), wake=second.wake), 30, 10)
    assert sub.wait_for(lambda: len(events_of(sub)) >= 10)
    assert second.stop()["pending"] == 0
    assert [e["t_s"] for e in events_of(sub)] == [float(i) for i in range(30, 40)]
    kept = MqttService(elsewhere, lambda c: None, lambda s: None)  # not started: just its outbox
    assert len(kept.outbox) >= 30
    kept.outbox.close()
    sub.close()


def test_home_assistant_restart_gets_discovery_and_state_again_over_mqtt_311(broker: Broker,
                                                                           tmp_path: Path) -> None:
    sub = Subscriber(broker)
    s = settings(broker, protocol="3.1.1")
    service = MqttService(s, lambda c: None, lambda m: None, path=tmp_path / "o.sqlite").start()
    assert service.wait_connected(30.0)
    sink = MqttSink(service.outbox, service.topics, s, TimeBase(0.0), wake=service.wake)
    sink.handle(PostureChanged(1.0, "sitting", "standing"))
    discovery = f"homeassistant/device/{DEV}/config"
    assert sub.wait_for(lambda: len(sub.on(discovery)) == 1 and sub.on(f"{BASE}/state"))
    states = len(sub.on(f"{BASE}/state"))
    sub.publish("homeassistant/status", "online")  # Home Assistant's birth message after its restart
    assert sub.wait_for(lambda: len(sub.on(discovery)) == 2)
    assert sub.wait_for(lambda: len(sub.on(f"{BASE}/state")) == states + 1)
    assert json.loads(sub.on(f"{BASE}/state")[-1].payload)["posture"] == "sitting"
    sub.publish("homeassistant/status", "offline")
    time.sleep(0.5)
    assert len(sub.on(discovery)) == 2
    service.stop()
    sub.close()


def test_run_with_a_virtual_sensor_publishes_the_sensor_link(broker: Broker, home: Path) -> None:
    sub = Subscriber(broker)
    assert main(["run", "--virtual", "witmotion-wt901ble", "--speed", "20", "--for", "200", "--headless",
                 "--no-stats", "--mqtt", broker.url]) == 0
    link_topic = f"{DEMO_BASE}/sensor/availability"  # virtual sensors only: the demo device
    assert sub.wait_for(lambda: [m.payload for m in sub.on(link_topic)][-1:] == [b"offline"])
    link = [m.payload for m in sub.on(link_topic)]
    assert link[0] == b"online" and link[-1] == b"offline"
    config = json.loads(sub.on(f"homeassistant/device/{DEMO}/config")[0].payload)
    assert config["dev"]["name"] == "Test desk (demo)"
    sensor_topics = {m.topic for m in sub.got if m.topic.startswith(f"homeassistant/device/{DEMO}_")}
    assert len(sensor_topics) == 1  # the virtual sensor: its own device, once
    sensor = json.loads(sub.on(sensor_topics.pop())[-1].payload)
    dev = sensor["dev"]
    assert dev["mdl"].startswith("WitMotion") and dev["sw"] == "virtual-1.0" and dev["via_device"] == DEMO
    assert dev["cns"][0][0] == "mac" and len(dev["cns"][0][1]) == 17
    assert set(sensor["cmps"]) == {"battery", "link"}
    assert all(c["unique_id"].startswith(dev["ids"][0]) and c["qos"] == 1 for c in sensor["cmps"].values())
    assert "online" in {json.loads(m.payload)["link"] for m in sub.on(f"{DEMO_BASE}/state")}
    assert any(e["event_type"] == "stand_to_sit" for e in events_of(sub, DEMO_BASE))
    sub.close()

    forgetter = Subscriber(broker, "forget-watcher")
    assert main(["mqtt", "forget", "--demo", "--mqtt", broker.url]) == 0
    gone = {f"homeassistant/device/{DEMO}/config", f"homeassistant/device/{dev['ids'][0]}/config"}
    assert forgetter.wait_for(lambda: gone <= {m.topic for m in forgetter.got if m.payload == b""})
    forgetter.close()
    late = Subscriber(broker, "after-forget")  # nothing retained is left for a newcomer: retained
    marker = "test/marker"                     # messages arrive on subscribing, before the marker
    assert late.wait_for(lambda: late.publish(marker, "x") or late.on(marker), 30.0)
    with late.lock:
        assert not [m.topic for m in late.got if m.topic.startswith(DEMO_BASE)]
    late.close()
