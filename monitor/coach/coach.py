"""The coach: break prompts from the sitting bout, natural breaks, guided breaks, snooze / skip /
do-not-disturb, quiet hours, slouch nudges. Pure and synchronous; fed engine events and the time.

The sitting bout is `monitor.coach.bout.SittingBout` (the one bout every consumer reads). Prompts
come at the limit and its escalations; a prompt put off (snoozed, do not disturb) comes back when
that ends. A guided break holds prompts while it runs; it counts as a break once the wearer has been
out of the chair for `break_s`, runs on to its last step, and is dropped after `abandon_break_s`
without progress, after which prompts resume at the next level due."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from monitor.coach.bout import OUT_OF_CHAIR, UPRIGHT, SittingBout
from monitor.coach.guide import GuidedBreak
from monitor.coach.settings import CoachSettings
from monitor.coach.stretches import Stretch
from monitor.events import Event, GapDetected, PostureChanged, SlouchStarted
from monitor.events.coach import (
    BreakDue,
    BreakFinished,
    BreakSkipped,
    BreakSnoozed,
    BreakSoon,
    BreakStarted,
    BreakTaken,
    DoNotDisturb,
    RequestRefused,
    SlouchNudge,
    SnoozeRefused,
)
from monitor.timebase import TimeBase

__all__ = ["OUT_OF_CHAIR", "UPRIGHT", "Coach", "CoachState"]


@dataclass
class CoachState:
    """Everything the dashboard shows about the coach (the bout itself is `Coach.bout`)."""

    posture: str = "unknown"
    level: int = 0  # prompts given in this bout
    prompt_s: float | None = None  # when the prompt now showing was given; None: none showing
    snoozed_until_s: float = 0.0  # a snoozed prompt comes back then (0: not snoozed)
    put_off: bool = False  # a prompt was put off (snooze, do not disturb): it comes back when allowed
    warned: bool = False  # the pre-break warning of this bout was given
    guide: GuidedBreak | None = None  # the guided break under way
    break_counted: bool = False  # the guided break under way has already counted as a break
    finished: BreakFinished | None = None  # the last guided break that ended
    dnd_until_s: float = 0.0
    last_nudge_s: float | None = None
    day: str = ""
    snoozes_today: int = 0
    skips_today: int = 0

    @property
    def prompt_active(self) -> bool:
        return self.prompt_s is not None

    @property
    def guided(self) -> bool:
        return self.guide is not None


class Coach:
    def __init__(self, settings: CoachSettings | None = None, clock: TimeBase | None = None) -> None:
        self.s = settings or CoachSettings()
        self.clock = clock  # None: no wall time known (replays); working hours are not applied
        self.st = CoachState()
        self.bout = SittingBout(self.s.sitting_limit_s, self.s.break_s, self.s.reset_after_gap_s)
        self.t_s = 0.0
        self._next_tick: int | None = None  # index of the next grid tick (time = index x tick_s)

    # -- reading -------------------------------------------------------------------------
    def bout_s(self, t_s: float | None = None) -> float:
        """The sitting bout at `t_s` (default: the coach's latest time)."""
        return self.bout.seconds(self.t_s if t_s is None else t_s)

    def break_due_s(self, t_s: float) -> float | None:
        """When the break prompt is due on the stream clock: the prompt showing, the snoozed one, or the
        next one of a sitting bout (constant while the bout runs, so it changes only with events); None
        while not sitting in a bout."""
        st = self.st
        if st.prompt_s is not None:
            return st.prompt_s
        if not self.bout.active or st.posture != "sitting" or st.guide is not None:
            return None
        next_s = t_s + max(0.0, self.s.prompt_offsets_s(st.level + 1)[-1] - self.bout.seconds(t_s))
        return max(next_s, st.snoozed_until_s)

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
            if st.guide is not None:
                st.guide.update(ev.t_s, ev.posture)
            self.bout.posture(ev.t_s, ev.posture, ev.posture in self._up_postures())
        elif isinstance(ev, GapDetected):
            if st.guide is not None:
                st.guide.update(ev.t_s - ev.gap_s, "unknown")
            ended = self.bout.gap(ev.t_s - ev.gap_s, ev.t_s)
            if ended:
                self._reset_prompts()
            return list(ended)
        elif isinstance(ev, SlouchStarted):
            return self._nudge(ev)
        return []

    def _up_postures(self) -> frozenset[str]:
        return OUT_OF_CHAIR if self.st.guide is not None else UPRIGHT

    def _nudge(self, ev: SlouchStarted) -> list[Event]:
        st = self.st
        if self.quiet_reason(ev.t_s) or st.posture != "sitting":
            return []
        if st.last_nudge_s is not None and ev.t_s - st.last_nudge_s < self.s.slouch_nudge_every_s:
            return []
        st.last_nudge_s = ev.t_s
        return [SlouchNudge(ev.t_s, ev.tilt_deg)]

    def _tick(self, t_s: float) -> list[Event]:
        self.t_s = t_s
        self._new_day(t_s)
        if self.st.guide is not None:
            self.st.guide.update(t_s, self.st.posture)
        if self.bout.up_for_s(t_s) >= self.s.break_s and (
                self.bout.active or (self.st.guide is not None and not self.st.break_counted)):
            return self._taken(t_s) + self._guide_end(t_s)
        return self._guide_end(t_s) + self.bout.check(t_s) + self._warn(t_s) + self._prompt(t_s)

    def _guide_end(self, t_s: float) -> list[Event]:
        """The guided break ends once every step is held, or is dropped without progress."""
        g = self.st.guide
        if g is None:
            return []
        if g.done:
            return self._finish(t_s, completed=True)
        if t_s - g.progress_s > self.s.abandon_break_s:
            return self._finish(t_s, completed=False)
        return []

    def _taken(self, t_s: float) -> list[Event]:
        st, bout = self.st, self.bout
        natural = st.level == 0 and st.guide is None
        taken = BreakTaken(t_s, natural=natural, upright_s=bout.up_for_s(t_s), bout_s=bout.seconds(t_s))
        ended: list[Event] = [bout.end(t_s)] if bout.active else []
        st.break_counted = st.guide is not None
        self._reset_prompts()
        return [*ended, taken]

    def _warn(self, t_s: float) -> list[Event]:
        st = self.st
        if st.warned or st.level > 0 or self.s.warn_before_s <= 0 or not self._may_prompt(t_s):
            return []
        left_s = self.s.sitting_limit_s - self.bout.seconds(t_s)
        if not 0 < left_s <= self.s.warn_before_s:
            return []
        st.warned = True
        return [BreakSoon(t_s, left_s)]

    def _may_prompt(self, t_s: float) -> bool:
        st = self.st
        return (self.bout.active and st.posture == "sitting" and st.guide is None
                and self.quiet_reason(t_s) is None and t_s >= st.snoozed_until_s)

    def _prompt(self, t_s: float) -> list[Event]:
        st = self.st
        if not self._may_prompt(t_s):
            return []
        due = self.s.level_at(self.bout.seconds(t_s))
        if due > st.level or (st.put_off and due >= 1 and st.prompt_s is None):
            st.level, st.prompt_s = max(due, st.level), t_s
            st.snoozed_until_s, st.put_off = 0.0, False
            return [BreakDue(t_s, st.level, self.bout.seconds(t_s))]
        return []

    def _reset_prompts(self) -> None:
        """A new bout starts from no prompt."""
        st = self.st
        st.level, st.prompt_s, st.snoozed_until_s, st.put_off, st.warned = 0, None, 0.0, False, False

    def _new_day(self, t_s: float) -> None:
        day = self.clock.day(t_s) if self.clock is not None else ""
        if day != self.st.day:
            self.st.day, self.st.snoozes_today, self.st.skips_today = day, 0, 0

    def _finish(self, t_s: float, completed: bool) -> list[Event]:
        st = self.st
        g = st.guide
        assert g is not None
        st.guide, st.break_counted = None, False
        ids = tuple(dict.fromkeys(s.id for s in g.stretches))
        st.finished = BreakFinished(t_s, completed, ids, min(g.index, len(g.steps)), len(g.steps), g.up_s)
        self.bout.recount(t_s, st.posture in UPRIGHT)
        return [st.finished]

    # -- the user's actions ----------------------------------------------------------------
    def snooze(self, t_s: float, for_s: float | None = None) -> list[Event]:
        """Put the prompt off for `for_s` (default: the snooze setting); it comes back then."""
        st = self.st
        if st.guide is not None:
            return [RequestRefused(t_s, "snooze", "A break is already running")]
        if st.prompt_s is None:
            if st.snoozed_until_s > t_s:
                return [RequestRefused(t_s, "snooze", "Already snoozed")]
            return [RequestRefused(t_s, "snooze", "Nothing to snooze")]
        if st.snoozes_today >= self.s.max_snoozes_per_day:
            return [SnoozeRefused(t_s, self.s.max_snoozes_per_day)]
        st.snoozes_today += 1
        st.prompt_s, st.put_off = None, True
        st.snoozed_until_s = t_s + (for_s or self.s.snooze_s)
        return [BreakSnoozed(t_s, st.snoozed_until_s, st.snoozes_today)]

    def skip(self, t_s: float) -> list[Event]:
        """Skip the prompt (showing or snoozed); during a guided break, stop it."""
        st = self.st
        if st.guide is not None:
            return self._finish(t_s, completed=False)
        if st.prompt_s is None and not st.put_off:
            return [RequestRefused(t_s, "skip", "Nothing to skip")]
        st.prompt_s, st.snoozed_until_s, st.put_off = None, 0.0, False
        st.skips_today += 1
        return [BreakSkipped(t_s, self.bout.seconds(t_s), st.skips_today)]

    def start_break(self, t_s: float, stretches: Sequence[Stretch] = ()) -> list[Event]:
        """A guided break through `stretches`: prompts stop; out of the chair for `break_s` counts."""
        st = self.st
        if st.guide is not None:
            return [RequestRefused(t_s, "start_break", "A break is already running")]
        st.guide, st.break_counted = GuidedBreak(list(stretches), t_s), False
        st.guide.update(t_s, st.posture)
        st.prompt_s, st.snoozed_until_s, st.put_off = None, 0.0, False
        self.bout.recount(t_s, st.posture in OUT_OF_CHAIR)
        return [BreakStarted(t_s, tuple(s.id for s in stretches))]

    def do_not_disturb(self, t_s: float, until_s: float | None) -> list[Event]:
        """Pause prompts and nudges until `until_s` (None: switch off); a prompt showing comes back after."""
        st = self.st
        st.dnd_until_s = until_s or 0.0
        if st.dnd_until_s > t_s and st.prompt_s is not None:
            st.prompt_s, st.put_off = None, True
        return [DoNotDisturb(t_s, st.dnd_until_s)]
