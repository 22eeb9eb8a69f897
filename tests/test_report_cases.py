"""What a new user found in `report`, as behaviour: every label name and event kind drawn alike by
nobody else, legends inside the figure, weeks with days without data, folders, time order, --force,
the day's last posture to the end of its data, tilt only with a reference, the coach's quiet time,
and the small things (slouched under a minute, --out suffix, PNG names, --json, the --demo hint)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pytest

from monitor.cli.main import main
from monitor.events.coach import all_event_types
from monitor.events.types import PostureChanged, SlouchStarted
from monitor.labels import NAMES
from monitor.report.daylog import day_timeline
from monitor.report.figures import timeline_figure
from monitor.report.series import label_runs
from monitor.report.style import look_of, marker_of
from monitor.report.timeline import Curve, Marker, Runs, Spans, Timeline
from monitor.report.week import week_figure, week_of
from monitor.sinks.stats import StatsStore
from tests.test_report import LIMIT, write_recording


def test_every_label_name_and_event_kind_looks_different() -> None:
    others: dict[str, str] = {}
    looks = [look_of(n, others) for n in [*NAMES.values(), "slouched"]]
    assert len(set(looks)) == len(looks)  # walking upstairs, not_sitting, slouching: each its own
    kinds: dict[str, tuple[str, str]] = {}
    drawn = [marker_of(k, kinds) for k in [*all_event_types(), "never_heard_of", "nor_this"]]
    assert len(set(drawn)) == len(drawn)


def every_name_timeline() -> Timeline:
    names = tuple(NAMES.values())
    n = len(names)
    runs = Runs(1.8e9 + np.arange(n) * 10.0, 1.8e9 + np.arange(1, n + 1) * 10.0,
                np.arange(n, dtype=np.int16), names)
    tl = Timeline("all", 1.8e9, 1.8e9 + n * 10, Runs.empty(("unknown",)), Spans.of([(1.8e9, 1.8e9 + 5)]),
                  labels=runs)
    tl.markers = [Marker(1.8e9 + i, k, k) for i, k in enumerate(all_event_types())]
    return tl


def test_legends_are_inside_the_figure() -> None:
    fig = timeline_figure(every_name_timeline())
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    legends = fig.legends + [a.get_legend() for a in fig.axes if a.get_legend() is not None]
    assert len(fig.legends) == 2
    texts = sum(len(leg.get_texts()) for leg in fig.legends)
    assert texts == len(NAMES) + 1 + len(all_event_types())  # every name and kind, once
    box = fig.bbox
    for leg in legends:
        ext = leg.get_window_extent(renderer)
        assert box.x0 <= ext.x0 and ext.x1 <= box.x1 and box.y0 <= ext.y0 and ext.y1 <= box.y1


def stats_store(tmp_path: Path, days: dict[str, dict[str, float]]) -> StatsStore:
    store = StatsStore(tmp_path / "stats.sqlite")
    for day, amounts in days.items():
        store.add(day, **amounts)
    store.commit()
    return store


def test_a_week_says_no_data_and_counts_from_zero(tmp_path: Path) -> None:
    store = stats_store(tmp_path, {"2026-11-25": {"sitting_s": 540.0, "standing_s": 60.0}})
    week = week_of(store, dt.date(2026, 11, 25), 1800.0, today=dt.date(2026, 11, 26))
    assert [d.totals is None for d in week.figures.days] == [True, True, False, True, True, True, True]
    fig = week_figure(week)
    posture_ax, _, breaks_ax = fig.axes
    assert breaks_ax.get_ylim()[0] == 0 and all(float(t).is_integer() for t in breaks_ax.get_yticks())
    assert posture_ax.get_ylabel() == "minutes" and posture_ax.get_ylim()[1] >= 10  # 10 minutes, not 0.17 h
    words = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert words == {"no data", "to come"}
    store.close()


def test_week_page_rows_say_no_data(tmp_path: Path, isolated_home: Path) -> None:
    from monitor import config
    from monitor.report.make import week_report

    store = stats_store(tmp_path, {"2026-11-25": {"sitting_s": 540.0}})
    page = week_report(store, dt.date(2026, 11, 25), config.load(None, {})).html
    assert re.search(r"2026-11-23</th><td class=\"num\">no data", page)
    assert "0 breaks" in page and page.count("no data<") == 6  # 2026 is past: no day still to come
    store.close()


def test_folders_are_their_recordings(tmp_path: Path, isolated_home: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "recs"
    folder.mkdir()
    write_recording(folder / "a.pmrec", 3)
    write_recording(folder / "b.pmrec", 3)
    out = tmp_path / "f.html"
    assert main(["report", str(folder), "--out", str(out), "--png"]) == 0
    assert out.read_text().count("<section") == 2
    assert (tmp_path / "f-a.png").exists() and (tmp_path / "f-b.png").exists()
    (tmp_path / "empty").mkdir()
    assert main(["report", str(tmp_path / "empty")]) == 2
    assert f"no recordings in {tmp_path / 'empty'}" in capsys.readouterr().err


def test_the_event_list_is_in_time_order_and_an_existing_page_needs_force(
        tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rec = write_recording(tmp_path / "r.pmrec", 20)
    out = tmp_path / "r.html"
    assert main(["report", str(rec), "--out", str(out), *LIMIT]) == 0
    times = re.findall(r"<tr><td>(\d\d:\d\d:\d\d)</td>", out.read_text())
    assert len(times) > 5 and times == sorted(times)
    capsys.readouterr()
    before = out.read_bytes()
    assert main(["report", str(rec), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already exists (use --force" in err and out.read_bytes() == before
    out.with_suffix(".png").write_bytes(b"x")
    out.unlink()
    assert main(["report", str(rec), "--out", str(out), "--png"]) == 2  # the PNG too
    assert main(["report", str(rec), "--out", str(out), "--png", "--force"]) == 0


class LogStore:
    """A statistics store's two reads, as a day of one run left them."""

    path = Path("stats.sqlite")

    def __init__(self, logged: list[tuple[float, dict[str, object]]], totals: dict[str, float]) -> None:
        self.logged, self.totals = logged, totals

    def day_events(self, day: str) -> list[tuple[float, dict[str, object]]]:
        return self.logged

    def day(self, day: str) -> dict[str, float]:
        return self.totals


def at(hour: float) -> float:
    return dt.datetime(2026, 11, 25, int(hour), round(hour % 1 * 60)).astimezone().timestamp()


def test_the_day_runs_to_the_end_of_its_data_and_events_in_time_order() -> None:
    t0 = at(9)
    logged = [(t0, PostureChanged(0.0, "standing", "unknown").to_dict()),
              (t0 + 600, PostureChanged(600.0, "sitting", "standing").to_dict()),
              (t0 + 900, SlouchStarted(898.0, -12.0).to_dict()),
              (t0 + 898, {"t": 898.0, "type": "stand_to_sit"})]
    store = LogStore(logged, {"standing_s": 600.0, "sitting_s": 3000.0})
    tl = day_timeline(store, "2026-11-25", 1800.0, 8.0)  # type: ignore[arg-type]
    assert tl.postures.end_s[-1] == pytest.approx(t0 + 3600) and tl.end_s == pytest.approx(t0 + 3600)
    assert tl.postures.seconds()["sitting"] == pytest.approx(3000.0)
    assert any("where the day's data end" in n for n in tl.notes)
    assert [m.t_s for m in tl.markers] == sorted(m.t_s for m in tl.markers)


def test_tilt_waits_for_a_reference(tmp_path: Path) -> None:
    from monitor import config
    from monitor.report.series import recording_timeline

    rec = write_recording(tmp_path / "u.pmrec", 12)  # no calibration in the header
    tl = recording_timeline(rec, config.load(None, {}))
    assert tl.tilt_back_deg is not None
    (found,) = [m.t_s for m in tl.markers if m.kind == "reference_found"][:1]
    t, v = tl.tilt_back_deg.t_s, tl.tilt_back_deg.value
    assert np.isnan(v[t < found]).all() and np.isfinite(v[t >= found]).any()
    assert any("Pelvic tilt from" in n for n in tl.notes)


def test_the_reference_and_threshold_are_drawn_only_while_sitting() -> None:
    t0 = 1.8e9
    postures = Runs(np.array([t0, t0 + 600]), np.array([t0 + 600, t0 + 1200]), np.array([0, 1], np.int16),
                    ("sitting", "standing"))
    tl = Timeline("s", t0, t0 + 1200, postures, Spans.of([]),
                  tilt_back_deg=Curve(np.array([t0, t0 + 1200]), np.array([20.0, 0.0])),
                  reference_back_deg=Curve(t0 + np.arange(0, 1230, 30.0), np.full(41, 15.0)))
    fig = timeline_figure(tl)
    for gid in ("reference", "threshold"):
        (line,) = [ln for ax in fig.axes for ln in ax.get_lines() if ln.get_gid() == gid]
        x, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
        middle = (x - x[0]) / (x[-1] - x[0])
        assert np.isfinite(y[middle < 0.49]).all() and np.isnan(y[middle > 0.51]).all()


def test_a_recording_outside_working_hours_says_the_coach_was_quiet(tmp_path: Path, isolated_home: Path) -> None:
    from monitor import config
    from monitor.report.series import recording_timeline
    from monitor.sessions import RecordingWriter
    from monitor.sessions.writer import base_header
    from monitor.sim import SimulatedWearer

    sunday = dt.datetime(2026, 11, 29, 22).astimezone().timestamp()
    header = base_header(sample_rate_hz=50.0, kind="samples", source={"format": "simulator"},
                         epoch_utc_s=sunday)
    with RecordingWriter(tmp_path / "night.pmrec", header) as w:
        for c in SimulatedWearer(seed=2, rate_hz=50.0).run(300):
            if len(c.block):
                w.write_samples(c.block, c.tilt_deg, c.slouch)
    tl = recording_timeline(tmp_path / "night.pmrec", config.load(None, {}))
    assert tl.quiet and {why for _, _, why in tl.quiet} == {"outside working hours"}
    assert any("kept quiet (outside working hours)" in n for n in tl.notes)


def test_small_things(tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from monitor.report.page import totals_rows

    rows = dict(totals_rows({"sitting_s": 40.0, "slouch_s": 0.8}))
    assert rows["slouched (share of sitting)"] == "0.8 s (2%)"
    rec = write_recording(tmp_path / "s.pmrec", 2)
    for argv, says in ((["--out", str(tmp_path / "r.pdf")], "name it .html or .htm"),
                       (["--json"], "--json is not supported")):
        assert main(["report", str(rec), *argv]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and says in err
    assert not (tmp_path / "r.pdf").exists()


def test_a_day_only_the_demo_has_hints_at_demo(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    demo = StatsStore(demo=True)
    demo.log("2026-11-25", at(10), PostureChanged(0.0, "sitting", "unknown"))
    demo.commit()
    demo.close()
    assert main(["report", "--day", "2026-11-25"]) == 2
    err = capsys.readouterr().err
    assert "no statistics for that day" in err and "add --demo" in err and err.count("\n") == 1


def test_labels_keep_their_names(tmp_path: Path) -> None:
    from monitor.labels import LabelSegments

    seg = LabelSegments(np.array([0.0]), np.array([1.0]), np.array([22], np.int16))
    runs = label_runs(seg, 0.0)
    assert runs is not None and runs.names == ("not_standing",)
