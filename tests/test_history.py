"""History: the week (Monday-Sunday) and the trend over weeks from the statistics store's days, and the
`stats --week` / `stats --trend` command. Days without data are shown as such and left out of averages."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from monitor import history
from monitor.cli.main import main
from monitor.events import BoutEnded, PostureChanged
from monitor.sinks.stats import StatsSink, StatsStore
from monitor.timebase import TimeBase

H = 3600.0
WED = dt.date(2026, 11, 25)  # the week of Monday 2026-11-23


def day_row(sitting_s: float, *, longest_s: float = 1800.0, breaks: int = 3, slouch_s: float = 0.0,
            standing_s: float = 1200.0) -> dict[str, float]:
    return {"sitting_s": sitting_s, "standing_s": standing_s, "walking_s": 600.0, "lying_s": 0.0,
            "longest_bout_s": longest_s, "breaks": float(breaks), "snoozed": 1.0, "skipped": 0.0,
            "slouch_s": slouch_s}


def fill(store: StatsStore, rows: dict[str, dict[str, float]]) -> None:
    """Rows written as the statistics sink writes them: sums added, the longest bout raised."""
    for day, row in rows.items():
        store.add(day, **{k: v for k, v in row.items() if k != "longest_bout_s"})
        store.raise_to(day, "longest_bout_s", row["longest_bout_s"])
    store.commit()


KNOWN = {"2026-11-23": day_row(4 * H, longest_s=2400.0, breaks=2, slouch_s=0.5 * H),  # Monday
         "2026-11-24": day_row(6 * H, longest_s=3000.0, breaks=4, slouch_s=1.0 * H),
         # Wednesday 25: no data
         "2026-11-26": day_row(5 * H, longest_s=1200.0, breaks=6, slouch_s=1.5 * H),
         "2026-11-22": day_row(9 * H), "2026-11-30": day_row(9 * H)}  # the Sunday before, the Monday after


def test_a_week_is_monday_to_sunday_and_days_without_data_are_not_zero(isolated_home: Path) -> None:
    store = StatsStore()
    fill(store, KNOWN)
    monday = history.monday_of(WED)
    rows = history.stored_rows(store, monday, monday + dt.timedelta(days=6))
    assert sorted(rows) == ["2026-11-23", "2026-11-24", "2026-11-26"]  # neither neighbouring week's day
    w = history.week(rows, WED, today=dt.date(2026, 11, 27))
    assert [d.day.isoformat() for d in w.days] == [f"2026-11-{n}" for n in range(23, 30)]
    assert [d.totals is not None for d in w.days] == [True, True, False, True, False, False, False]
    assert [d.to_come for d in w.days] == [False] * 5 + [True, True]  # Saturday and Sunday
    assert w.days_with_data == 3
    assert w.totals["sitting_s"] == 15 * H and w.totals["breaks"] == 12
    assert w.totals["longest_bout_s"] == 3000.0  # the longest, not a sum
    assert w.per_day is not None and w.per_day["sitting_s"] == 5 * H  # over 3 days with data, not 7
    assert w.per_day["breaks"] == 4.0
    assert w.slouch_share == pytest.approx(3.0 / 15.0)
    assert history.week({}, WED).per_day is None and history.week({}, WED).slouch_share is None


def test_sitting_across_midnight_lands_on_both_days_even_across_the_week_boundary(isolated_home: Path) -> None:
    """Sitting from 23:00 on Sunday 2026-11-29 to 01:00 on Monday: an hour in each week."""
    tz = dt.timezone(dt.timedelta(hours=1))
    clock = TimeBase(dt.datetime(2026, 11, 29, 23, 0, tzinfo=tz).timestamp(), tz)
    store = StatsStore()
    sink = StatsSink(store, clock)
    sink.handle(PostureChanged(0.0, "sitting", "standing"))
    sink.tick(2 * H)
    sink.handle(BoutEnded(2 * H, 0.0, 2 * H))
    sink.close({})
    rows = history.stored_rows(store, dt.date(2026, 11, 23), dt.date(2026, 12, 6))
    sunday = history.week(rows, dt.date(2026, 11, 29))
    monday = history.week(rows, dt.date(2026, 11, 30))
    assert sunday.days[6].get("sitting_s") == pytest.approx(H) and sunday.days_with_data == 1
    assert monday.days[0].get("sitting_s") == pytest.approx(H) and monday.days_with_data == 1
    assert monday.totals["longest_bout_s"] == 2 * H  # the bout counts on the day it ended


def weeks_of_rows(first_monday: dt.date, sitting_of_day: dict[int, float]) -> dict[str, dict[str, float]]:
    """Rows for days counted from `first_monday` (day number -> sitting seconds)."""
    return {(first_monday + dt.timedelta(days=n)).isoformat(): day_row(s) for n, s in sitting_of_day.items()}


def test_the_trend_has_each_week_with_its_change_and_weeks_without_data_as_such() -> None:
    start = dt.date(2026, 10, 5)  # a Monday; four weeks: data, data, none, data
    rows = weeks_of_rows(start, {0: 4 * H, 1: 6 * H, 7: 4 * H, 21: 3 * H, 22: 3 * H})
    rows[(start + dt.timedelta(days=7)).isoformat()]["longest_bout_s"] = 4000.0
    t = history.trend(rows, start + dt.timedelta(days=23), 4)
    assert [w.monday for w in t.weeks] == [start + dt.timedelta(weeks=i) for i in range(4)]
    assert [w.days_with_data for w in t.weeks] == [2, 1, 0, 2]
    first, second, empty, last = t.weeks
    assert first.figures["sitting_per_day_s"] == 5 * H and second.figures["sitting_per_day_s"] == 4 * H
    assert first.change["sitting_per_day_s"] is None  # no data the week before the first
    assert second.change["sitting_per_day_s"] == -1 * H
    assert second.change["longest_bout_s"] == 4000.0 - 1800.0
    assert second.figures["breaks_per_day"] == 3.0 and second.change["breaks_per_day"] == 0.0
    assert all(v is None for v in empty.figures.values()) and all(v is None for v in empty.change.values())
    assert last.figures["sitting_per_day_s"] == 3 * H and last.change["sitting_per_day_s"] is None
    assert t.weeks_with_data == 3 and t.direction is not None


def test_the_direction_is_the_least_squares_slope_of_daily_sitting() -> None:
    start = dt.date(2026, 10, 5)
    falling = weeks_of_rows(start, {n: 6 * H - 600.0 * n / 7.0 for n in range(42) if n % 7 < 5})
    d = history.trend(falling, start + dt.timedelta(weeks=5), 6).direction
    assert d is not None and d.slope_s_per_week == pytest.approx(-600.0)
    assert (d.weeks_with_data, d.days_with_data) == (6, 30)
    assert d.words.startswith("Sitting per day is falling, by about 10 min a week")
    rising = weeks_of_rows(start, {n: 4 * H + 900.0 * n / 7.0 for n in range(0, 42, 3)})
    d = history.trend(rising, start + dt.timedelta(weeks=5), 6).direction
    assert d is not None and d.words.startswith("Sitting per day is rising, by about 15 min a week")
    steady = weeks_of_rows(start, {n: 5 * H + (60.0 if n % 2 else -60.0) for n in range(21)})
    d = history.trend(steady, start + dt.timedelta(weeks=2), 3).direction
    assert d is not None and d.words.startswith("Sitting per day is about steady")
    two_weeks = weeks_of_rows(start, {0: 5 * H, 14: 3 * H})  # three weeks, one without data
    assert history.trend(two_weeks, start + dt.timedelta(weeks=2), 3).direction is None


def test_stats_week_prints_every_day_the_totals_and_fits_80_columns(
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = StatsStore()
    fill(store, KNOWN)
    store.close()
    assert main(["stats", "--week", "2026-11-25"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Week of Monday 2026-11-23 to Sunday 2026-11-29: 3 of 7 days with data"
    assert all(len(line) <= 80 for line in lines)
    by_label = {line[:7].strip(): line[7:].split() for line in lines if line[:3] in
                ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "tot", "per")}
    assert by_label["Mon 23"][0] == "4h00" and by_label["Mon 23"][-1] == "12%"  # 0.5 of 4 h slouched
    assert by_label["Tue 24"][0] == "6h00" and "█" * 6 in by_label["Tue 24"][1]  # one cell an hour
    assert by_label["Wed 25"] == ["no", "data"]
    assert by_label["total"][0] == "15h00" and by_label["total"][-1] == "20%"
    assert by_label["per day"][0] == "5h00" and "4.0" in by_label["per day"]  # breaks per day with data


def test_stats_week_json_and_today_by_default(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = StatsStore()
    fill(store, {**KNOWN, dt.date.today().isoformat(): day_row(2 * H)})
    store.close()
    assert main(["stats", "--week", "2026-11-23", "--json"]) == 0
    w = json.loads(capsys.readouterr().out)
    assert (w["first_day"], w["last_day"], w["days_with_data"]) == ("2026-11-23", "2026-11-29", 3)
    assert [d["data"] for d in w["days"]] == [True, True, False, True, False, False, False]
    assert w["days"][1]["sitting_s"] == 21600 and w["days"][1]["slouch_share"] == pytest.approx(1 / 6, abs=1e-3)
    assert "sitting_s" not in w["days"][2]
    assert w["totals"]["sitting_s"] == 54000 and w["totals"]["longest_bout_s"] == 3000
    assert w["per_day"]["sitting_s"] == 18000
    assert main(["stats", "--week", "--json"]) == 0  # the week of today
    w = json.loads(capsys.readouterr().out)
    today = next(d for d in w["days"] if d["day"] == dt.date.today().isoformat())
    assert today["sitting_s"] == 7200
    later = [d for d in w["days"] if d["day"] > dt.date.today().isoformat()]
    assert all(d["to_come"] and not d["data"] for d in later)


def test_stats_trend_text_and_json(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Four weeks ending with this one: the week before last without data."""
    monday = history.monday_of(dt.date.today())
    start = monday - dt.timedelta(weeks=3)
    store = StatsStore()
    fill(store, weeks_of_rows(start, {0: 6 * H, 1: 6 * H, 7: 5 * H, 21: 4 * H}))
    store.close()
    assert main(["stats", "--trend", "--weeks", "4", "--json"]) == 0
    t = json.loads(capsys.readouterr().out)
    assert [w["days_with_data"] for w in t["weeks"]] == [2, 1, 0, 1]
    assert [w["sitting_per_day_s"] for w in t["weeks"]] == [21600, 18000, None, 14400]
    assert t["weeks"][1]["change"]["sitting_per_day_s"] == -3600
    assert t["weeks"][3]["change"]["sitting_per_day_s"] is None  # against a week without data
    assert t["direction"]["weeks_with_data"] == 3 and t["direction"]["slope_s_per_week"] < 0
    assert main(["stats", "--trend", "--weeks", "4"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(len(line) <= 80 for line in lines)
    rows = {line[:10]: line[10:].split() for line in lines if line[:2] == "20"}
    assert rows[(start + dt.timedelta(weeks=1)).isoformat()][:3] == ["1", "5h00", "-1h00"]
    assert rows[(start + dt.timedelta(weeks=2)).isoformat()] == ["0", "no", "data"]
    assert any(line.startswith("Sitting per day is falling") for line in lines)
    assert main(["stats", "--trend"]) == 0  # 8 weeks by default
    assert "Trend over 8 weeks" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["--week", "2026-13-45"], "--week 2026-13-45: not a date (YYYY-MM-DD or today)"),
    (["--week", "last"], "--week last: not a date (YYYY-MM-DD or today)"),
    (["--trend", "--weeks", "0"], "--weeks 0: must be at least 1"),
    (["--weeks", "3"], "--weeks 3: goes with --trend"),
])
def test_bad_week_arguments_are_one_line_errors(argv: list[str], message: str, isolated_home: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", *argv]) == 2
    err = capsys.readouterr().err
    assert err == f"posture-monitor: error: {message}\n"
