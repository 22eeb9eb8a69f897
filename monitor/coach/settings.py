"""Coach settings, with units; defaults from ../shared/reference/evidence.md section 5.1."""

from __future__ import annotations

from dataclasses import dataclass

DND_DEFAULT_S = 3600.0  # do not disturb without a length (the dashboard's `d`, MQTT `dnd ON`)


@dataclass(frozen=True)
class CoachSettings:
    sitting_limit_s: float = 1800.0  # first, gentle prompt
    escalate_s: tuple[float, ...] = (300.0, 900.0)  # further prompts this long past the limit
    repeat_s: float = 900.0  # after the last escalation, again every this long
    break_s: float = 120.0  # up (standing or walking) this long is a break: the sitting bout ends
    snooze_s: float = 300.0
    warn_before_s: float = 60.0  # a `break_soon` warning this long before the first prompt (0: none)
    max_snoozes_per_day: int = 3
    slouch_nudge_every_s: float = 900.0  # at most one slouch nudge per this long
    work_start_h: float = 9.0  # local time; outside working hours the coach is quiet
    work_end_h: float = 18.0
    work_days: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday = 0
    quiet_outside_work: bool = True
    abandon_break_s: float = 600.0  # a guided break whose hold timer has not run for this long is dropped
    reset_after_gap_s: float = 7200.0  # sensor off this long (sleep, overnight): a new bout, not a break
    tick_s: float = 1.0  # time-driven decisions on this grid of stream time: the same for any chunking

    def prompt_offsets_s(self, count: int) -> list[float]:
        """Bout lengths at which prompts 1..count are due."""
        out = [self.sitting_limit_s + e for e in (0.0, *self.escalate_s)]
        while len(out) < count:
            out.append(out[-1] + self.repeat_s)
        return out[:count]

    def level_at(self, bout_s: float) -> int:
        """How many prompts are due for a bout this long (0: none yet)."""
        if bout_s < self.sitting_limit_s:
            return 0
        fixed = self.prompt_offsets_s(1 + len(self.escalate_s))
        level = sum(1 for o in fixed if bout_s >= o)
        if level == len(fixed):
            level += int((bout_s - fixed[-1]) // self.repeat_s)
        return level
