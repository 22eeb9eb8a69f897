"""Events on stdout: one readable line each, or one JSON object per line."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from monitor.events import Event
from monitor.events.types import format_line
from monitor.sinks.summary import summary_json, summary_lines


class ConsoleSink:
    """Writes each event as it happens and the summary at the end."""

    def __init__(self, as_json: bool, out: TextIO | None = None, sensor: str | None = None) -> None:
        self.as_json = as_json
        self.out = out or sys.stdout
        self.sensor = sensor  # with several sensors in one run, each line says which one

    def handle(self, event: Event) -> None:
        self._write(event.to_dict(), format_line(event))

    def close(self, summary: dict[str, Any]) -> None:
        """The summary: a short table for people, one JSON object (whole seconds) with --json."""
        if self.as_json:
            self._write(summary_json(summary), "")
            return
        for line in summary_lines(summary):
            self._write({}, line)

    def _write(self, obj: dict[str, Any], text: str) -> None:
        if self.as_json:
            line = json.dumps({"sensor": self.sensor, **obj} if self.sensor else obj)
        else:
            line = f"[{self.sensor}] {text}" if self.sensor else text
        self.out.write(line + "\n")
        self.out.flush()
