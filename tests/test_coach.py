"""Coach rules over event sequences: prompts from the measured bout, escalation, natural breaks,
short stands, snooze limits, skip, do-not-disturb, quiet hours, sleep gaps, slouch nudges."""

from __future__ import annotations

import datetime as dt

from monitor.coach.coach import Coach
from monitor.coach.settings import CoachSettings
from monitor.events import Event, GapDetected, PostureChanged, SlouchStarted
from monitor.timebase import TimeBase

MIN = 60.0
UTC = dt.UTC
MONDAY_9 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=UTC).timestamp()


def sit(t: float) -> PostureChanged:
    return PostureChanged(t, "sitting", "standing")


def stand(t: float) -> PostureChanged:
    return PostureChanged(t, "standing", "sitting")


def run(coach: Coach, timeline: list[Event], until_s: float, step_s: float = 5.0,
        off: tuple[float, float] = (-1.0, -1.0)) -> list[Event]:
    """Feed events in time order with a tick every `step_s`, as the pipeline does per chunk of data;
    no calls while the sensor is `off` (no data arrives then)."""
    out: list[Event] = []
    pending = sorted(timeline, key=lambda e: e.t_s)
    t = 0.0
    while t <= until_s:
        if off[0] < t < off[1]:
            t += step_s
            continue
        due = [e for e in pending if e.t_s <= t]
        pending = pending[len(due):]
        out += coach.update(due, t)
        t += step_s
    return out


def kinds(events: list[Event]) -> list[str]:
    return [e.kind for e in events]


def test_prompts_at_the_limit_then_escalate_at_plus_5_and_plus_15() -> None:
    out = run(Coach(), [sit(0)], 60 * MIN)
    due = [(e.t_s, e.level) for e in out if e.kind == "break_due"]
    assert due[:3] == [(30 * MIN, 1), (35 * MIN, 2), (45 * MIN, 3)]
    assert due[3] == (60 * MIN, 4)  # then every 15 min


def test_a_natural_break_resets_the_bout_and_counts_as_natural() -> None:
    coach = Coach()
    out = run(coach, [sit(0), stand(20 * MIN), sit(23 * MIN)], 40 * MIN)
    taken = [e for e in out if e.kind == "break_taken"]
    assert len(taken) == 1 and taken[0].natural and taken[0].t_s == 22 * MIN
    assert "break_due" not in kinds(out)  # the new bout started at 23 min
    assert coach.bout_s() == 17 * MIN


def test_a_short_stand_pauses_the_bout_without_ending_it() -> None:
    out = run(Coach(), [sit(0), stand(20 * MIN), sit(20 * MIN + 90)], 32 * MIN)
    assert "break_taken" not in kinds(out) and "bout_ended" not in kinds(out)
    assert [e.t_s for e in out if e.kind == "break_due"] == [30 * MIN + 90]  # the 90 s up did not add


def test_a_prompted_break_is_not_natural() -> None:
    out = run(Coach(), [sit(0), stand(32 * MIN)], 40 * MIN)
    taken = next(e for e in out if e.kind == "break_taken")
    assert not taken.natural and taken.bout_s == 32 * MIN


def test_snooze_delays_the_prompt_and_is_limited_per_day() -> None:
    coach = Coach(CoachSettings(max_snoozes_per_day=2))
    run(coach, [sit(0)], 30 * MIN)
    assert kinds(coach.snooze(30 * MIN)) == ["break_snoozed"]
    out = []
    for t in range(int(30 * MIN) + 5, int(35 * MIN) + 1, 5):
        out += coach.update([], float(t))
    assert [(e.t_s, e.kind) for e in out] == [(35 * MIN, "break_due")]  # re-prompted when it ends
    assert kinds(coach.snooze(35 * MIN)) == ["break_snoozed"]
    assert kinds(coach.snooze(35 * MIN)) == ["request_refused"]  # already snoozed
    run_from(coach, 35 * MIN, 40 * MIN)
    assert coach.st.prompt_active and kinds(coach.snooze(40 * MIN)) == ["snooze_refused"]  # two a day


def test_skip_is_counted_and_the_next_prompt_is_the_next_escalation() -> None:
    coach = Coach()
    run(coach, [sit(0)], 30 * MIN)
    skipped = coach.skip(30 * MIN)
    assert kinds(skipped) == ["break_skipped"] and coach.st.skips_today == 1
    out = [e for t in range(int(30 * MIN), int(36 * MIN), 5) for e in coach.update([], float(t))]
    assert [(e.t_s, e.level) for e in out] == [(35 * MIN, 2)]
    assert kinds(coach.skip(36 * MIN + 1)) == ["break_skipped"]
    assert kinds(coach.skip(36 * MIN + 2)) == ["request_refused"]  # nothing left to skip


def test_do_not_disturb_holds_prompts_until_it_ends_then_prompts_once() -> None:
    coach = Coach()
    coach.do_not_disturb(0.0, 50 * MIN)
    out = run(coach, [sit(0)], 55 * MIN)
    assert [(e.t_s, e.level) for e in out if e.kind == "break_due"] == [(50 * MIN, 3)]


def test_quiet_outside_working_hours() -> None:
    evening = TimeBase(dt.datetime(2026, 11, 23, 17, 50, tzinfo=UTC).timestamp(), UTC)
    out = run(Coach(clock=evening), [sit(0)], 60 * MIN)
    assert "break_due" not in kinds(out)  # 18:00 came before the bout reached 30 min
    morning = TimeBase(MONDAY_9, UTC)
    assert "break_due" in kinds(run(Coach(clock=morning), [sit(0)], 31 * MIN))
    saturday = TimeBase(MONDAY_9 - 2 * 86400, UTC)
    assert "break_due" not in kinds(run(Coach(clock=saturday), [sit(0)], 31 * MIN))


def test_snoozes_per_day_reset_at_local_midnight_of_the_time_base() -> None:
    """Stream second 0 is 23:00 in UTC+1: the day turns at 3600 s (local midnight), not at UTC midnight."""
    cet = dt.timezone(dt.timedelta(hours=1))
    late = TimeBase(dt.datetime(2026, 11, 23, 23, 0, tzinfo=cet).timestamp(), cet)
    coach = Coach(CoachSettings(max_snoozes_per_day=1, quiet_outside_work=False), late)
    run(coach, [sit(0)], 30 * MIN)
    assert kinds(coach.snooze(30 * MIN)) == ["break_snoozed"]
    run_from(coach, 30 * MIN + 5, 59 * MIN + 55)
    assert kinds(coach.snooze(59 * MIN + 55)) == ["snooze_refused"]
    assert (coach.st.day, coach.st.snoozes_today) == ("2026-11-23", 1)
    run_from(coach, 60 * MIN, 60 * MIN)
    assert (coach.st.day, coach.st.snoozes_today) == ("2026-11-24", 0)
    assert kinds(coach.snooze(60 * MIN)) == ["break_snoozed"]


def run_from(coach: Coach, from_s: float, until_s: float) -> None:
    for t in range(int(from_s), int(until_s) + 1, 5):
        coach.update([], float(t))


def test_a_sensor_gap_is_neither_sitting_nor_a_break() -> None:
    """20 min sitting, sensor off 25 min (engine reports the gap when data resumes), sitting again."""
    coach = Coach()
    timeline = [sit(0), GapDetected(45 * MIN, 25 * MIN), PostureChanged(45 * MIN, "unknown", "sitting"),
                PostureChanged(45 * MIN + 2, "sitting", "unknown")]
    out = run(coach, timeline, 56 * MIN, off=(20 * MIN, 45 * MIN))
    assert "break_taken" not in kinds(out)
    assert [e.t_s for e in out if e.kind == "break_due"] == [55 * MIN + 2]  # 20 + 10 min of sitting


def test_a_gap_overnight_starts_a_new_bout_without_a_break() -> None:
    coach = Coach()
    timeline = [sit(0), GapDetected(10 * 3600, 10 * 3600 - 25 * MIN),
                PostureChanged(10 * 3600 + 2, "sitting", "unknown")]
    out = run(coach, timeline, 10 * 3600 + 10 * MIN, step_s=60, off=(25 * MIN, 10 * 3600))
    assert "break_taken" not in kinds(out) and "break_due" not in kinds(out)
    assert abs(coach.bout_s() - (10 * MIN - 2)) < 1


def test_slouch_nudges_are_rate_limited() -> None:
    coach = Coach(CoachSettings(slouch_nudge_every_s=900))
    timeline = [sit(0), *(SlouchStarted(t * MIN, -12.0) for t in (2, 5, 12, 18, 19))]
    out = run(coach, timeline, 20 * MIN)
    assert [e.t_s / MIN for e in out if e.kind == "slouch_nudge"] == [2, 18]


def test_a_guided_break_counts_time_out_of_the_chair_including_floor_stretches() -> None:
    from monitor.coach.stretches import load_catalogue

    coach = Coach()
    run(coach, [sit(0)], 31 * MIN)
    assert kinds(coach.start_break(31 * MIN, [load_catalogue().by_id["figure-4-glute"]])) == ["break_started"]
    timeline = [PostureChanged(31 * MIN + 10, "lying", "sitting")]
    out = []
    pending = list(timeline)
    for t in range(int(31 * MIN), int(34 * MIN), 5):
        due = [e for e in pending if e.t_s <= t]
        pending = [e for e in pending if e.t_s > t]
        out += coach.update(due, float(t))
    taken = [e for e in out if e.kind == "break_taken"]
    assert len(taken) == 1 and not taken[0].natural and taken[0].t_s == 31 * MIN + 130
    assert "break_due" not in kinds(out)


def test_the_hold_timer_runs_only_while_the_user_is_up() -> None:
    from monitor.coach.guide import GuidedBreak
    from monitor.coach.stretches import load_catalogue

    cat = load_catalogue()
    g = GuidedBreak([cat.by_id["standing-hamstring"]])  # 30 s x 2 reps x 2 sides
    assert len(g.steps) == 4 and g.step is not None and g.step.side == "left"
    g.update(0.0, "sitting")
    g.update(20.0, "sitting")  # still in the chair: no time held
    assert g.remaining_s == 30.0 and not g.up
    g.update(21.0, "standing")
    g.update(41.0, "standing")
    assert g.remaining_s == 10.0 and g.up
    g.update(45.0, "sitting")  # sat down at 45 s: up until then, then the timer stops
    assert g.remaining_s == 6.0 and not g.up
    g.update(60.0, "standing")
    assert g.remaining_s == 6.0
    g.update(75.0, "standing")  # 6 s finish step 1, 9 s into step 2
    assert (g.index, g.remaining_s) == (1, 21.0) and g.step is not None and g.step.side == "right"
    g.update(75.0 + 21 + 60, "standing")
    assert g.done and g.step is None and g.up_s == 24 + 21 + 60 + 15


def test_the_coach_gives_the_same_events_for_any_chunking() -> None:
    """Engine and coach over 40 simulated minutes with a 5 min limit: live-sized chunks (0.1 s) and a
    replay's big ones give the same coach events at the same times (decisions on a 1 s grid)."""
    from monitor.decode import Decoder
    from monitor.engine import PostureEngine
    from monitor.pipeline import Pipeline
    from monitor.sim import SimulatedWearer
    from monitor.sim.calibration import demo_calibration

    def run(chunk: int) -> list[tuple[str, float]]:
        rate = 20.0
        got: list[Event] = []

        class Keep:
            def handle(self, event: Event) -> None:
                got.append(event)

            def close(self, summary: dict[str, object]) -> None:
                pass
        p = Pipeline(Decoder(), PostureEngine(rate, demo_calibration(1, rate)), [Keep()], rate,
                     coach=Coach(CoachSettings(sitting_limit_s=300.0, break_s=60.0)))
        for c in SimulatedWearer(seed=1, rate_hz=rate).run(40 * MIN):
            for i in range(0, len(c.block), chunk):
                p.feed(c.block.slice(i, i + chunk))
        return [(e.kind, round(e.t_s, 3)) for e in got]

    small, big = run(4), run(50_000)
    assert small == big
    assert any(k == "break_due" for k, _ in small)


def lie(t: float) -> PostureChanged:
    return PostureChanged(t, "lying", "sitting")


def guided_stretches() -> list:  # type: ignore[type-arg]
    from monitor.coach.stretches import load_catalogue

    cat = load_catalogue()
    return [cat.by_id["standing-hamstring"], cat.by_id["standing-quadriceps"]]  # 8 steps of 30 s


def test_a_warning_comes_a_minute_before_the_first_prompt_only() -> None:
    out = run(Coach(), [sit(0)], 50 * MIN, step_s=1.0)
    soon = [(e.t_s, e.in_s) for e in out if e.kind == "break_soon"]
    assert soon == [(29 * MIN, 60.0)]
    assert kinds(run(Coach(CoachSettings(warn_before_s=0.0)), [sit(0)], 31 * MIN)).count("break_soon") == 0


def test_lying_pauses_the_bout_neither_adding_nor_ending_it() -> None:
    """20 min sitting, 11 min lying, sitting again: the prompt comes after 30 min of sitting."""
    coach = Coach()
    out = run(coach, [sit(0), lie(20 * MIN), sit(31 * MIN)], 42 * MIN)
    assert "break_taken" not in kinds(out) and "bout_ended" not in kinds(out)
    assert [e.t_s for e in out if e.kind == "break_due"] == [41 * MIN]
    assert [e.t_s for e in out if e.kind == "prolonged_sitting"] == [41 * MIN]
    assert coach.bout_s(42 * MIN) == 31 * MIN


def test_the_bout_ends_with_the_break_and_the_coach_and_engine_events_agree() -> None:
    out = run(Coach(), [sit(0), stand(40 * MIN)], 45 * MIN)
    ended = next(e for e in out if e.kind == "bout_ended")
    taken = next(e for e in out if e.kind == "break_taken")
    assert ended.t_s == taken.t_s == 42 * MIN and ended.duration_s == taken.bout_s == 40 * MIN


def test_after_an_abandoned_guided_break_the_prompt_comes_back_at_the_next_level() -> None:
    coach = Coach()
    run(coach, [sit(0)], 30 * MIN)
    coach.start_break(30 * MIN, guided_stretches())
    out = run_events(coach, [], 30 * MIN, 50 * MIN)  # never got up
    finished = [e for e in out if e.kind == "break_finished"]
    assert len(finished) == 1 and not finished[0].completed and finished[0].t_s == 40 * MIN + 1
    assert [(e.t_s, e.level) for e in out if e.kind == "break_due"] == [(40 * MIN + 1, 2), (45 * MIN, 3)]
    assert not coach.st.guided and coach.st.prompt_active


def test_a_guided_break_runs_to_its_last_step_after_counting_as_a_break() -> None:
    coach = Coach()
    run(coach, [sit(0)], 31 * MIN)
    coach.start_break(31 * MIN, guided_stretches())
    out = run_events(coach, [stand(31 * MIN + 10), sit(33 * MIN + 30), stand(34 * MIN)], 31 * MIN, 40 * MIN)
    assert [(e.kind, e.t_s) for e in out if e.kind in ("break_taken", "bout_ended", "break_finished")] == [
        ("bout_ended", 33 * MIN + 10), ("break_taken", 33 * MIN + 10), ("break_finished", 35 * MIN + 40),
        ("bout_ended", 36 * MIN), ("break_taken", 36 * MIN)]  # the 30 s sit began a bout of its own
    done = next(e for e in out if e.kind == "break_finished")
    assert done.completed and done.steps_done == done.steps == 8 and done.up_s == 240.0
    assert done.stretches == ("standing-hamstring", "standing-quadriceps") and coach.st.finished == done


def test_requests_that_cannot_be_done_say_why() -> None:
    coach = Coach()
    assert [e.reason for e in coach.snooze(0.0) + coach.skip(0.0)] == ["Nothing to snooze", "Nothing to skip"]
    coach.start_break(0.0, guided_stretches())
    assert [e.reason for e in coach.start_break(1.0) + coach.snooze(1.0)] == ["A break is already running"] * 2
    assert kinds(coach.skip(2.0)) == ["break_finished"] and not coach.st.guided  # k stops a running break


def test_do_not_disturb_during_a_prompt_brings_it_back_when_it_ends() -> None:
    coach = Coach()
    run(coach, [sit(0)], 30 * MIN)
    coach.do_not_disturb(30 * MIN, 31 * MIN)
    assert not coach.st.prompt_active
    out = run_events(coach, [], 30 * MIN, 33 * MIN)
    assert [(e.t_s, e.level) for e in out if e.kind == "break_due"] == [(31 * MIN, 1)]


def run_events(coach: Coach, timeline: list[Event], from_s: float, until_s: float) -> list[Event]:
    """Feed `timeline` with a call each second from `from_s` to `until_s`."""
    out: list[Event] = []
    pending = sorted(timeline, key=lambda e: e.t_s)
    for t in range(int(from_s) + 1, int(until_s) + 1):
        due = [e for e in pending if e.t_s <= t]
        pending = pending[len(due):]
        out += coach.update(due, float(t))
    return out
