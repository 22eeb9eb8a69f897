"""MQTT without a broker: URL and password rules, the command schema (and a fuzz), the outbox bound
and its survival across a reopen, today's totals in the state (seeded, reset at local midnight)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.cli.main import main
from monitor.config import Config, load
from monitor.errors import ConfigError
from monitor.events import PostureChanged
from monitor.events.coach import BreakTaken
from monitor.sinks.mqtt.commands import Command, Gate, Rejected, parse
from monitor.sinks.mqtt.outbox import EVENT, STATE, Outbox
from monitor.sinks.mqtt.service import MqttService, outbox_path
from monitor.sinks.mqtt.settings import PASSWORD_ENV, MqttSettings, from_config, parse_url
from monitor.sinks.mqtt.sink import MqttSink
from monitor.sinks.mqtt.topics import Topics
from monitor.timebase import TimeBase

BASE = "pm/dev"
CET = dt.timezone(dt.timedelta(hours=1))
LATE = TimeBase(dt.datetime(2026, 11, 23, 23, 50, tzinfo=CET).timestamp(), CET)  # t = 600 s is midnight


@pytest.mark.parametrize("url, expected", [
    ("mqtt://broker.lan", ("broker.lan", 1883, False, None)),
    ("mqtts://anna@broker.lan", ("broker.lan", 8883, True, "anna")),
    ("mqtt://127.0.0.1:1884", ("127.0.0.1", 1884, False, None)),
    ("broker.lan:2000", ("broker.lan", 2000, False, None)),
])
def test_broker_urls(url: str, expected: tuple[object, ...]) -> None:
    assert parse_url(url) == expected


@pytest.mark.parametrize("url, reason", [
    ("http://broker", "scheme"), ("mqtt://anna:secret@broker", "no password in the URL"),
    ("mqtt://broker:99999", "port"), ("mqtt://:1883", "no host"),
])
def test_bad_broker_urls_name_the_problem(url: str, reason: str) -> None:
    with pytest.raises(ConfigError, match=reason) as e:
        parse_url(url)
    assert "secret" not in str(e.value)


def test_password_from_the_environment_and_never_shown(isolated_home: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "hunter2")
    s = from_config(load(flags={"mqtt.url": "mqtts://anna@broker.lan"}))
    assert s is not None and (s.username, s.password, s.tls) == ("anna", "hunter2", True)
    assert "hunter2" not in repr(s) and "hunter2" not in s.describe()
    cfg = isolated_home / "config" / "posture-monitor" / "config.toml"
    cfg.parent.mkdir(parents=True)
    cfg.write_text('[mqtt]\nurl = "mqtt://broker.lan"\npassword = "from-file"\n')
    assert main(["config", "show"]) == 0
    out = capsys.readouterr().out
    assert "from-file" not in out and "mqtt.password" in out and "********" in out
    assert from_config(load()).password == "from-file"  # type: ignore[union-attr]


def test_no_password_flag_exists(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["demo", "--password", "x"])
    assert "unrecognized arguments" in capsys.readouterr().err


def test_bad_device_id_and_missing_ca_are_config_errors(isolated_home: Path) -> None:
    with pytest.raises(ConfigError, match="only letters"):
        from_config(_cfg(isolated_home, 'device_id = "a b"'))
    with pytest.raises(ConfigError, match=r"mqtt\.ca_file.*no such file"):
        from_config(_cfg(isolated_home, 'ca_file = "/nonexistent/ca.pem"'))


def test_a_demo_is_its_own_device(isolated_home: Path) -> None:
    """Simulated postures never reach Home Assistant as the real device: a demo's id has `_demo`
    (also after a configured id), its name says (demo), and its topics and discovery follow the id."""
    cfg = _cfg(isolated_home, 'device_id = "desk"\ndevice_name = "Anna\'s desk"')
    real, demo = from_config(cfg), from_config(cfg, demo=True)
    assert real is not None and demo is not None
    assert (real.device_id, real.device_name) == ("desk", "Anna's desk")
    assert (demo.device_id, demo.device_name) == ("desk_demo", "Anna's desk (demo)")
    default = from_config(_cfg(isolated_home, ""), demo=True)
    assert default is not None and default.device_id.startswith("posture_monitor_")
    assert default.device_id.endswith("_demo")
    service = MqttService(demo, lambda c: None, lambda m: None)  # not started: topics and discovery only
    assert service.topics.base == "posture-monitor/desk_demo"
    assert service.link.discovery["dev"] == {**service.link.discovery["dev"], "ids": ["desk_demo"],
                                             "name": "Anna's desk (demo)"}
    service.outbox.close()


def test_each_broker_and_device_has_its_own_outbox(isolated_home: Path) -> None:
    base = MqttSettings("broker.lan", 1883, device_id="desk")
    others = (MqttSettings("broker.lan", 1884, device_id="desk"), MqttSettings("other.lan", 1883, device_id="desk"),
              MqttSettings("broker.lan", 1883, device_id="desk_demo"))
    paths = {outbox_path(s) for s in (base, *others)}
    assert len(paths) == 4 and all(p.parent == isolated_home / "data" / "posture-monitor" for p in paths)
    assert outbox_path(MqttSettings("broker.lan", 1883, device_id="desk")) == outbox_path(base)
    assert "/" not in MqttSettings("fe80::1%eth0", 1883).outbox_key


def _cfg(home: Path, line: str) -> Config:
    path = home / "c.toml"
    path.write_text(f'[mqtt]\nurl = "mqtt://b"\n{line}\n')
    return load(path)


@pytest.mark.parametrize("name, payload, expected", [
    ("start_break", b"", Command("start_break")), ("start_break", b"PRESS", Command("start_break")),
    ("skip", b"{}", Command("skip")), ("calibrate", b"PRESS", Command("calibrate")),
    ("snooze", b"", Command("snooze")), ("snooze", b'{"minutes": 10}', Command("snooze", 600.0)),
    ("dnd", b"ON", Command("dnd", 3600.0)), ("dnd", b"OFF", Command("dnd", None)),
    ("dnd", b'{"on": true, "minutes": 45}', Command("dnd", 2700.0)), ("dnd", b'{"on": false}', Command("dnd")),
    ("dnd", b'{"on": true}', Command("dnd", 3600.0)),  # ON and no length: 1 h, as the dashboard's `d`
])
def test_valid_commands(name: str, payload: bytes, expected: Command) -> None:
    assert parse(BASE, f"{BASE}/cmd/{name}", payload) == expected


@pytest.mark.parametrize("topic, payload", [
    (f"{BASE}/cmd/shutdown", b""), (f"{BASE}/cmd/skip", b"now"), (f"{BASE}/cmd/snooze", b'{"minutes": 0}'),
    (f"{BASE}/cmd/snooze", b'{"minutes": true}'), (f"{BASE}/cmd/snooze", b'{"minutes": 5, "exec": 1}'),
    (f"{BASE}/cmd/dnd", b"maybe"), (f"{BASE}/cmd/dnd", b'{"on": "yes"}'), (f"{BASE}/cmd/dnd", b"[1]"),
    (f"{BASE}/cmd/skip", b"\xff"), (f"{BASE}/cmd/skip", b" " * 300), ("other/cmd/skip", b""),
    (f"{BASE}/cmd/dnd", b"[" * 100_000),
])
def test_invalid_commands_are_rejected(topic: str, payload: bytes) -> None:
    with pytest.raises(Rejected):
        parse(BASE, topic, payload)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["snooze", "skip", "start_break", "dnd", "calibrate", "x", "dnd/extra"]),
       st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode),
                 st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
                              lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c,
                                                                                   max_size=3))
                 .map(lambda v: json.dumps(v).encode())))
def test_any_payload_is_a_command_or_a_rejection(name: str, payload: bytes) -> None:
    said: list[str] = []
    result = Gate(BASE, said.append)(f"{BASE}/cmd/{name}", payload)
    assert result is None or isinstance(result, Command)
    if result is not None and result.arg is not None:
        assert 60.0 <= result.arg <= 86400.0
    assert (result is None) == (len(said) == 1)


def test_outbox_bound_drops_oldest_states_keeps_events_and_survives_reopen(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite", max_messages=100)
    for i in range(300):
        box.put("s" if i % 3 else "e", str(i).encode(), i % 3 != 0, STATE if i % 3 else EVENT)
    assert len(box) == 100 and box.dropped_states == 200
    kept = box.peek(1000)
    assert sum(m.kind == EVENT for m in kept) == 100  # all 100 events kept
    box.ack([m.id for m in kept[:10]])
    box.close()
    again = Outbox(tmp_path / "o.sqlite", max_messages=100)
    assert len(again) == 90 and [m.payload for m in again.peek(3)] == [m.payload for m in kept[10:13]]


def states_at(box: Outbox) -> dict[float, dict[str, Any]]:
    """The state messages by their stream second (from the timestamp, on LATE's time base)."""
    states = [json.loads(m.payload) for m in box.peek(10_000) if m.topic == "p/d/state"]
    return {dt.datetime.fromisoformat(st["timestamp"]).timestamp() - LATE.epoch_utc_s: st for st in states}


def test_today_totals_continue_from_the_store_and_reset_at_local_midnight(tmp_path: Path) -> None:
    """Sitting from 23:50 (a state each minute, as the tilt moves) to 00:10, then a break; seeded with
    the store's hour and 3 breaks. Ticks at 599 s and 606 s bracket midnight (600 s): the tick that
    crosses it publishes the state at midnight itself, when today's totals start again from zero."""
    box = Outbox(tmp_path / "o.sqlite")
    tilt = [0.0]
    sink = MqttSink(box, Topics("p", "d"), MqttSettings("h"), LATE, probe=lambda t: {"tilt_deg": tilt[0]},
                    earlier={"sitting_s": 3600.0, "breaks": 3.0})
    sink.handle(PostureChanged(0.0, "sitting", "standing"))
    for t_s in (*range(60, 600, 60), 599, 606, *range(660, 1201, 60)):
        tilt[0] += 1.0
        sink.tick(float(t_s))
    sink.handle(BreakTaken(1230.0, True, 120.0, 1230.0))
    at = states_at(box)
    assert (at[0.0]["sitting_today_min"], at[0.0]["breaks_today"]) == (60.0, 3)
    assert at[300.0]["sitting_today_min"] == 65.0 and at[599.0]["sitting_today_min"] == 70.0
    assert at[599.0]["breaks_today"] == 3
    assert at[600.0]["sitting_today_min"] == 0.0 and at[600.0]["breaks_today"] == 0
    assert at[600.0]["timestamp"] == "2026-11-23T23:00:00.000Z"  # local midnight at UTC+1
    assert at[1200.0]["sitting_today_min"] == 10.0
    assert at[1230.0]["breaks_today"] == 1 and at[1230.0]["timestamp"] == "2026-11-23T23:10:30.000Z"


def test_state_and_events_say_when_a_break_is_due_snoozed_and_dnd_ends_in_wall_time(tmp_path: Path) -> None:
    """Home Assistant's timestamp entities: break due (constant while the bout runs), snoozed until, do
    not disturb until; and stream times in event payloads also as ISO wall times."""
    from monitor.coach.coach import Coach
    from monitor.coach.settings import CoachSettings

    tb = TimeBase(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC).timestamp(), dt.UTC)
    coach = Coach(CoachSettings(quiet_outside_work=False), tb)
    coach.update([PostureChanged(10.0, "sitting", "standing")], 60.0)
    due_s = coach.break_due_s(60.0)
    assert due_s == pytest.approx(60.0 + 1800.0 - coach.bout_s(60.0))
    coach.update([], 600.0)
    assert coach.break_due_s(600.0) == pytest.approx(due_s)  # time passing does not move it
    shown = coach.update([], 1900.0)
    assert any(e.kind == "break_due" for e in shown) and coach.break_due_s(1900.0) == coach.st.prompt_s
    snoozed = coach.snooze(1900.0)
    assert coach.break_due_s(1900.0) == coach.st.snoozed_until_s == 2200.0
    dnd = coach.do_not_disturb(1900.0, 1900.0 + 3600.0)

    box = Outbox(tmp_path / "o.sqlite")
    sink = MqttSink(box, Topics("pm", "dev"), MqttSettings("h"), tb, probe=lambda t: {
        "break_due_s": coach.break_due_s(t), "snoozed_until_s": coach.st.snoozed_until_s,
        "dnd_until_s": coach.st.dnd_until_s})
    sink.tick(1900.0)
    for ev in (*snoozed, *dnd):
        sink.handle(ev)
    messages = box.peek(100)
    state = json.loads([m for m in messages if m.topic == "pm/dev/state"][-1].payload)
    assert (state["break_due"], state["snoozed_until"]) == ("2026-11-23T09:36:40.000Z",) * 2
    assert state["dnd_until"] == "2026-11-23T10:31:40.000Z" and state["dnd"] is True
    events = [json.loads(m.payload) for m in messages if m.topic == "pm/dev/event"]
    assert [e["until"] for e in events] == ["2026-11-23T09:36:40.000Z", "2026-11-23T10:31:40.000Z"]
    assert events[0]["until_s"] == 2200.0
    box.close()
