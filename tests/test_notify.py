"""Desktop notifications against a real session bus (dbus-daemon) with a recording notification server;
the terminal bell; the notify settings."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import monitor.events.coach as coach_events
from monitor import config
from monitor.events import Event
from monitor.events.coach import BreakDue, BreakSnoozed, BreakTaken, SlouchNudge
from monitor.events.types import SlouchEnded
from monitor.sinks.notifier import Notifier
from monitor.sinks.notify import BellSink, DesktopSink, desktop_sinks, prompt_for
from tests.dbus_server import NotificationServer, session_bus, wait_for


@pytest.fixture(autouse=True)
def no_desktop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never the developer's own desktop: without the `bus` fixture there is no bus to reach."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-such-bus")


@pytest.fixture
def bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private session bus; the code under test finds it through DBUS_SESSION_BUS_ADDRESS."""
    with tempfile.TemporaryDirectory(prefix="pm-dbus-") as tmp, session_bus(Path(tmp)) as address:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        yield address


@pytest.fixture
def server(bus: str) -> Iterator[NotificationServer]:
    srv = NotificationServer(bus)
    yield srv
    srv.stop()


class Person:
    """What the run gives the sinks: its request queue and its notices."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, Any]] = []
        self.notices: list[str] = []

    def request(self, name: str, arg: Any = None) -> None:
        self.requests.append((name, arg))

    def say(self, text: str) -> None:
        self.notices.append(text)


def cfg_with(tmp_path: Path, **flags: Any) -> config.Config:
    return config.load(tmp_path / "none.toml", {f"notify.{k}": v for k, v in flags.items()})


def desktop(tmp_path: Path, person: Person) -> DesktopSink:
    sinks = desktop_sinks(cfg_with(tmp_path), person.request, person.say)
    assert len(sinks) == 1 and isinstance(sinks[0], DesktopSink)
    return sinks[0]


def break_soon(t_s: float, in_s: float) -> Event:
    """The coach's BreakSoon once it exists; until then an event of that kind by name."""
    cls = getattr(coach_events, "BreakSoon", None)
    if cls is not None:
        return cls(t_s, in_s)  # type: ignore[no-any-return]
    return SimpleNamespace(t_s=t_s, in_s=in_s, kind="break_soon")  # type: ignore[return-value]


def test_break_due_is_one_notification_with_snooze_and_start_break(
        tmp_path: Path, server: NotificationServer) -> None:
    person = Person()
    sink = desktop(tmp_path, person)
    sink.handle(BreakDue(1800.0, level=1, bout_s=1830.0))
    wait_for(lambda: sink.notifier.sent == 1, "the notification")
    sink.close({})
    [call] = server.calls()
    assert call.app_name == "posture-monitor"
    assert call.summary == "Time to stand up"
    assert call.body == "You have been sitting for 30 min. Standing or walking for 2 min counts as a break."
    assert [a for a in call.actions if a[0] != "default"] == [("snooze", "Snooze"), ("start_break", "Start break")]
    assert person.notices == []


@pytest.mark.parametrize("key", ["snooze", "start_break"])
def test_a_button_is_a_request(tmp_path: Path, server: NotificationServer, key: str) -> None:
    person = Person()
    sink = desktop(tmp_path, person)
    sink.handle(BreakDue(1800.0, level=2, bout_s=2100.0))
    wait_for(lambda: sink.notifier.sent == 1, "the notification")
    assert server.calls()[0].summary == "Still sitting: time for a break"
    server.press(1, key)
    wait_for(lambda: person.requests, "the request")
    sink.close({})
    assert person.requests == [(key, None)]


def test_an_answered_prompt_leaves_the_screen(tmp_path: Path, server: NotificationServer) -> None:
    person = Person()
    sink = desktop(tmp_path, person)
    sink.handle(break_soon(1740.0, 60.0))
    sink.handle(BreakDue(1800.0, level=1, bout_s=1800.0))  # replaces the warning
    sink.handle(BreakSnoozed(1805.0, until_s=2105.0, snoozes_today=1))
    sink.handle(SlouchNudge(1900.0, tilt_deg=-12.6))
    sink.handle(SlouchEnded(1930.0, tilt_deg=-3.0))
    wait_for(lambda: len(server.closed()) == 3, "three notifications closed")
    sink.close({})
    soon, due, nudge = server.calls()
    assert (soon.summary, soon.actions) == ("Break in 1 min", [("default", "")])
    assert due.summary == "Time to stand up"
    assert nudge.summary == "Sit up" and nudge.body.startswith("Slouching, 13 deg back")
    assert nudge.hints["urgency"] == 0  # low: a nudge, not a prompt
    assert server.closed() == [1, 2, 3]


def test_what_is_on_screen_goes_when_the_run_ends(tmp_path: Path, server: NotificationServer) -> None:
    sink = desktop(tmp_path, Person())
    sink.handle(BreakDue(1800.0, level=1, bout_s=1800.0))
    wait_for(lambda: sink.notifier.sent == 1, "the notification")
    sink.close({})
    assert server.closed() == [1]


def test_no_buttons_where_the_server_has_no_actions(tmp_path: Path, bus: str) -> None:
    srv = NotificationServer(bus, capabilities=("body",))
    try:
        sink = desktop(tmp_path, Person())
        sink.handle(BreakDue(1800.0, level=1, bout_s=1800.0))
        wait_for(lambda: sink.notifier.sent == 1, "the notification")
        sink.close({})
        assert [a for a in srv.calls()[0].actions if a[0] != "default"] == []
    finally:
        srv.stop()


def feed_prompts(sink: DesktopSink) -> None:
    for i in range(5):
        sink.handle(BreakDue(1800.0 + 300 * i, level=i + 1, bout_s=1800.0 + 300 * i))
        sink.handle(BreakTaken(3400.0 + i, natural=True, upright_s=120.0, bout_s=1800.0))


@pytest.mark.parametrize("where", ["no bus", "no server"])
def test_unreachable_is_one_notice_then_quiet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              bus: str, where: str) -> None:
    if where == "no bus":
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-such-bus")
    person = Person()
    sink = desktop(tmp_path, person)
    feed_prompts(sink)
    wait_for(lambda: sink.notifier.state == "off", "the notifier to give up")
    feed_prompts(sink)
    sink.close({})
    [notice] = person.notices
    assert notice.startswith({"no bus": "desktop notifications off: cannot reach the session bus unix:path=",
                              "no server": "desktop notifications off: no notification server"}[where])
    assert sink.notifier.sent == 0


def test_a_server_that_goes_away_is_one_notice(tmp_path: Path, bus: str) -> None:
    srv = NotificationServer(bus)
    person = Person()
    sink = desktop(tmp_path, person)
    sink.handle(BreakDue(1800.0, level=1, bout_s=1800.0))
    wait_for(lambda: sink.notifier.sent == 1, "the notification")
    srv.stop()
    feed_prompts(sink)
    sink.close({})
    assert person.notices == ["desktop notification not delivered: Time to stand up"]


def test_the_stream_never_waits_for_the_bus(tmp_path: Path) -> None:
    """Posting is queueing: whatever the notifier is doing, `handle` returns and nothing raises."""
    person = Person()
    notifier = Notifier(person.say, person.request)
    sink = DesktopSink(notifier, 2.0)
    for i in range(1000):
        sink.handle(SlouchNudge(float(i), tilt_deg=10.0))
    sink.close({})


def test_the_bell_rings_for_prompts_only() -> None:
    read_fd, write_fd = os.pipe()
    bell = BellSink(write_fd, owned=True)
    for ev in (BreakDue(1.0), break_soon(2.0, 60.0), SlouchNudge(3.0, 9.0), BreakTaken(4.0),
               SlouchEnded(5.0)):
        bell.handle(ev)
    bell.close({})
    with os.fdopen(read_fd, "rb") as rung:
        assert rung.read() == b"\a\a\a"


def test_settings_switch_the_sinks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    person = Person()
    assert desktop_sinks(cfg_with(tmp_path, desktop=False), person.request, person.say) == []
    monkeypatch.setattr("monitor.sinks.notify.bell_terminal", lambda: BellSink(2))
    [bell] = desktop_sinks(cfg_with(tmp_path, desktop=False, bell=True), person.request, person.say)
    assert isinstance(bell, BellSink)
    monkeypatch.setattr("monitor.sinks.notify.bell_terminal", lambda: None)
    assert desktop_sinks(cfg_with(tmp_path, desktop=False, bell=True), person.request, person.say) == []
    assert person.notices == ["terminal bell off: no terminal"]


def test_notify_settings_from_the_file(tmp_path: Path) -> None:
    f = tmp_path / "c.toml"
    f.write_text("[notify]\ndesktop = false\nbell = true\n")
    cfg = config.load(f)
    assert cfg["notify.desktop"] is False and cfg["notify.bell"] is True
    defaults = config.load(tmp_path / "none.toml")
    assert defaults["notify.desktop"] is True and defaults["notify.bell"] is False
    assert config.BY_KEY["notify.bell"].flag == "--bell"


def test_prompt_texts() -> None:
    due = prompt_for(BreakDue(0.0, level=1, bout_s=3900.0), 2.0)
    assert due is not None and "1 h 05 min" in due.body
    assert prompt_for(BreakTaken(0.0), 2.0) is None
