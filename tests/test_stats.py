"""The statistics store: day totals from events, kept across a restart; the stats command."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from monitor.cli.main import main
from monitor.events import BoutEnded, PostureChanged, SlouchEnded, Transition
from monitor.events.coach import BreakSkipped, BreakTaken
from monitor.sinks.stats import StatsSink, StatsStore, earlier_today
from monitor.timebase import TimeBase

UTC = dt.UTC
CLOCK = TimeBase(dt.datetime(2026, 11, 23, 9, 0, tzinfo=UTC).timestamp(), UTC)


def day_of_events(sink: StatsSink) -> None:
    for ev in (PostureChanged(0.0, "standing", "unknown"), PostureChanged(60.0, "sitting", "standing"),
               SlouchEnded(900.0, -10.0, 300.0), BoutEnded(1900.0, 60.0, 1840.0),
               Transition(1890.0, "sit_to_stand", 1900.0), PostureChanged(1900.0, "walking", "sitting"),
               BreakTaken(2020.0, True, 120.0, 1840.0), BreakSkipped(2030.0, 0.0, 1)):
        sink.handle(ev)
    sink.tick(2100.0)
    sink.close({})


def test_totals_survive_a_restart(isolated_home: Path) -> None:
    store = StatsStore()
    day_of_events(StatsSink(store, CLOCK))
    store.close()
    again = StatsStore()  # a new process would open the same file
    d = again.day("2026-11-23")
    assert (d["standing_s"], d["sitting_s"], d["walking_s"]) == (60.0, 1840.0, 200.0)
    assert (d["slouch_s"], d["longest_bout_s"], d["breaks"], d["natural_breaks"]) == (300.0, 1840.0, 1, 1)
    assert (d["skipped"], d["sit_to_stand"]) == (1, 1)
    assert [e["type"] for e in again.recent_events(3)] == ["posture_changed", "break_taken",
                                                            "break_skipped"]
    day_of_events(StatsSink(again, CLOCK))  # a second session the same day adds up
    assert again.day("2026-11-23")["sitting_s"] == 2 * 1840.0


def test_stats_command_table_json_and_csv(isolated_home: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    store = StatsStore()
    day_of_events(StatsSink(store, CLOCK))
    store.close()
    out_csv = tmp_path / "days.csv"
    assert main(["stats", "--days", "3", "--json", "--export", str(out_csv)]) == 0
    days = json.loads(capsys.readouterr().out)
    assert days[0]["day"] == "2026-11-23" and days[0]["sitting_s"] == 1840.0
    rows = list(csv.DictReader(out_csv.open()))
    assert rows[0]["day"] == "2026-11-23" and float(rows[0]["breaks"]) == 1
    assert main(["stats"]) == 0
    table = capsys.readouterr().out
    assert "2026-11-23" in table and "0h31" in table and "16%" in table  # 300 of 1840 s slouched
    assert main(["stats", "--days", "0"]) == 2


def test_demo_with_stats_fills_the_demo_store_only(isolated_home: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Simulated hours never reach the real statistics: without --stats nowhere, with it the demo's
    store beside the real one, which `stats --demo` shows and `stats` does not."""
    assert main(["demo", "--for", "60", "--speed", "max", "--rate", "10", "--headless"]) == 0
    assert StatsStore(demo=True).days(7) == [] and StatsStore().days(7) == []
    assert main(["demo", "--for", "600", "--speed", "max", "--rate", "10", "--stats", "--headless"]) == 0
    assert StatsStore().days(7) == []
    demo = StatsStore(demo=True)
    assert demo.path.name == "stats-demo.sqlite" and demo.path.parent == StatsStore().path.parent
    days = demo.days(7)  # a demo started just before midnight lands on two days
    posture_s = sum(d[k] for d in days for k in ("sitting_s", "standing_s", "walking_s", "lying_s", "unknown_s"))
    assert 500 < posture_s <= 600
    capsys.readouterr()
    assert main(["stats", "--demo", "--json"]) == 0
    assert [x["day"] for x in json.loads(capsys.readouterr().out)] == [d["day"] for d in days]
    assert main(["stats"]) == 0
    assert "no statistics yet" in capsys.readouterr().out


def test_stats_json_has_whole_seconds_and_integer_counts(isolated_home: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    store = StatsStore()
    store.add("2026-11-23", sitting_s=6231.500000000001, breaks=1.0, slouch_s=12.25)
    store.commit()
    assert main(["stats", "--json"]) == 0
    day = json.loads(capsys.readouterr().out)[0]
    assert all(type(v) is int for k, v in day.items() if k != "day"), day
    assert (day["sitting_s"], day["breaks"], day["slouch_s"]) == (6232, 1, 12)


def test_stats_delete_removes_a_day_and_its_event_log(isolated_home: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    store = StatsStore()
    day_of_events(StatsSink(store, CLOCK))
    next_day = StatsSink(store, TimeBase(CLOCK.epoch_utc_s + 86400.0, UTC))
    next_day.handle(PostureChanged(0.0, "sitting", "standing"))
    next_day.tick(60.0)
    next_day.close({})
    assert main(["stats", "--delete", "2026-11-23"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("Deleted 2026-11-23") and "8 logged events" in out[0]
    assert [d["day"] for d in store.days(7)] == ["2026-11-24"]  # the other day stays
    assert [e["type"] for e in store.recent_events(10)] == ["posture_changed"]
    assert store.postures("2026-11-23") == []


@pytest.mark.parametrize("day, needle", [("2026-11-20", "--delete 2026-11-20: no statistics for 2026-11-20"),
                                         ("2026-13-40", "--delete 2026-13-40: not a date"),
                                         ("yesterday", "--delete yesterday: not a date")])
def test_stats_delete_of_a_day_without_data_or_a_bad_date_is_a_one_line_error(
        isolated_home: Path, capsys: pytest.CaptureFixture[str], day: str, needle: str) -> None:
    store = StatsStore()
    day_of_events(StatsSink(store, CLOCK))
    assert main(["stats", "--delete", day]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and needle in err[0], err
    assert store.days(7)[0]["day"] == "2026-11-23"  # nothing removed


def test_stats_delete_in_the_demo_store_leaves_the_real_one(isolated_home: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    for demo in (False, True):
        day_of_events(StatsSink(StatsStore(demo=demo), CLOCK))
    assert main(["stats", "--demo", "--delete", "2026-11-23"]) == 0
    assert "stats-demo.sqlite" in capsys.readouterr().out
    assert StatsStore(demo=True).days(7) == [] and len(StatsStore().days(7)) == 1


def test_the_dashboard_today_panel_includes_earlier_runs(isolated_home: Path) -> None:
    """A restart later the same day: the dashboard's Today adds the stored totals to this run's, and the
    timeline starts with the earlier run's posture changes, then an unknown span up to now."""
    from monitor.coach.coach import Coach
    from monitor.coach.settings import CoachSettings
    from monitor.decode import Decoder
    from monitor.pipeline import Pipeline
    from monitor.ui.board import Board
    from tests.test_dashboard import make_feeder

    earlier = TimeBase.now(t_s=2400.0)  # the first run ended 5 minutes ago
    if earlier.day(0.0) != earlier.day(2400.0):
        pytest.skip("the earlier run would cross midnight")
    store = StatsStore()
    day_of_events(StatsSink(store, earlier))
    stored = store.day(earlier.day(0.0))
    now = TimeBase.now()
    if now.day(0.0) != now.day(100.0):
        pytest.skip("this run would cross midnight")
    feeder = make_feeder(Pipeline(Decoder(), None, [], 50.0), Coach(CoachSettings(), now), Board(), store)
    feeder.totals.handle(PostureChanged(0.0, "sitting", "standing"))
    feeder.totals.handle(BoutEnded(100.0, 0.0, 100.0))
    feeder.totals.tick(100.0)
    today = feeder.view().today
    assert today["sitting_s"] == stored["sitting_s"] + 100.0 == 1940.0
    assert today["longest_bout_s"] == 1840.0 and today["breaks"] == 1
    postures = [p for _, p in feeder.timeline]
    assert postures == ["standing", "sitting", "walking", "unknown"]
    assert feeder.timeline[-1][0] == pytest.approx(0.0, abs=1.0)  # now, on this run's clock
    assert feeder.timeline[0][0] == pytest.approx(-2400.0, abs=1.0)


def test_a_night_across_midnight_writes_two_day_rows(isolated_home: Path) -> None:
    """Sitting 23:50-00:10 local: 10 min on each day, for one 20-minute chunk or many small ones."""
    tz = dt.timezone(dt.timedelta(hours=1))
    late = TimeBase(dt.datetime(2026, 11, 23, 23, 50, tzinfo=tz).timestamp(), tz)
    for n, ticks in enumerate(([1200.0], [300.0, 599.5, 600.0, 1200.0], [*map(float, range(0, 1200, 7)), 1200.0])):
        store = StatsStore(isolated_home / f"s{n}.sqlite")
        sink = StatsSink(store, late)
        sink.handle(PostureChanged(0.0, "sitting", "standing"))
        for t_s in ticks:
            sink.tick(t_s)
        sink.handle(BreakTaken(1200.0, False, 120.0, 1200.0))
        sink.close({})
        before, after = store.day("2026-11-23"), store.day("2026-11-24")
        assert before["sitting_s"] == pytest.approx(600.0) and after["sitting_s"] == pytest.approx(600.0)
        assert (before["breaks"], after["breaks"]) == (0, 1)
        assert [d["day"] for d in store.days(5)] == ["2026-11-24", "2026-11-23"]
        assert [e["type"] for e in store.recent_events(2)] == ["posture_changed", "break_taken"]


def test_earlier_today_is_the_store_row_of_that_day(isolated_home: Path) -> None:
    store = StatsStore()
    day_of_events(StatsSink(store, CLOCK))
    seed = earlier_today(store, CLOCK, t_s=3600.0)
    assert "day" not in seed and seed["sitting_s"] == 1840.0 and seed["breaks"] == 1.0
    assert earlier_today(store, CLOCK, t_s=86400.0)["sitting_s"] == 0.0  # the next day: nothing yet


@pytest.mark.parametrize("argv, demo", [
    (["demo", "--for", "1"], True), (["demo", "--ble", "--speed", "30", "--for", "1"], True),
    (["run", "--virtual", "witmotion-wt901ble", "--for", "1"], True),
    (["run", "--device", "AA:BB", "--for", "1"], False),
    (["run", "--device", "AA:BB", "--virtual", "witmotion-wt901ble", "--for", "1"], False),
    (["replay", "day.pmrec"], False),
])
def test_simulated_sensors_only_make_a_demo_run(argv: list[str], demo: bool, isolated_home: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo flag (the demo's MQTT device and statistics store) is set for the demo and for a run of
    virtual sensors only; a run with a real sensor, or a replay, is real data."""
    from monitor.run import RunSpec

    specs: list[RunSpec] = []
    monkeypatch.setattr("monitor.cli.streams.execute", lambda spec: specs.append(spec) or 0)
    monkeypatch.setattr("monitor.run.drive.execute", lambda spec: specs.append(spec) or 0)
    assert main([*argv, "--headless"] if argv[0] != "replay" else argv) == 0
    assert [s.demo for s in specs] == [demo]


def test_the_bout_and_the_slouch_under_way_at_the_end_of_a_run_count(isolated_home: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A run that ends while the wearer sits slouched (demo: sits at 0:31, slouches from 6:56 to the end)
    still gives the day its longest bout and its slouched time, as the run's own events say."""
    assert main(["demo", "--for", "600", "--speed", "max", "--headless", "--json", "--stats"]) == 0
    events = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    summary = events[-1]
    sat = next(e["t"] for e in events if e.get("type") == "stand_to_sit")
    slouched = next(e["t"] for e in events if e.get("type") == "slouch_started")
    assert not any(e.get("type") in ("bout_ended", "slouch_ended", "sit_to_stand") for e in events)
    assert main(["stats", "--demo", "--json"]) == 0
    (day,) = json.loads(capsys.readouterr().out)
    end_s = summary["duration_s"]
    assert abs(day["slouch_s"] - (end_s - slouched)) <= 1.0
    assert end_s - sat - 40 <= day["longest_bout_s"] <= end_s - sat
    assert day["longest_bout_s"] <= day["sitting_s"] + 1
