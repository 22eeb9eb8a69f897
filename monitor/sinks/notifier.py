"""Desktop notifications on a thread of their own: `desktop-notifier` (freedesktop Notifications over
D-Bus on Linux; macOS and Windows through the same API) is async, and the stream must never wait on a
bus. `post` only queues; one coroutine on the notifier's own event loop sends, in order."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # desktop-notifier is imported on the notifier's thread, by runs that notify
    from desktop_notifier import DesktopNotifier

QUIET = logging.getLogger("desktop_notifier")  # it logs a traceback per failed send; we report
QUIET.setLevel(logging.CRITICAL)                # the failure ourselves, once

APP_NAME = "posture-monitor"


@dataclass(frozen=True)
class Prompt:
    """One notification: `slot` groups prompts that replace each other ("break", "slouch");
    `actions` are (request name, button label) pairs, shown where the server has buttons."""

    slot: str
    title: str
    body: str
    actions: tuple[tuple[str, str], ...] = ()
    low: bool = False  # low urgency (a nudge, not a prompt)


@dataclass(frozen=True)
class _Clear:
    slot: str


class Notifier:
    """Connects once (bounded by `connect_timeout_s`); unreachable means one notice and quiet for good.
    A button calls `request(name, None)` on the notifier's thread (the request queue is thread-safe)."""

    def __init__(self, say: Callable[[str], None], request: Callable[[str, object], None],
                 connect_timeout_s: float = 5.0, app_name: str = APP_NAME) -> None:
        self.say, self.request = say, request
        self.connect_timeout_s, self.app_name = connect_timeout_s, app_name
        self.state = "connecting"  # then "ready" or "off"
        self.buttons = False  # the server shows action buttons
        self.sent = 0  # notifications the server accepted
        self._failed = False  # a send failed since the last one that worked (said once)
        self._open: dict[str, str] = {}  # slot -> identifier of the notification on screen
        self._loop = asyncio.new_event_loop()
        self._queue: asyncio.Queue[Prompt | _Clear | None] = asyncio.Queue()
        self._thread = threading.Thread(target=self._run, name="desktop-notifier", daemon=True)
        self._thread.start()

    def post(self, prompt: Prompt) -> None:
        """Thread-safe, never blocks: show `prompt` (replacing the one in its slot)."""
        self._put(prompt)

    def clear(self, slot: str) -> None:
        """Thread-safe: take the notification in `slot` off the screen (the prompt was answered)."""
        self._put(_Clear(slot))

    def close(self, timeout_s: float = 2.0) -> None:
        """Clear what is on screen, then stop the thread (waits at most `timeout_s`)."""
        self._put(None)
        self._thread.join(timeout_s)

    def _put(self, item: Prompt | _Clear | None) -> None:
        quiet = self.state == "off" and item is not None  # the stop still has to reach the loop
        if not quiet and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed in between: nothing to show
                self._loop.call_soon_threadsafe(self._queue.put_nowait, item)

    def _run(self) -> None:
        try:
            self._loop.run_until_complete(self._serve())
        finally:
            self._loop.close()

    async def _serve(self) -> None:
        notifier = await self._connect()
        while (item := await self._queue.get()) is not None:
            if notifier is None:
                continue
            if isinstance(item, _Clear):
                await self._clear(notifier, item.slot)
            else:
                await self._send(notifier, item)
        if notifier is not None:
            for slot in list(self._open):
                await self._clear(notifier, slot)

    async def _connect(self) -> DesktopNotifier | None:
        try:
            from desktop_notifier import Capability, DesktopNotifier

            notifier = DesktopNotifier(app_name=self.app_name, app_icon=None)
            caps = await asyncio.wait_for(notifier.get_capabilities(), self.connect_timeout_s)
        except Exception as e:  # no bus, no notification server, no backend: never fatal
            self.state = "off"
            self.say(f"desktop notifications off: {_reason(e)}")
            return None
        self.buttons = Capability.BUTTONS in caps
        self.state = "ready"
        return notifier

    async def _send(self, notifier: DesktopNotifier, prompt: Prompt) -> None:
        from desktop_notifier import Button, Notification, Urgency

        await self._clear(notifier, prompt.slot)
        buttons = tuple(Button(label, on_pressed=self._press(name), identifier=name)
                        for name, label in prompt.actions) if self.buttons else ()
        dispatched: list[bool] = []
        note = Notification(prompt.title, prompt.body, buttons=buttons,
                            urgency=Urgency.Low if prompt.low else Urgency.Normal,
                            on_dispatched=lambda: dispatched.append(True))
        with contextlib.suppress(TimeoutError):  # a hung server: counted as not delivered
            await asyncio.wait_for(notifier.send_notification(note), self.connect_timeout_s)
        if dispatched:
            self._open[prompt.slot] = note.identifier
            self.sent += 1
            self._failed = False
        elif not self._failed:
            self._failed = True
            self.say(f"desktop notification not delivered: {prompt.title}")

    async def _clear(self, notifier: DesktopNotifier, slot: str) -> None:
        identifier = self._open.pop(slot, None)
        if identifier is None or identifier not in await notifier.get_current_notifications():
            return  # never shown, or closed by the user or the server already
        with contextlib.suppress(Exception):  # the server went away: nothing left to take down
            await asyncio.wait_for(notifier.clear(identifier), self.connect_timeout_s)

    def _press(self, name: str) -> Callable[[], None]:
        return lambda: self.request(name, None)


def _reason(e: BaseException) -> str:
    """One line for the user: what could not be reached, and the library's own words."""
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    if isinstance(e, TimeoutError):
        return "the notification server did not answer"
    if type(e).__name__ == "DBusError":  # the bus answered: nobody serves org.freedesktop.Notifications
        return f"no notification server on the session bus ({text})"
    if isinstance(e, OSError) or type(e).__name__ == "InvalidAddressError":
        address = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        return f"cannot reach the session bus{' ' + address if address else ''} ({text})"
    return text
