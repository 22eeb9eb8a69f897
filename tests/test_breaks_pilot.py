"""Breaks end to end in the dashboard: every state (no prompt, prompt, snoozed, guided break, break
done, do not disturb) through every break key, with the real coach, feeder and app. The wearer's
postures are scripted (an engine stand-in that emits posture changes at given sample times), and
time advances in samples, so nothing here depends on the machine's speed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import numpy as np
import pytest

from monitor.coach.coach import Coach
from monitor.coach.settings import CoachSettings
from monitor.decode import Decoder
from monitor.events import Event, PostureChanged
from monitor.pipeline import Pipeline
from monitor.run.frontend import make_dashboard
from monitor.samples import SampleBlock
from monitor.timebase import TimeBase
from monitor.ui.app import DashboardApp, make_app
from monitor.ui.board import Board
from monitor.ui.feeder import Feeder
from monitor.ui.screens.break_screen import BreakScreen
from tests.test_dashboard import SIZE, redrawn, wait_for

LIMIT_S = 120.0  # the first prompt after 2 min of sitting


@dataclass
class Script:
    """Stands in for the engine: the posture changes it is told of, each at its sample time."""

    pending: list[Event] = field(default_factory=list)
    posture: str = "unknown"

    def say(self, t_s: float, posture: str) -> None:
        self.pending.append(PostureChanged(t_s, posture, self.posture))
        self.posture = posture

    def update(self, block: SampleBlock) -> list[Event]:
        due = [e for e in self.pending if e.t_s <= float(block.t_s[-1])]
        self.pending = self.pending[len(due):]
        return due

    def summary(self) -> dict[str, object]:
        return {}


# a fixed Monday morning: the day (snoozes per day) never rolls over mid-test, whenever it runs
MORNING = TimeBase(dt.datetime(2026, 11, 23, 10, 0).astimezone().timestamp())


class Rig:
    """The dashboard's stream side with a scripted wearer, fed one sample a second."""

    def __init__(self) -> None:
        self.script = Script()
        self.coach = Coach(CoachSettings(sitting_limit_s=LIMIT_S, quiet_outside_work=False), MORNING)
        self.board = Board()
        pipeline = Pipeline(Decoder(), self.script, [], 1.0)  # type: ignore[arg-type]
        self.feeder: Feeder = make_dashboard(self.board, pipeline.decoder, None, self.coach, 1.0,
                                             MORNING)
        self.feeder.pipeline.engine = self.script  # type: ignore[assignment]
        self.feeder.every_s = 0.0
        self.t_s = 0.0

    def feed_until(self, t_s: float) -> None:
        for t in np.arange(self.t_s + 1.0, t_s + 0.5, 1.0):
            self.feeder.feed(SampleBlock(np.array([t]), np.zeros((1, 3)), None, 1.0))
        self.t_s = max(self.t_s, t_s)

    def feed_while(self, cond: Callable[[], bool], limit_s: float = 3600.0) -> None:
        """Feed a second at a time while `cond()` holds (bounded in sample time)."""
        end_s = self.t_s + limit_s
        while cond() and self.t_s < end_s:
            self.feed_until(self.t_s + 1.0)
        assert not cond(), "not reached in sample time"


@asynccontextmanager
async def dashboard(rig: Rig):  # type: ignore[no-untyped-def]
    app = make_app(rig.board, done_close_s=1e6)  # the summary stays until a key closes it
    notes: list[str] = []
    app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await redrawn(pilot, app)
        yield app, pilot, notes


async def press(rig: Rig, app: DashboardApp, pilot, key: str) -> None:  # type: ignore[no-untyped-def]
    """A key, its requests applied on the stream side, and the result drawn."""
    await pilot.press(key)
    await pilot.pause()
    rig.feeder.apply_actions()
    rig.feed_until(rig.t_s + 1.0)
    await redrawn(pilot, app)


def state(rig: Rig, app: DashboardApp) -> str:
    st = rig.coach.st
    if st.guide is not None:
        return "guided"
    if isinstance(app.screen, BreakScreen) and app.screen.finished is not None:
        return "done"
    if st.prompt_s is not None:
        return "prompt"
    if st.snoozed_until_s > rig.t_s:
        return "snoozed"
    if rig.coach.quiet_reason(rig.t_s) == "do not disturb":
        return "dnd"
    return "none"


async def reach(rig: Rig, app: DashboardApp, pilot, wanted: str) -> None:  # type: ignore[no-untyped-def]
    """Sit down, then get the dashboard into state `wanted` the way a person would."""
    rig.script.say(1.0, "sitting")
    rig.feed_until(30.0)
    if wanted in ("prompt", "snoozed", "dnd"):
        rig.feed_while(lambda: rig.coach.st.prompt_s is None)
        await redrawn(pilot, app)
        assert isinstance(app.screen, BreakScreen), "a prompt opens the break screen"
    if wanted == "snoozed":
        await press(rig, app, pilot, "s")
    if wanted == "dnd":
        await press(rig, app, pilot, "d")
    if wanted in ("guided", "done"):
        await press(rig, app, pilot, "b")
    if wanted == "done":
        rig.script.say(rig.t_s + 1.0, "standing")
        rig.feed_while(lambda: rig.coach.st.guide is not None)
        await redrawn(pilot, app)
    assert state(rig, app) == wanted


# (state, key) -> (state after, break screen open after, a notice that must be shown or None)
BREAK_OPEN = {"prompt", "guided", "done"}
EXPECTED: dict[tuple[str, str], tuple[str, bool, str | None]] = {
    ("none", "b"): ("guided", True, None), ("none", "s"): ("none", False, "Nothing to snooze"),
    ("none", "k"): ("none", False, "Nothing to skip"),
    ("prompt", "b"): ("guided", True, None), ("prompt", "enter"): ("guided", True, None),
    ("prompt", "s"): ("snoozed", False, "Snoozed: the prompt comes back in 5 min"),
    ("prompt", "2"): ("snoozed", False, "Snoozed: the prompt comes back in 10 min"),
    ("prompt", "k"): ("none", False, "Break skipped"), ("prompt", "escape"): ("prompt", False, None),
    ("snoozed", "b"): ("guided", True, None), ("snoozed", "s"): ("snoozed", False, "Already snoozed"),
    ("snoozed", "k"): ("none", False, "Break skipped"),
    ("guided", "b"): ("guided", True, "A break is already running"),
    ("guided", "enter"): ("guided", True, "A break is already running"),
    ("guided", "s"): ("guided", True, "A break is already running"),
    ("guided", "2"): ("guided", True, "A break is already running"),
    ("guided", "k"): ("done", True, "Break ended"), ("guided", "escape"): ("guided", False, None),
    ("done", "b"): ("guided", True, None), ("done", "enter"): ("guided", True, None),
    ("done", "s"): ("done", True, "Nothing to snooze"), ("done", "k"): ("done", True, "Nothing to skip"),
    ("done", "escape"): ("none", False, None),
    ("dnd", "b"): ("guided", True, None), ("dnd", "s"): ("dnd", False, "Nothing to snooze"),
    ("dnd", "k"): ("dnd", False, "Break skipped"),
}
for _state in ("none", "snoozed", "dnd"):  # the main screen has no enter, escape or 1-3 keys
    for _key in ("enter", "escape", "2"):
        EXPECTED[(_state, _key)] = (_state, False, None)


@pytest.mark.parametrize("start, key", sorted(EXPECTED))
async def test_every_break_key_in_every_state(start: str, key: str) -> None:
    after, open_after, notice = EXPECTED[(start, key)]
    rig = Rig()
    async with dashboard(rig) as (app, pilot, notes):
        await reach(rig, app, pilot, start)
        assert isinstance(app.screen, BreakScreen) == (start in BREAK_OPEN)
        notes.clear()
        await press(rig, app, pilot, key)
        assert (state(rig, app), isinstance(app.screen, BreakScreen)) == (after, open_after), notes
        if notice is not None:
            assert any(n.startswith(notice) for n in notes), notes


def footer_keys(app: DashboardApp) -> set[str]:
    """The actions the screen's footer offers now."""
    return {b.binding.action for b in app.screen.active_bindings.values() if b.binding.show and b.enabled}


async def test_the_footer_offers_what_each_state_can_do() -> None:
    rig = Rig()
    async with dashboard(rig) as (app, pilot, _):
        await reach(rig, app, pilot, "prompt")
        assert {"start", "snooze(0)", "skip", "close"} <= footer_keys(app)
        await press(rig, app, pilot, "enter")
        offered = footer_keys(app)
        assert "stop" in offered and not {"start", "snooze(0)", "skip"} & offered  # no "Start" while running


async def test_after_an_unfinished_guided_break_the_next_prompt_opens_the_screen_again() -> None:
    """Enter, then Esc, then never getting up: the coach drops the break after `abandon_break_s`
    without progress, and the next prompt level opens the break screen again."""
    rig = Rig()
    async with dashboard(rig) as (app, pilot, notes):
        await reach(rig, app, pilot, "prompt")
        await press(rig, app, pilot, "enter")
        await press(rig, app, pilot, "escape")
        assert not isinstance(app.screen, BreakScreen) and rig.coach.st.guided
        level = rig.coach.st.level
        rig.feed_while(lambda: rig.coach.st.prompt_s is None)
        await redrawn(pilot, app)
        assert isinstance(app.screen, BreakScreen) and rig.coach.st.level > level
        assert any(n.startswith("Break ended") for n in notes), notes


async def test_a_snoozed_prompt_comes_back_and_opens_the_screen() -> None:
    rig = Rig()
    async with dashboard(rig) as (app, pilot, _):
        await reach(rig, app, pilot, "snoozed")
        until_s = rig.coach.st.snoozed_until_s
        rig.feed_while(lambda: rig.coach.st.prompt_s is None)
        await redrawn(pilot, app)
        assert isinstance(app.screen, BreakScreen) and rig.coach.st.prompt_s == until_s


async def test_a_guided_break_runs_to_its_last_step_then_shows_what_was_done() -> None:
    rig = Rig()
    async with dashboard(rig) as (app, pilot, _):
        await reach(rig, app, pilot, "guided")
        rig.script.say(rig.t_s + 1.0, "standing")
        rig.feed_while(lambda: "break_taken" not in [e.kind for e in rig.board.recent()])
        await redrawn(pilot, app)
        assert isinstance(app.screen, BreakScreen) and rig.coach.st.guided, "the break goes on"
        rig.feed_while(lambda: rig.coach.st.guide is not None)
        await redrawn(pilot, app)
        assert isinstance(app.screen, BreakScreen) and app.screen.finished is not None
        text = str(app.screen.query_one("#prompt").render()) + str(app.screen.query_one("#plan").render())
        assert "Break done" in text and "steps held" in text


async def test_the_summary_closes_by_itself() -> None:
    rig = Rig()
    app = make_app(rig.board, done_close_s=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await redrawn(pilot, app)
        await reach(rig, app, pilot, "guided")
        rig.script.say(rig.t_s + 1.0, "standing")
        rig.feed_while(lambda: rig.coach.st.guide is not None)
        await wait_for(pilot, lambda: not isinstance(app.screen, BreakScreen), "the summary to close")
