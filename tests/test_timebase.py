"""The stream's time base: local days, midnights (also across DST), UTC timestamps, recording headers."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from monitor.coach.settings import CoachSettings
from monitor.timebase import TimeBase

CET = dt.timezone(dt.timedelta(hours=1))
BERLIN = ZoneInfo("Europe/Berlin")


def at(y: int, mo: int, d: int, h: int, mi: int, tz: dt.tzinfo = CET) -> TimeBase:
    """A time base whose stream second 0 is that local time in `tz`."""
    return TimeBase(dt.datetime(y, mo, d, h, mi, tzinfo=tz).timestamp(), tz)


@pytest.fixture
def berlin_machine(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's own zone is Europe/Berlin (tz None), whatever the test host's zone is."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_days_and_the_next_midnight_follow_the_local_zone() -> None:
    tb = at(2026, 11, 23, 23, 50)
    assert tb.day(0.0) == "2026-11-23" and tb.day(599.9) == "2026-11-23" and tb.day(600.0) == "2026-11-24"
    assert tb.next_midnight_t_s(0.0) == pytest.approx(600.0)
    assert tb.next_midnight_t_s(600.0) == pytest.approx(600.0 + 86400.0)  # midnight itself: the next one
    assert tb.local(600.0).hour == 0 and tb.local(600.0).utcoffset() == dt.timedelta(hours=1)


def test_utc_iso_has_milliseconds_and_z_and_t_s_of_inverts_local() -> None:
    tb = at(2026, 11, 23, 9, 0)
    assert tb.utc_iso(1.5) == "2026-11-23T08:00:01.500Z"
    assert tb.t_s_of(dt.datetime(2026, 11, 23, 14, 0, tzinfo=CET)) == pytest.approx(5 * 3600.0)
    assert tb.t_s_of(tb.local(1234.5)) == pytest.approx(1234.5)


def test_a_spring_forward_day_has_23_hours() -> None:
    tb = at(2026, 3, 29, 0, 0, tz=BERLIN)
    assert tb.next_midnight_t_s(0.0) == pytest.approx(23 * 3600.0)
    assert tb.local(12 * 3600.0).utcoffset() == dt.timedelta(hours=2)


def test_the_machine_zone_uses_the_offset_of_each_instant_not_of_now(berlin_machine: None) -> None:
    summer = TimeBase(dt.datetime(2026, 7, 1, 10, 0, tzinfo=dt.UTC).timestamp())
    winter = TimeBase(dt.datetime(2026, 1, 1, 10, 0, tzinfo=dt.UTC).timestamp())
    assert summer.local(0.0).hour == 12 and winter.local(0.0).hour == 11
    autumn = TimeBase(dt.datetime(2026, 10, 25, 0, 0, tzinfo=BERLIN).timestamp())
    assert autumn.next_midnight_t_s(0.0) == pytest.approx(25 * 3600.0)  # the fall-back day


def test_working_hours_on_working_days() -> None:
    s = CoachSettings()
    monday = at(2026, 11, 23, 9, 0)
    assert monday.working(0.0, s) and not monday.working(9.5 * 3600, s)  # 18:30
    assert not at(2026, 11, 21, 10, 0).working(0.0, s)  # a Saturday


@pytest.mark.parametrize("when, working", [
    ((2026, 11, 23, 18, 59), False),  # Monday, before the shift
    ((2026, 11, 23, 19, 0), True),  # Monday's shift starts
    ((2026, 11, 24, 7, 59), True),  # ...and runs into Tuesday morning
    ((2026, 11, 24, 8, 0), False),  # over
    ((2026, 11, 28, 3, 0), True),  # Saturday 03:00: Friday's shift
    ((2026, 11, 28, 19, 30), False),  # Saturday evening: no shift starts
    ((2026, 11, 23, 3, 0), False),  # Monday 03:00: Sunday had no shift
])
def test_working_hours_that_end_before_they_start_run_overnight(when: tuple[int, int, int, int, int],
                                                                 working: bool) -> None:
    night = CoachSettings(work_start_h=19.0, work_end_h=8.0)
    assert at(*when).working(0.0, night) is working


@pytest.mark.parametrize("header, expected", [
    ({"epoch_utc_s": 1_800_000_000.25, "start_time": "2020-01-01T00:00:00Z"}, 1_800_000_000.25),
    ({"start_time": "2026-11-23T08:00:00Z"}, dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC).timestamp()),
    ({"start_time": "2026-11-23T08:00:00.250Z"}, dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC).timestamp() + 0.25),
])
def test_a_recording_header_gives_the_epoch(header: dict[str, object], expected: float) -> None:
    assert TimeBase.from_header(header).epoch_utc_s == pytest.approx(expected)


def test_a_header_without_a_usable_time_means_now() -> None:
    before = time.time()
    tb = TimeBase.from_header({"start_time": "yesterday", "epoch_utc_s": "x"})
    assert before <= tb.epoch_utc_s <= time.time()
    assert TimeBase.now(t_s=100.0).epoch_utc_s <= time.time() - 100.0
