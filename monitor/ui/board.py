"""Between the stream and the UI: the latest view, recent events and the user's queued actions.
The stream never waits for the UI (it only replaces the view); the UI reads when it redraws."""

from __future__ import annotations

import queue
import threading
from collections import deque
from typing import Any

from monitor.events import Event
from monitor.ui.view import LiveView


class Board:
    def __init__(self, max_events: int = 200) -> None:
        self._lock = threading.Lock()
        self._view = LiveView()
        self._events: deque[Event] = deque(maxlen=max_events)
        self._new: list[Event] = []
        self.actions: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self.summary: dict[str, Any] | None = None
        self._notes: deque[str] = deque(maxlen=20)
        self.errors: list[Exception] = []  # a stream failed: the UI exits, the CLI reports the first
        self.week_shown = False  # set by the UI: the stream then keeps the week's stored days current

    @property
    def error(self) -> Exception | None:
        return self.errors[0] if self.errors else None

    # stream side -----------------------------------------------------------------------
    def publish(self, view: LiveView) -> None:
        with self._lock:
            self._view = view

    def handle(self, event: Event) -> None:
        with self._lock:
            self._events.append(event)
            self._new.append(event)
            del self._new[:-50]  # a UI that stopped reading cannot make this grow

    def close(self, summary: dict[str, Any]) -> None:
        self.summary = summary

    def note(self, text: str) -> None:
        """A one-line notice for the user (link connected, recording to FILE...)."""
        with self._lock:
            self._notes.append(text)

    def take_actions(self) -> list[tuple[str, Any]]:
        out = []
        while not self.actions.empty():
            out.append(self.actions.get_nowait())
        return out

    # UI side ---------------------------------------------------------------------------
    def read(self) -> tuple[LiveView, list[Event]]:
        """The latest view and the events since the last read."""
        with self._lock:
            new, self._new = self._new, []
            return self._view, new

    def take_notes(self) -> list[str]:
        with self._lock:
            notes = list(self._notes)
            self._notes.clear()
            return notes

    def read_view(self) -> LiveView:
        with self._lock:
            return self._view

    def recent(self) -> list[Event]:
        with self._lock:
            return list(self._events)

    def request(self, action: str, arg: Any = None) -> None:
        self.actions.put((action, arg))
