"""Prompts that reach the person outside the terminal: a desktop notification (with Snooze and Start
break buttons where the server has them) and an optional terminal bell, for the coach's break prompts,
pre-break warnings and slouch nudges. Answering a prompt takes its notification off the screen."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import Any

from monitor.config import Config
from monitor.events import Event
from monitor.pipeline import Sink
from monitor.sinks.notifier import Notifier, Prompt

Request = Callable[[str, Any], None]

PROMPTS = ("break_due", "break_soon", "slouch_nudge")  # what notifies and rings
ANSWERS = {  # events that answer the prompt in a slot: its notification goes
    "break_started": "break", "break_taken": "break", "break_snoozed": "break",
    "break_skipped": "break", "do_not_disturb": "break", "slouch_ended": "slouch",
}
BREAK_ACTIONS = (("snooze", "Snooze"), ("start_break", "Start break"))


def minutes(t_s: float) -> str:
    """A span for people: `45 min`, `1 h 05 min`."""
    total_min = max(0, round(t_s / 60.0))
    if total_min < 60:
        return f"{total_min} min"
    return f"{total_min // 60} h {total_min % 60:02d} min"


def prompt_for(event: Event, break_min: float) -> Prompt | None:
    """The notification for a coach event, or None for events that do not notify.
    `break_soon` is handled by name (BreakSoon(t_s, in_s) is a coach event of its own)."""
    kind = event.kind
    if kind == "break_due":
        level = int(getattr(event, "level", 1))
        title = "Time to stand up" if level <= 1 else "Still sitting: time for a break"
        body = (f"You have been sitting for {minutes(float(getattr(event, 'bout_s', 0.0)))}. "
                f"Standing or walking for {break_min:g} min counts as a break.")
        return Prompt("break", title, body, BREAK_ACTIONS)
    if kind == "break_soon":
        in_s = float(getattr(event, "in_s", 60.0))
        return Prompt("break", f"Break in {minutes(in_s)}",
                      "Finish what you are doing; a standing break is coming up.")
    if kind == "slouch_nudge":
        tilt_deg = abs(float(getattr(event, "tilt_deg", 0.0)))
        return Prompt("slouch", "Sit up",
                      f"Slouching, {tilt_deg:.0f} deg back from your upright sitting. "
                      "Roll the pelvis forward and sit tall.", low=True)
    return None


class DesktopSink:
    """Coach events -> desktop notifications; `handle` only queues, the notifier's thread sends."""

    def __init__(self, notifier: Notifier, break_min: float) -> None:
        self.notifier, self.break_min = notifier, break_min

    def handle(self, event: Event) -> None:
        prompt = prompt_for(event, self.break_min)
        if prompt is not None:
            self.notifier.post(prompt)
        elif event.kind in ANSWERS:
            self.notifier.clear(ANSWERS[event.kind])

    def close(self, summary: dict[str, Any]) -> None:
        self.notifier.close()


class BellSink:
    """The terminal bell (BEL) for every prompt. One byte straight to the terminal's descriptor, so it
    never mixes into a half-written line of the dashboard's own output (BEL is harmless anywhere)."""

    def __init__(self, fd: int, owned: bool = False) -> None:
        self.fd, self.owned = fd, owned  # owned: opened for the bell, closed with the run

    def handle(self, event: Event) -> None:
        if event.kind in PROMPTS:
            with contextlib.suppress(OSError):  # the terminal went away: nothing to ring
                os.write(self.fd, b"\a")

    def close(self, summary: dict[str, Any]) -> None:
        if self.owned:
            with contextlib.suppress(OSError):
                os.close(self.fd)


def bell_terminal() -> BellSink | None:
    """The bell on stderr when it is a terminal, else on the controlling terminal, else None."""
    err = sys.__stderr__
    if err is not None and err.isatty():
        return BellSink(err.fileno())
    try:
        return BellSink(os.open(os.ctermid(), os.O_WRONLY | os.O_NOCTTY), owned=True)
    except OSError:
        return None


def desktop_sinks(cfg: Config, request: Request, say: Callable[[str], None]) -> list[Sink]:
    """The sinks `notify.desktop` and `notify.bell` ask for (empty when both are off). `request` is
    the run's request queue (names "snooze", "start_break"); `say` gives one-line notices."""
    sinks: list[Sink] = []
    if cfg["notify.desktop"]:
        sinks.append(DesktopSink(Notifier(say, request), cfg["coach.break_min"]))
    if cfg["notify.bell"]:
        bell = bell_terminal()
        if bell is None:
            say("terminal bell off: no terminal")
        else:
            sinks.append(bell)
    return sinks
