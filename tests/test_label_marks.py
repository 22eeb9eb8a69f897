"""The wearer's own labels: the dashboard's label key during a recorded run writes the label into the
recording on the stream's clock; without a recording the key says so; the marks' end rules."""

from __future__ import annotations

import math
import threading
from pathlib import Path

import numpy as np

from monitor.cli.common import load_config
from monitor.evaluation.protocol import load_labelled
from monitor.events import PostureChanged
from monitor.events.coach import RequestRefused
from monitor.labels import CODES, LabelSegments
from monitor.run import BleSpec, RunSpec, SimulatorSpec
from monitor.run.build import Run, build
from monitor.run.drive import Workers
from monitor.sessions import open_recording
from monitor.sessions.marks import LabelMarks
from monitor.ui.app import DashboardApp, make_app
from monitor.ui.board import Board
from monitor.ui.screens.label_screen import LabelScreen
from tests.test_dashboard import SIZE, settle, wait_for


class Changes:
    """Collects the engine's posture changes (an extra sink of the run)."""

    def __init__(self) -> None:
        self.seen: list[PostureChanged] = []

    def handle(self, event: object) -> None:
        if isinstance(event, PostureChanged):
            self.seen.append(event)

    def close(self, summary: object) -> None:
        pass


def dashboard_of(run: Run) -> tuple[Board, Workers, DashboardApp, list[str]]:
    """The run's board, its stream workers (started), the app on it, and the notices the app gives."""
    assert run.board is not None
    stop = threading.Event()
    notes: list[str] = []
    workers = Workers(run.streams, stop)
    app = make_app(run.board, stop_event=stop)
    app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
    return run.board, workers, app, notes


async def test_the_label_key_marks_the_running_recording_on_the_stream_clock(
        isolated_home: Path, tmp_path: Path) -> None:
    """`run --virtual PROFILE --record FILE` under the dashboard: `l 4` marks lying, later `l 1`
    sitting; each starts at the stream time shown when `l` was pressed, the first ends just before
    the second, the second where the engine next left sitting or at the end of the stream, and both
    are in the recording when the run has closed."""
    path, changes = tmp_path / "live.pmrec", Changes()
    run = build(RunSpec(load_config(None), BleSpec(virtual=("witmotion-wt901ble",), speed=20.0), "dashboard",
                        stats=False, record=path, extra_sinks=(changes,)))
    board, workers, app, notes = dashboard_of(run)
    shown: list[tuple[float, float]] = []  # stream time before and after each `l`
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: board.read_view().t_s > 5.0, "five seconds of stream time")
        for key, name in (("4", "lying"), ("1", "sitting")):
            before = board.read_view().t_s
            await pilot.press("l")
            await wait_for(pilot, lambda: isinstance(app.screen, LabelScreen), "the label picker")
            shown.append((before, board.read_view().t_s))
            await pilot.press(key)
            await wait_for(pilot, lambda n=name: any(f"Label {n} from" in x for x in notes), f"the {name} notice")
            t0 = board.read_view().t_s
            await wait_for(pilot, lambda t=t0: board.read_view().t_s > t + 3.0, "three more seconds")
        await settle(pilot)
        await pilot.press("q")
    workers.join()
    run.close()
    labels = open_recording(path).labels()
    assert [int(c) for c in labels.code] == [CODES["lying"], CODES["sitting"]]
    for (lo, hi), start in zip(shown, labels.start_s.tolist(), strict=True):
        assert lo <= start <= hi
    assert labels.end_s[0] == math.nextafter(labels.start_s[1], -math.inf)
    left = [c.t_s for c in changes.seen if c.previous == "sitting" and c.t_s >= labels.start_s[1]]
    assert labels.end_s[1] == (left[0] if left else run.streams[0].pipeline.last_t_s)
    decoded = load_labelled(path, None).block.t_s  # evaluation decodes the frames as a replay does
    assert np.isin(labels.start_s, decoded).all()  # each mark starts on a sample of the stream


async def test_without_a_recording_the_label_key_says_so(isolated_home: Path) -> None:
    """The demo under the dashboard records nothing: picking a label gives a notice, not silence."""
    run = build(RunSpec(load_config(None), SimulatorSpec(speed=20.0), "dashboard", stats=False, demo=True))
    board, workers, app, notes = dashboard_of(run)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: board.read_view().t_s > 1.0, "the stream to run")
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LabelScreen), "the label picker")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, LabelScreen), "the picker to close")
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LabelScreen), "the label picker again")
        await pilot.press("t")
        await wait_for(pilot, lambda: any("Not recording" in n for n in notes), "the not-recording notice")
        await pilot.press("q")
    workers.join()
    run.close()
    assert sum("Not recording" in n for n in notes) == 1  # Esc sent nothing


def marks_on(spans: list[LabelSegments], notes: list[str], max_s: float = 600.0) -> LabelMarks:
    return LabelMarks(spans.append, notes.append, max_s)


def test_a_mark_ends_where_the_engine_leaves_its_posture() -> None:
    spans: list[LabelSegments] = []
    m = marks_on(spans, [])
    m.mark(("not_sitting", 10.0), 10.2)
    m.handle(PostureChanged(11.0, posture="sitting", previous="standing"))  # into sitting: not the end
    m.tick(30.0)
    m.handle(PostureChanged(31.5, posture="standing", previous="sitting"))
    assert [(float(s.start_s[0]), float(s.end_s[0]), int(s.code[0])) for s in spans] == [
        (10.0, 31.5, CODES["not_sitting"])]
    assert m.open is None


def test_slouching_lasts_while_sitting_and_a_new_mark_ends_the_last() -> None:
    spans: list[LabelSegments] = []
    m = marks_on(spans, [])
    m.mark(("slouching", 100.0), 100.1)
    m.handle(PostureChanged(101.0, posture="sitting", previous="standing"))  # into sitting: not the end
    m.mark(("sitting", 140.0), 140.3)
    m.tick(150.0)
    m.close({})
    assert [(float(s.start_s[0]), float(s.end_s[0]), int(s.code[0])) for s in spans] == [
        (100.0, math.nextafter(140.0, -math.inf), CODES["slouching"]), (140.0, 150.0, CODES["sitting"])]


def test_a_forgotten_mark_ends_after_max_s_and_a_stale_one_is_dropped() -> None:
    spans: list[LabelSegments] = []
    notes: list[str] = []
    m = marks_on(spans, notes, max_s=60.0)
    m.mark(("walking", 5.0), 5.0)
    m.tick(64.0)
    assert m.open is not None
    m.tick(65.5)
    assert [(float(s.start_s[0]), float(s.end_s[0])) for s in spans] == [(5.0, 65.0)]
    m.mark(("standing", 70.0), 71.0)
    m.handle(PostureChanged(69.0, posture="sitting", previous="standing"))  # the engine dates the change before the mark
    assert len(spans) == 1 and any("dropped" in n for n in notes)


def test_an_unknown_label_is_refused_not_raised() -> None:
    spans: list[LabelSegments] = []
    m = marks_on(spans, [])
    out = m.mark(("dancing", 1.0), 1.0)
    assert len(out) == 1 and isinstance(out[0], RequestRefused) and m.open is None
    assert spans == []


def test_that_was_wrong_labels_what_the_dashboard_showed() -> None:
    from monitor.ui.screens.label_screen import WRONG, label_name

    assert label_name(WRONG, "sitting") == "not_sitting" and label_name(WRONG, "walking") == "not_walking"
    assert label_name(WRONG, "unknown") is None  # nothing shown to be wrong about
    assert label_name("slouching", "standing") == "slouching"
