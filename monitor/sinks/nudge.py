"""Coach prompts passed on to the body: a slouch nudge or a due break becomes a nudge by name
("slouch", "break"), which the sensor's own actuators play where its profile declares them (a buzz,
a blink, a tone). The sink only names the nudge; `send` (e.g. `LiveSource.nudge`) must not block."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from monitor.events import Event

NUDGES: Mapping[str, str] = {"slouch_nudge": "slouch", "break_due": "break"}  # event type -> nudge


class NudgeSink:
    """Calls `send(name)` for every event that has a nudge in `names` (event type -> nudge name)."""

    def __init__(self, send: Callable[[str], object], names: Mapping[str, str] = NUDGES) -> None:
        self.send, self.names = send, dict(names)
        self.sent: Counter[str] = Counter()  # nudges asked for, by name

    def handle(self, event: Event) -> None:
        name = self.names.get(event.kind)
        if name is not None:
            self.sent[name] += 1
            self.send(name)

    def close(self, summary: dict[str, Any]) -> None:
        """Nothing to release: nudges in flight finish or fail on the Bluetooth thread."""
