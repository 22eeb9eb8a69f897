"""A clean stop on SIGTERM (what systemd sends) and SIGINT (Ctrl+C): the run's stop event is set and
every loop finishes what it holds (recording closed, MQTT offline, outbox drained) before the process
exits 0 (SIGTERM) or 130 (SIGINT). A second signal while stopping ends at once."""

from __future__ import annotations

import signal
import threading
from types import FrameType, TracebackType

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Stopper:
    """Installs the handlers while in use (main thread only; elsewhere it is just the event)."""

    def __init__(self, event: threading.Event | None = None) -> None:
        self.event = event or threading.Event()
        self.signum: int | None = None
        self._old: dict[int, object] = {}

    def __enter__(self) -> Stopper:
        if threading.current_thread() is threading.main_thread():
            for sig in SIGNALS:
                self._old[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        for sig, old in self._old.items():
            signal.signal(sig, old)  # type: ignore[arg-type]
        self._old.clear()

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.event.is_set() and self.signum is not None:
            raise KeyboardInterrupt  # asked twice: stop now
        self.signum = signum
        self.event.set()

    @property
    def exit_code(self) -> int:
        """0 for a normal end or SIGTERM, 130 (128 + 2) for Ctrl+C."""
        return 130 if self.signum == signal.SIGINT else 0
