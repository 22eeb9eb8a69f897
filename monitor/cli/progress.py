"""A one-line progress bar on stderr, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
import time


class Progress:
    """Redraws at most 5 times a second; silent when stderr is not a TTY."""

    def __init__(self, total_s: float, enabled: bool | None = None) -> None:
        self.total_s = max(total_s, 1e-9)
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._last = 0.0

    def update(self, t_s: float) -> None:
        now = time.monotonic()
        if not self.enabled or now - self._last < 0.2:
            return
        self._last = now
        frac = min(1.0, t_s / self.total_s)
        bar = "#" * int(frac * 30)
        sys.stderr.write(f"\r[{bar:<30}] {frac:6.1%} {t_s / 60:7.1f}/{self.total_s / 60:.1f} min")
        sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 70 + "\r")
            sys.stderr.flush()


class CountProgress:
    """The same kind of bar for a count of work items (`tune`'s points): `done` of `total` `unit`."""

    def __init__(self, total: int, unit: str, enabled: bool | None = None) -> None:
        self.total, self.unit = max(total, 1), unit
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._last = 0.0

    def update(self, done: int) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self._last < 0.2 and done < self.total):
            return
        self._last = now
        frac = min(1.0, done / self.total)
        sys.stderr.write(f"\r[{'#' * int(frac * 30):<30}] {frac:6.1%} {done}/{self.total} {self.unit}")
        sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 70 + "\r")
            sys.stderr.flush()
