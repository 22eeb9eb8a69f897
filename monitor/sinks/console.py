"""Events on stdout: one readable line each, or one JSON object per line."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from monitor.events import Event
from monitor.events.types import format_line


class ConsoleSink:
    """Writes each event as it happens and the summary at the end."""

    def __init__(self, as_json: bool, out: TextIO | None = None) -> None:
        self.as_json = as_json
        self.out = out or sys.stdout

    def handle(self, event: Event) -> None:
        line = json.dumps(event.to_dict()) if self.as_json else format_line(event)
        self.out.write(line + "\n")
        self.out.flush()

    def close(self, summary: dict[str, Any]) -> None:
        if self.as_json:
            self.out.write(json.dumps({"type": "summary", **summary}) + "\n")
        else:
            self.out.write("summary: " + ", ".join(f"{k}={v}" for k, v in summary.items()) + "\n")
        self.out.flush()
