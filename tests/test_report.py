"""`posture-monitor report`: the page of a recording (sections, lanes, one marker per event of the
replay), of a day and a week from the statistics store, downsampling bounds, the size limit, errors."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from monitor.cli.main import main
from monitor.labels import LabelSegments
from monitor.report import downsample as ds
from monitor.report.daylog import posture_runs
from monitor.report.figures import COLUMNS, svg_of, timeline_figure
from monitor.report.make import of_timelines
from monitor.report.timeline import Curve, Marker, Runs, Spans, Timeline
from monitor.sessions import RecordingWriter
from monitor.sessions.writer import base_header
from monitor.sim import SimulatedWearer

SVG = "{http://www.w3.org/2000/svg}"
LIMIT = ["--sitting-limit-min", "10"]  # prompts within a short recording


def write_recording(path: Path, minutes: float, labels: bool = True, rate_hz: float = 50.0) -> Path:
    """A simulated wearer from a Monday 09:00 local (working hours, so the coach prompts)."""
    today = dt.date.today()
    monday = dt.datetime.combine(today - dt.timedelta(days=today.weekday()), dt.time(9)).astimezone()
    wearer = SimulatedWearer(seed=2, rate_hz=rate_hz)
    header = base_header(sample_rate_hz=rate_hz, kind="samples", source={"format": "simulator"},
                         epoch_utc_s=monday.timestamp())
    with RecordingWriter(path, header, overwrite=True) as w:
        for c in wearer.run(minutes * 60):
            if len(c.block):
                w.write_samples(c.block, c.tilt_deg, c.slouch)
                if labels:
                    w.write_labels(LabelSegments.from_per_sample(c.block.t_s, c.code))
    return path


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_recording(tmp_path_factory.mktemp("rec") / "day.pmrec", 40)


def svgs(page: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg.*?</svg>", page, re.S)]


def ids(root: ET.Element) -> set[str]:
    return {e.get("id", "") for e in root.iter()}


def markers(root: ET.Element) -> Counter[str]:
    """Markers drawn per event type: the <use> elements inside each event-<type> group."""
    return Counter({e.get("id", "")[6:]: sum(1 for u in e.iter(f"{SVG}use")) for e in root.iter(f"{SVG}g")
                    if e.get("id", "").startswith("event-")})


def test_recording_page_has_its_lanes_and_one_marker_per_replayed_event(
        recording: Path, tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.html"
    assert main(["report", str(recording), "--out", str(out), "--png", *LIMIT]) == 0
    assert "r.html" in capsys.readouterr().out
    assert main(["replay", str(recording), "--json", *LIMIT]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    replayed = Counter(x["type"] for x in lines if x["type"] != "summary")
    page = out.read_text()
    assert page.count("<section") == 1 and "<h2>day.pmrec</h2>" in page
    (root,) = svgs(page)
    assert markers(root) == replayed
    assert {"break_due", "stand_to_sit", "slouch_started"} <= set(replayed)  # the coach and the engine
    assert f"All {sum(replayed.values())} events" in page
    found = ids(root)
    assert {"lane-postures-sitting", "lane-labels-sitting", "lane-slouched-slouched", "tilt", "bout"} <= found
    assert (tmp_path / "r.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_recording_without_labels_has_no_labels_lane_and_two_recordings_two_sections(
        recording: Path, tmp_path: Path, isolated_home: Path) -> None:
    bare = write_recording(tmp_path / "bare.pmrec", 8, labels=False)
    out = tmp_path / "two.html"
    assert main(["report", str(bare), str(recording), "--out", str(out), "--png"]) == 0
    page = out.read_text()
    first, second = svgs(page)
    assert page.count("<section") == 2
    assert not any(i.startswith("lane-labels-") for i in ids(first))
    assert any(i.startswith("lane-labels-") for i in ids(second))
    assert (tmp_path / "two-bare.png").exists() and (tmp_path / "two-day.png").exists()  # named after them


def test_the_page_is_one_file(recording: Path, tmp_path: Path, isolated_home: Path) -> None:
    out = tmp_path / "r.html"
    assert main(["report", str(recording), "--out", str(out)]) == 0
    page = out.read_text()
    refs = re.findall(r"href=\"([^\"]*)\"", page) + re.findall(r"url\(([^)]*)\)", page)
    assert refs and all(r.startswith("#") for r in refs)  # only to elements of the page itself
    assert not re.search(r"<script|<link|<img|<iframe|src=|@import", page)


def synthetic(hours: float, rate_hz: float, events: int = 0, seed: int = 0) -> Timeline:
    """A worst case for drawing: a posture change every second, noisy tilt, many events."""
    rng = np.random.default_rng(seed)
    t = 1.8e9 + np.arange(0, hours * 3600, 1 / rate_hz)
    per_s = rng.integers(0, 5, int(hours * 3600) + 1)
    codes = per_s[(t - t[0]).astype(int)]
    tilt = Curve(t, rng.normal(15, 10, len(t)))
    slouch = Spans(t[:: int(rate_hz * 20)], t[:: int(rate_hz * 20)] + 5)
    tl = Timeline("synthetic", float(t[0]), float(t[-1]), Runs.from_per_sample(t, codes, ("unknown", "sitting",
                  "standing", "lying", "walking")), slouch, labels=Runs.from_per_sample(t, codes[::-1].copy(),
                  ("a", "b", "c", "d", "e")), tilt_back_deg=tilt, reference_back_deg=Curve(t[::3000], tilt.value[::3000]),
                  bout_s=Curve(t[::3000], (t[::3000] - t[0]) % 1800))
    kinds = ("stand_to_sit", "sit_to_stand", "slouch_started", "break_due", "posture_changed")
    tl.markers = [Marker(float(x), kinds[i % 5], "x") for i, x in enumerate(rng.uniform(t[0], t[-1], events))]
    return tl


def tilt_points(root: ET.Element) -> int:
    (group,) = [e for e in root.iter(f"{SVG}g") if e.get("id") == "tilt"]
    return sum(len(re.findall(r"[ML] ", p.get("d", ""))) for p in group.iter(f"{SVG}path"))


def lane_rects(root: ET.Element) -> int:
    return sum(len(re.findall(r"M ", p.get("d", ""))) for g in root.iter(f"{SVG}g")
               if g.get("id", "").startswith("lane-") for p in g.iter(f"{SVG}path"))


def test_what_is_drawn_does_not_grow_with_the_recording() -> None:
    short, long = synthetic(0.5, 50.0), synthetic(4.0, 50.0)
    roots = [ET.fromstring(svg_of(timeline_figure(tl), "x")) for tl in (short, long)]
    tilt = [tilt_points(r) for r in roots]
    rects = [lane_rects(r) for r in roots]
    assert all(p <= 2 * COLUMNS + 10 for p in tilt) and abs(tilt[0] - tilt[1]) <= 10
    assert all(n <= 3 * COLUMNS for n in rects)  # at most one run per pixel column and lane
    assert len(long.postures) > 5 * COLUMNS  # many more runs than columns were there to draw


def test_envelope_keeps_each_spike_and_dominant_keeps_the_longest_name() -> None:
    t = np.arange(0, 3600, 0.01)
    v = np.zeros(len(t))
    v[123_457] = 40.0  # one sample out of 360,000
    v[200_000:210_000] = np.nan  # 100 s with no data
    edges = ds.column_edges(0, 3600, 600)
    _, lo, hi = ds.envelope(Curve(t, v), edges)
    assert len(hi) == 600 and np.nanmax(hi) == 40.0 and np.nanmin(lo) == 0.0
    assert np.isnan(hi[int(2050 / 6)])  # the gap stays a gap
    runs = Runs(np.array([0.0, 4.0, 5.0]), np.array([4.0, 5.0, 12.0]), np.array([0, 1, 0], np.int16), ("a", "b"))
    drawn = ds.dominant(runs, np.array([0.0, 6.0, 12.0]))
    assert drawn.names[drawn.code[0]] == "a" and len(drawn) == 1  # 5 s of a, 1 s of b in the first column


def test_an_8h_100hz_worst_case_page_is_under_5_mb() -> None:
    tl = synthetic(8.0, 100.0, events=3000)
    page = of_timelines("big", [tl], "").html
    assert len(page.encode()) < 5_000_000
    (root,) = svgs(page)
    assert sum(markers(root).values()) == 3000


def test_labels_are_drawn_by_name_whatever_their_codes() -> None:
    from monitor.labels import CODES
    from monitor.report.series import label_runs

    codes = [CODES["sitting"], CODES.get("slouching", 20), CODES.get("not_sitting", 21), 99]
    labels = LabelSegments(np.array([0.0, 10.0, 20.0, 30.0]), np.array([9.9, 19.9, 29.9, 39.9]),
                           np.array(codes, np.int16))
    runs = label_runs(labels, 1.8e9)
    assert runs is not None and set(runs.names) == {"sitting", "slouching", "not_sitting", "99"}
    tl = Timeline("labels", 1.8e9, 1.8e9 + 40, Runs.empty(), Spans.of([]), labels=runs)
    drawn = ids(ET.fromstring(svg_of(timeline_figure(tl), "l")))
    assert {f"lane-labels-{n}" for n in runs.names} <= drawn


def test_posture_runs_from_the_log_leave_a_stopped_stream_unknown() -> None:
    body = [(100.0, {"type": "posture_changed", "posture": "sitting", "previous": "unknown"}),
            (700.0, {"type": "slouch_started"}),
            (5000.0, {"type": "posture_changed", "posture": "standing", "previous": "unknown"}),
            (5600.0, {"type": "break_taken"})]
    runs = posture_runs(body)
    named = [(s, e, runs.names[c]) for s, e, c in zip(runs.start_s, runs.end_s, runs.code, strict=True)]
    assert named == [(100.0, 700.0, "sitting"), (700.0, 5000.0, "unknown"), (5000.0, 5600.0, "standing")]


@pytest.fixture()
def demo_store(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """The demo's statistics store after a 40 min demo with --stats; its day."""
    assert main(["demo", "--for", "2400", "--speed", "max", "--headless", "--stats", *LIMIT]) == 0
    capsys.readouterr()
    from monitor.sinks.stats import StatsStore

    store = StatsStore(demo=True)
    (day,) = [d["day"] for d in store.days(3)][:1]
    store.close()
    return day


def test_day_and_week_pages_from_the_demo_store(demo_store: str, tmp_path: Path) -> None:
    from monitor.sinks.stats import StatsStore

    store = StatsStore(demo=True)
    logged = Counter(str(b["type"]) for _, b in store.day_events(demo_store))
    store.close()
    out = tmp_path / "day.html"
    assert main(["report", "--day", demo_store, "--demo", "--out", str(out), *LIMIT]) == 0
    page = out.read_text()
    (root,) = svgs(page)
    assert markers(root) == logged and "break_due" in logged
    assert {"lane-postures-sitting", "bout"} <= ids(root) and "tilt" not in ids(root)
    assert "demo" in page and demo_store in page
    week = tmp_path / "week.html"
    assert main(["report", "--week", demo_store, "--demo", "--out", str(week), "--png"]) == 0
    (wroot,) = svgs(week.read_text())
    bars = Counter(g.get("id", "").rsplit("-", 3)[0] for g in wroot.iter(f"{SVG}g")
                   if g.get("id", "").startswith("week-"))
    assert bars["week-sitting"] == 7 and bars["week-longest-bout"] == 7  # Monday to Sunday
    assert f'id="week-sitting-{demo_store}"' in week.read_text()
    assert (tmp_path / "week.png").exists()


@pytest.mark.parametrize("argv, says", [
    (["report", "no-such.pmrec"], "no-such.pmrec: no such recording"),
    (["report", "--day", "2026-13-01"], "--day 2026-13-01: not a date"),
    (["report", "--week", "monday"], "--week monday: not a date"),
    (["report", "--day", "2001-01-01"], "--day 2001-01-01: no statistics for that day"),
    (["report", "--week", "2001-01-01"], "no statistics for 2001-01-01 to 2001-01-07"),
    (["report"], "give recordings, or --day DATE, or --week"),
    (["report", "x.pmrec", "--day", "today"], "(one of them)"),
    (["report", "{hapt}/subject01_exp1.csv.gz"], "make one first: posture-monitor import"),
])
def test_bad_input_is_one_line_and_exit_2(argv: list[str], says: str, isolated_home: Path, hapt_dir: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main([a.format(hapt=hapt_dir) for a in argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("posture-monitor: error: ") and says in err


def test_a_file_that_is_not_a_recording(tmp_path: Path, isolated_home: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "notes.pmrec"
    bogus.write_text("shopping list\n")
    assert main(["report", str(bogus)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(bogus) in err


def test_without_matplotlib_the_error_names_the_extra(recording: Path, isolated_home: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    assert main(["report", str(recording)]) == 2
    assert "pip install 'posture-monitor[report]'" in capsys.readouterr().err


def test_the_cli_starts_without_matplotlib() -> None:
    import subprocess

    code = "import sys; from monitor.cli.main import build_parser; build_parser(); print('matplotlib' in sys.modules)"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "False"
