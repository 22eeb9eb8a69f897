"""A real session bus for tests: `dbus-daemon --session` in a temp dir, and a small
org.freedesktop.Notifications server on it (dbus-fast) that records every call and can press a button."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from dbus_fast.aio import MessageBus
from dbus_fast.annotations import DBusInt32, DBusSignature, DBusStr, DBusUInt32
from dbus_fast.service import ServiceInterface, dbus_method, dbus_signal
from dbus_fast.signature import Variant

DBUS_DAEMON = shutil.which("dbus-daemon") or "/usr/bin/dbus-daemon"
HANG_S = 20.0  # only catches a hang; never a measure of speed

StrList = Annotated[list[str], DBusSignature("as")]
Hints = Annotated[dict[str, Variant], DBusSignature("a{sv}")]


@contextmanager
def session_bus(tmp: Path) -> Iterator[str]:
    """A private session bus listening in `tmp`; yields its address."""
    log = tmp / "dbus-daemon.log"
    with log.open("wb") as err:  # as root it complains about the fd limit: kept out of the test output
        proc = subprocess.Popen([DBUS_DAEMON, "--session", "--nofork", "--print-address=1",
                                 f"--address=unix:dir={tmp}"], stdout=subprocess.PIPE, stderr=err, text=True)
    try:
        assert proc.stdout is not None
        address = proc.stdout.readline().strip()  # printed once the bus listens
        assert address.startswith("unix:"), f"dbus-daemon printed {address!r}: {log.read_text()}"
        yield address
    finally:
        proc.terminate()
        proc.wait(HANG_S)
        if proc.stdout is not None:
            proc.stdout.close()


@dataclass(frozen=True)
class NotifyCall:
    app_name: str
    replaces_id: int
    summary: str
    body: str
    actions: list[tuple[str, str]]  # (key, label) pairs
    hints: dict[str, object]
    timeout_ms: int


class Notifications(ServiceInterface):
    """The server side of the freedesktop Notifications spec, recording what it is asked."""

    def __init__(self, capabilities: list[str]) -> None:
        super().__init__("org.freedesktop.Notifications")
        self.capabilities = capabilities
        self.calls: list[NotifyCall] = []
        self.closed: list[int] = []
        self.lock = threading.Lock()

    @dbus_method()
    def GetCapabilities(self) -> StrList:
        return self.capabilities

    @dbus_method()
    def GetServerInformation(self) -> Annotated[tuple[str, str, str, str], DBusSignature("ssss")]:
        return ("test-notifications", "posture-monitor tests", "1.0", "1.2")

    @dbus_method()
    def Notify(self, app_name: DBusStr, replaces_id: DBusUInt32, app_icon: DBusStr, summary: DBusStr,
               body: DBusStr, actions: StrList, hints: Hints, expire_timeout: DBusInt32) -> DBusUInt32:
        pairs = list(zip(actions[::2], actions[1::2], strict=True))
        with self.lock:
            self.calls.append(NotifyCall(app_name, replaces_id, summary, body, pairs,
                                         {k: v.value for k, v in hints.items()}, expire_timeout))
            return len(self.calls)

    @dbus_method()
    def CloseNotification(self, nid: DBusUInt32):  # no return annotation: D-Bus returns nothing
        with self.lock:
            self.closed.append(nid)
        self.NotificationClosed(nid, 3)

    @dbus_signal()
    def ActionInvoked(self, nid: int, action_key: str) -> Annotated[tuple[int, str], DBusSignature("us")]:
        return (nid, action_key)

    @dbus_signal()
    def NotificationClosed(self, nid: int, reason: int) -> Annotated[tuple[int, int], DBusSignature("uu")]:
        return (nid, reason)


class NotificationServer:
    """Runs `Notifications` on its own thread and loop, connected to the bus at `address`."""

    def __init__(self, address: str, capabilities: tuple[str, ...] = ("actions", "body")) -> None:
        self.service = Notifications(list(capabilities))
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.bus: MessageBus = self._call(self._start(address))

    async def _start(self, address: str) -> MessageBus:
        bus = await MessageBus(bus_address=address).connect()
        bus.export("/org/freedesktop/Notifications", self.service)
        await bus.request_name("org.freedesktop.Notifications")
        return bus

    def _call(self, coro):  # type: ignore[no-untyped-def]
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(HANG_S)

    def calls(self) -> list[NotifyCall]:
        with self.service.lock:
            return list(self.service.calls)

    def closed(self) -> list[int]:
        with self.service.lock:
            return list(self.service.closed)

    def press(self, nid: int, action_key: str) -> None:
        """The person clicks a button of notification `nid`."""
        self.loop.call_soon_threadsafe(self.service.ActionInvoked, nid, action_key)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.bus.disconnect)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(HANG_S)


def wait_for(check, what: str = "condition") -> None:  # type: ignore[no-untyped-def]
    """Poll `check()` until true; the bound only catches a hang."""
    deadline = time.monotonic() + HANG_S
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)
