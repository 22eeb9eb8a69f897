"""Coach settings, with units; defaults from ../shared/reference/evidence.md section 5.1. Each field's
schema spec (monitor/schema.py) holds its unit, bounds and help: the config file's minutes keys
(`coach.break_min`, `engine.sitting_limit_min`, ...) are made from them (monitor/config.py)."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.schema import Spec, num, spec_field, switch, whole

DND_DEFAULT_S = 3600.0  # do not disturb without a length (the dashboard's `d`, MQTT `dnd ON`)


@dataclass(frozen=True)
class CoachSettings:
    sitting_limit_s: float = num(1800.0, "s", 60, 28800, "prolonged-sitting limit: the first, gentle "
                                 "prompt")
    escalate_s: tuple[float, ...] = spec_field((300.0, 900.0), Spec(
        "list", "further prompts this long past the limit", "s", items=Spec("num", unit="s", lo=0, hi=86400)))
    repeat_s: float = num(900.0, "s", 60, 86400, "after the last escalation, again every this long")
    break_s: float = num(120.0, "s", 30, 1800, "up (standing or walking) this long is a break and ends "
                         "the sitting bout; shorter stands keep it")
    snooze_s: float = num(300.0, "s", 60, 3600, "a snooze delays the prompt this long")
    warn_before_s: float = num(60.0, "s", 0, 1800, "a warning this long before the first break prompt "
                               "(0: none)")
    max_snoozes_per_day: int = whole(3, 0, 50, "snoozes allowed per day")
    slouch_nudge_every_s: float = num(900.0, "s", 0, 86400, "at most one slouch nudge per this long")
    work_start_h: float = num(9.0, "h", 0, 24, "working hours start, local time; quiet before")
    work_end_h: float = num(18.0, "h", 0, 24, "working hours end, local time; quiet after (before the "
                            "start: the hours run overnight, into the next day)")
    work_days: tuple[int, ...] = spec_field((0, 1, 2, 3, 4), Spec(
        "list", "working days, Monday = 0", items=Spec("int", lo=0, hi=6)))
    quiet_outside_work: bool = switch(True, "quiet outside working hours")
    abandon_break_s: float = num(600.0, "s", 0, 86400, "a guided break whose hold timer has not run for "
                                 "this long is dropped")
    reset_after_gap_s: float = num(7200.0, "s", 0, 86400 * 7, "sensor off this long (sleep, overnight): "
                                   "a new bout, not a break")
    tick_s: float = num(1.0, "s", 0, 60, "time-driven decisions on this grid of stream time: the same "
                        "for any chunking", lo_open=True)

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
