"""One sitting bout for everyone: a simulated 8 h working day (monitor.sim.SimulatedWearer) through the
engine and the coach. At every bout end the engine-level events (`bout_ended`), the coach's
(`break_taken`), what the dashboard and MQTT showed (`Coach.bout_s`) and the statistics' longest bout
agree. `python -m pytest -s tests/test_one_bout.py` (or `python tools/bout_day.py`) prints the figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from monitor.coach.coach import Coach
from monitor.coach.settings import CoachSettings
from monitor.decode import Decoder
from monitor.engine import PostureEngine
from monitor.events import BoutEnded, Event, ProlongedSitting
from monitor.events.coach import BreakDue, BreakSoon, BreakTaken
from monitor.pipeline import Pipeline
from monitor.sim import SimulatedWearer
from monitor.sim.calibration import demo_calibration
from monitor.sinks.totals import DayTotals
from monitor.timebase import TimeBase

RATE_HZ = 20.0
CHUNK = 20  # 1 s of samples per feed, as a live stream delivers them


@dataclass
class Day:
    """What a day produced: every event, and the bout the front ends read after each chunk."""

    events: list[Event] = field(default_factory=list)
    shown: list[tuple[float, float]] = field(default_factory=list)  # (t_s, bout_s) after each chunk
    longest_bout_s: float = 0.0  # the statistics' figure (DayTotals, as the store and MQTT keep it)

    def of(self, cls: type[Event]) -> list[Any]:
        return [e for e in self.events if isinstance(e, cls)]


@lru_cache(maxsize=2)
def run_day(hours: float = 8.0, seed: int = 3) -> Day:
    day = Day()
    coach = Coach(CoachSettings(quiet_outside_work=False))
    totals = DayTotals(TimeBase(0.0))

    class Keep:
        def handle(self, event: Event) -> None:
            day.events.append(event)

        def close(self, summary: dict[str, object]) -> None:
            pass

    pipeline = Pipeline(Decoder(), PostureEngine(RATE_HZ, demo_calibration(seed, RATE_HZ)), [Keep(), totals],
                        RATE_HZ, coach=coach)
    for chunk in SimulatedWearer(seed=seed, rate_hz=RATE_HZ).run(hours * 3600.0):
        for i in range(0, len(chunk.block), CHUNK):
            pipeline.feed(chunk.block.slice(i, i + CHUNK))
            day.shown.append((pipeline.last_t_s, coach.bout_s(pipeline.last_t_s)))
    day.longest_bout_s = totals.totals["longest_bout_s"]
    return day


def figures(day: Day) -> str:
    """The day in a few lines: prompts, breaks, and each bout as the engine events and the coach saw it."""
    ended, taken = day.of(BoutEnded), day.of(BreakTaken)
    natural = sum(1 for e in taken if e.natural)
    lines = [f"prompts {len(day.of(BreakDue))} (first-prompt warnings {len(day.of(BreakSoon))}), "
             f"prolonged sitting {len(day.of(ProlongedSitting))}",
             f"breaks {len(taken)} ({natural} natural), bouts ended {len(ended)}, "
             f"longest {day.longest_bout_s / 60:.1f} min",
             "bout ended at   bout_ended.duration_s   break_taken.bout_s   shown before the end"]
    for e in ended:
        coach_s = next((b.bout_s for b in taken if b.t_s == e.t_s), float("nan"))
        lines.append(f"{e.t_s / 3600:6.2f} h       {e.duration_s:10.1f}           {coach_s:10.1f}"
                     f"       {shown_before(day, e.t_s):10.1f}")
    return "\n".join(lines)


def shown_before(day: Day, t_s: float) -> float:
    """The bout the dashboard and MQTT showed in the last chunk before `t_s`."""
    return max(((t, b) for t, b in day.shown if t < t_s), default=(0.0, 0.0))[1]


def test_the_engine_events_the_coach_and_the_front_ends_read_one_bout() -> None:
    day = run_day()
    print("\n" + figures(day))
    ended, taken = day.of(BoutEnded), day.of(BreakTaken)
    assert len(ended) >= 5 and len(day.of(BreakDue)) >= 1
    for e in ended:
        by_break = [b for b in taken if b.t_s == e.t_s]
        assert len(by_break) == 1 and by_break[0].bout_s == e.duration_s  # the same bout, the same end
        assert abs(shown_before(day, e.t_s) - e.duration_s) < 1e-6  # up: the bout shown stood still
    assert day.longest_bout_s == max(e.duration_s for e in ended)


def test_prolonged_sitting_comes_with_the_first_prompt_at_the_limit() -> None:
    day = run_day()
    limit_s = CoachSettings().sitting_limit_s
    first = [e for e in day.of(BreakDue) if e.level == 1]
    assert [e.t_s for e in day.of(ProlongedSitting)] == [e.t_s for e in first]
    assert all(abs(e.bout_s - limit_s) <= 1.0 for e in day.of(ProlongedSitting))
    soon = day.of(BreakSoon)  # a minute ahead of each first prompt (and of a limit a break then averted)
    assert all(0 < e.in_s <= 60.0 for e in soon)
    assert all(any(0 < due.t_s - w.t_s <= 61.0 for w in soon) for due in first)
