"""The coach: break prompts from the measured sitting bout, natural breaks, snooze / skip /
do-not-disturb, quiet hours, slouch nudges. Pure and synchronous; fed engine events and the time.

Rules: a bout starts when the wearer sits and ends only with a break, which is being upright
(standing or walking; in a guided break also lying for floor stretches) for `break_s`. Shorter stands
keep the bout. Time in a gap (sensor off, computer asleep) is neither sitting nor a break: it is not
counted in the bout, and a gap longer than `reset_after_gap_s` starts a new bout without a break."""

from __future__ import annotations

import math
from dataclasses import dataclass

from monitor.coach.settings import CoachSettings
from monitor.events import Event, GapDetected, PostureChanged, SlouchStarted
from monitor.events.coach import (
    BreakDue,
    BreakSkipped,
    BreakSnoozed,
    BreakStarted,
    BreakTaken,
    DoNotDisturb,
    SlouchNudge,
    SnoozeRefused,
)
from monitor.timebase import TimeBase

UPRIGHT = frozenset({"standing", "walking"})
OUT_OF_CHAIR = UPRIGHT | {"lying"}  # counts during a guided break (bridges, floor stretches)


@dataclass
class CoachState:
    """Everything the dashboard shows about the coach."""

    posture: str = "unknown"
    bout_start_s: float | None = None
    bout_gap_s: float = 0.0  # gap time inside the bout, not counted
    upright_since_s: float | None = None
    level: int = 0  # prompts given in this bout
    prompt_active: bool = False
    guided: bool = False  # a guided break is under way
    guided_since_s: float = 0.0
    snoozed_until_s: float = 0.0
    dnd_until_s: float = 0.0
    last_nudge_s: float | None = None
    day: str = ""
    snoozes_today: int = 0
    skips_today: int = 0


class Coach:
    def __init__(self, settings: CoachSettings | None = None, clock: TimeBase | None = None) -> None:
        self.s = settings or CoachSettings()
        self.clock = clock  # None: no wall time known (replays); working hours are not applied
        self.st = CoachState()
        self.t_s = 0.0
        self._next_tick: int | None = None  # index of the next grid tick (time = index x tick_s)

    # -- reading -------------------------------------------------------------------------
    def bout_s(self, t_s: float | None = None) -> float:
        st = self.st
        if st.bout_start_s is None:
            return 0.0
        return max(0.0, (self.t_s if t_s is None else t_s) - st.bout_start_s - st.bout_gap_s)

    def quiet_reason(self, t_s: float) -> str | None:
        if t_s < self.st.dnd_until_s:
            return "do not disturb"
        if self.clock is not None and self.s.quiet_outside_work and not self.clock.working(t_s, self.s):
            return "outside working hours"
        return None

    # -- feeding -------------------------------------------------------------------------
    def update(self, events: list[Event], t_s: float) -> list[Event]:
        """Engine events since the last call (in emission order) and the stream time now; returns coach
        events. Time-driven decisions (prompts, breaks) are taken on a fixed grid of `tick_s` counted
        from t = 0, interleaved with the events at their emission times, so any chunking of a stream
        (live batches, a replay's big chunks) gives the same coach events at the same times."""
        out: list[Event] = []
        for ev in events:
            if isinstance(ev, GapDetected):  # no ticks inside a gap: nothing was measured there
                out += self._advance(ev.t_s - ev.gap_s) + self._on_event(ev)
                self._next_tick = math.ceil(ev.t_s / self.s.tick_s - 1e-9)
                continue
            out += self._advance(max(ev.t_s, float(getattr(ev, "emitted_s", 0.0))))
            out += self._on_event(ev)
        return out + self._advance(t_s)

    def _advance(self, t_s: float) -> list[Event]:
        """Every grid tick up to `t_s`. Before the first one, the grid starts at the first multiple
        of `tick_s` at or after `t_s`: earlier ticks could not have decided anything."""
        step = self.s.tick_s
        if self._next_tick is None:
            self._next_tick = math.ceil(t_s / step - 1e-9)
        out: list[Event] = []
        while self._next_tick * step <= t_s + 1e-9:
            out += self._tick(max(self._next_tick * step, self.t_s))
            self._next_tick += 1
        return out

    def _on_event(self, ev: Event) -> list[Event]:
        st = self.st
        self.t_s = max(self.t_s, ev.t_s)
        if isinstance(ev, PostureChanged):
            st.posture = ev.posture
            up = OUT_OF_CHAIR if st.guided else UPRIGHT
            if ev.posture in up:
                st.upright_since_s = st.upright_since_s if st.upright_since_s is not None else ev.t_s
            else:
                st.upright_since_s = None
            if ev.posture == "sitting" and st.bout_start_s is None:
                st.bout_start_s, st.bout_gap_s, st.level = ev.t_s, 0.0, 0
        elif isinstance(ev, GapDetected):
            st.upright_since_s = None
            if ev.gap_s >= self.s.reset_after_gap_s:
                self._end_bout()
            elif st.bout_start_s is not None:
                st.bout_gap_s += ev.gap_s
        elif isinstance(ev, SlouchStarted):
            return self._nudge(ev)
        return []

    def _nudge(self, ev: SlouchStarted) -> list[Event]:
        st = self.st
        if self.quiet_reason(ev.t_s) or st.posture != "sitting":
            return []
        if st.last_nudge_s is not None and ev.t_s - st.last_nudge_s < self.s.slouch_nudge_every_s:
            return []
        st.last_nudge_s = ev.t_s
        return [SlouchNudge(ev.t_s, ev.tilt_deg)]

    def _tick(self, t_s: float) -> list[Event]:
        st = self.st
        self.t_s = t_s
        self._new_day(t_s)
        if st.guided and t_s - st.guided_since_s > self.s.abandon_break_s:
            st.guided = False  # started but never got up: prompts resume
        if st.upright_since_s is not None and t_s - st.upright_since_s >= self.s.break_s:
            upright_s = t_s - st.upright_since_s
            if st.bout_start_s is not None or st.guided:
                taken = BreakTaken(t_s, natural=st.level == 0 and not st.guided, upright_s=upright_s,
                                   bout_s=self.bout_s(st.upright_since_s))
                self._end_bout()
                return [taken]
        return self._prompt(t_s)

    def _prompt(self, t_s: float) -> list[Event]:
        st = self.st
        if st.bout_start_s is None or st.posture != "sitting" or st.guided or self.quiet_reason(t_s):
            return []
        if t_s < st.snoozed_until_s:
            return []
        due = self.s.level_at(self.bout_s(t_s))
        if due > st.level or (st.prompt_active and st.snoozed_until_s > 0):
            st.level, st.prompt_active, st.snoozed_until_s = max(due, st.level), True, 0.0
            return [BreakDue(t_s, st.level, self.bout_s(t_s))]
        return []

    def _end_bout(self) -> None:
        st = self.st
        st.bout_start_s, st.bout_gap_s, st.level = None, 0.0, 0
        st.prompt_active, st.guided, st.snoozed_until_s, st.upright_since_s = False, False, 0.0, None

    def _new_day(self, t_s: float) -> None:
        day = self.clock.day(t_s) if self.clock is not None else ""
        if day != self.st.day:
            self.st.day, self.st.snoozes_today, self.st.skips_today = day, 0, 0

    # -- the user's actions ----------------------------------------------------------------
    def snooze(self, t_s: float, for_s: float | None = None) -> list[Event]:
        """Delay the prompt by `for_s` (default: the snooze setting)."""
        st = self.st
        if not st.prompt_active:
            return []
        if st.snoozes_today >= self.s.max_snoozes_per_day:
            return [SnoozeRefused(t_s, self.s.max_snoozes_per_day)]
        st.snoozes_today += 1
        st.snoozed_until_s = t_s + (for_s or self.s.snooze_s)
        return [BreakSnoozed(t_s, st.snoozed_until_s, st.snoozes_today)]

    def skip(self, t_s: float) -> list[Event]:
        st = self.st
        if not st.prompt_active:
            return []
        st.prompt_active, st.snoozed_until_s = False, 0.0
        st.skips_today += 1
        return [BreakSkipped(t_s, self.bout_s(t_s), st.skips_today)]

    def start_break(self, t_s: float, stretch_ids: tuple[str, ...] = ()) -> list[Event]:
        """A guided break: prompts stop; being out of the chair for `break_s` completes it."""
        st = self.st
        st.guided, st.guided_since_s, st.prompt_active, st.snoozed_until_s = True, t_s, False, 0.0
        if st.posture in OUT_OF_CHAIR and st.upright_since_s is None:
            st.upright_since_s = t_s
        return [BreakStarted(t_s, stretch_ids)]

    def do_not_disturb(self, t_s: float, until_s: float | None) -> list[Event]:
        """Pause prompts and nudges until `until_s` (None: switch off)."""
        self.st.dnd_until_s = until_s or 0.0
        return [DoNotDisturb(t_s, self.st.dnd_until_s)]
