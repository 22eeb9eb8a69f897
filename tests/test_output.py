"""Output for people: event lines in words, the end-of-run summary as a short table, and JSON (the
summary, `config show`) in whole seconds and integer counts with the same keys as before."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest

from monitor.cli.main import main
from monitor.events import (
    BoutEnded,
    CalibrationDrift,
    Event,
    GapDetected,
    PostureChanged,
    ProlongedSitting,
    ReferenceFound,
    SlouchEnded,
    SlouchStarted,
    Transition,
)
from monitor.events.coach import (
    BreakDue,
    BreakFinished,
    BreakSkipped,
    BreakSnoozed,
    BreakSoon,
    BreakStarted,
    BreakTaken,
    CalibrationRequested,
    DoNotDisturb,
    RequestRefused,
    SlouchNudge,
    SnoozeRefused,
)
from monitor.events.types import duration, format_line
from monitor.sinks.console import ConsoleSink
from monitor.sinks.summary import summary_json, summary_lines

LINES: list[tuple[Event, str]] = [
    (Transition(31.63, "stand_to_sit", 33.08), "0:00:31  Sat down"),
    (Transition(95.0, "sit_to_stand", 96.0), "0:01:35  Stood up"),
    (PostureChanged(33.08, "sitting", "standing"), "0:00:33  Now sitting (was standing)"),
    (PostureChanged(1.28, "standing", "unknown"), "0:00:01  Now standing"),
    (PostureChanged(40.0, "unknown", "sitting"), "0:00:40  Posture unknown (was sitting)"),
    (SlouchStarted(416.1, -12.2), "0:06:56  Slouching, 12 deg back"),
    (SlouchEnded(600.0, -3.0, 95.2), "0:10:00  Sitting up again (slouched 1:35)"),
    (ProlongedSitting(3714.0, 1800.0, 1800.0), "1:01:54  Sitting for 30:00 (limit 30:00)"),
    (BoutEnded(4000.0, 100.0, 3900.0), "1:06:40  Sitting bout over after 1:05:00"),
    (GapDetected(50.0, 0.54), "0:00:50  No data for 0.5 s"),
    (CalibrationDrift(60.0, 14.2, 3.0, 1.0), "0:01:00  The clip seems to have moved (14 deg from the "
                                             "calibration): recalibrate"),
    (ReferenceFound(70.0, "walking"), "0:01:10  Upright reference found (from walking)"),
    (BreakDue(1800.0, 1, 1800.0), "0:30:00  Break due (sitting 30:00)"),
    (BreakDue(2100.0, 2, 2100.0), "0:35:00  Break due, reminder 2 (sitting 35:00)"),
    (BreakStarted(1900.0, ("standing-hip-flexor", "standing-figure-4")),
     "0:31:40  Guided break: standing hip flexor, standing figure 4"),
    (BreakTaken(2000.0, False, 125.0, 1890.0), "0:33:20  Break taken (up 2:05 after sitting 31:30)"),
    (BreakTaken(2000.0, True, 120.0, 1500.0), "0:33:20  Took a break on your own (up 2:00 after sitting 25:00)"),
    (BreakSnoozed(3420.0, 3720.0, 1), "0:57:00  Break snoozed for 5:00 (1 today)"),
    (SnoozeRefused(3420.0, 3), "0:57:00  No snooze left today (limit 3): the prompt stays"),
    (BreakSkipped(1830.0, 1830.0, 1), "0:30:30  Break skipped after sitting 30:30 (1 today)"),
    (SlouchNudge(426.0, -12.97), "0:07:06  Nudge: sit up, 13 deg back"),
    (DoNotDisturb(5.0, 3605.0), "0:00:05  Do not disturb for 1:00:00"),
    (DoNotDisturb(5.0, 0.0), "0:00:05  Do not disturb off"),
    (CalibrationRequested(5.0, "mqtt"), "0:00:05  Calibration requested (from mqtt)"),
    (BreakSoon(1740.0, 60.0), "0:29:00  Break soon: in 1:00"),
    (BreakFinished(2000.0, True, ("standing-hip-flexor", "standing-knee-hug"), 4, 4, 130.0),
     "0:33:20  Guided break done: standing hip flexor, standing knee hug (up 2:10)"),
    (BreakFinished(2000.0, False, ("standing-hip-flexor",), 1, 4, 70.0),
     "0:33:20  Guided break stopped after 1 of 4 steps (up 1:10)"),
    (RequestRefused(2000.0, "snooze", "no prompt to snooze"), "0:33:20  Snooze: no prompt to snooze"),
]


@pytest.mark.parametrize("event, line", LINES, ids=[f"{e.kind}-{i}" for i, (e, _) in enumerate(LINES)])
def test_event_lines_read_as_a_person_reads_them(event: Event, line: str) -> None:
    assert format_line(event) == line
    assert "=" not in line and "(" + "'" not in line  # no key=value, no Python tuples


def test_the_json_lines_keep_their_figures() -> None:
    assert Transition(31.63, "stand_to_sit", 33.08).to_dict() == {"t": 31.63, "type": "stand_to_sit",
                                                                 "emitted_s": 33.08}
    assert BreakStarted(1.0, ("a", "b")).to_dict() == {"t": 1.0, "type": "break_started", "stretches": ("a", "b")}


@dataclass(frozen=True)
class NewKind(Event):
    """An event type added later, without a wording of its own yet."""

    stretches: tuple[str, ...] = ()
    up_s: float = 0.0
    type: ClassVar[str] = "break_done"


def test_an_event_without_its_own_wording_still_reads_as_words() -> None:
    assert format_line(NewKind(61.0, ("knee_hug",), 130.5)) == \
        "0:01:01  Break done: stretches knee hug, up s 130.5"


@pytest.mark.parametrize("t_s, text", [(0.54, "0.5 s"), (9.96, "10.0 s"), (12.4, "12 s"), (59.6, "1:00"),
                                       (187.0, "3:07"), (3723.0, "1:02:03")])
def test_durations_as_people_write_them(t_s: float, text: str) -> None:
    assert duration(t_s) == text


SUMMARY: dict[str, Any] = {
    "samples": 29973, "duration_s": 599.98, "gaps": 4, "missing_s": 0.54,
    "events": {"posture_changed": 2, "slouch_nudge": 1, "slouch_started": 1, "stand_to_sit": 1},
    "frames": {"frames_ok": 29973, "dropped_length": 1}, "calibrated": True,
    "time_s": {"lying": 0.0, "sitting": 566.9, "standing": 31.8, "unknown": 1.3, "walking": 0.0},
    "link": {"address": "C0:98:E5:00:02:01", "connects": 1, "drops": 0, "stalls": 2, "frames": 29973,
             "battery_pct": 87, "model": "WT901BLE", "reconnect_s_max": 1.25, "rate_hz_measured": 49.98,
             "rate_drift_pct": -0.04},
}


def test_the_summary_is_a_short_table() -> None:
    lines = summary_lines(SUMMARY)
    assert lines[0] == "summary           0:10:00 streamed, 29973 samples, calibrated"
    rows = {line[:17].strip(): line[18:] for line in lines if line[:17].strip()}
    assert (rows["sitting"], rows["standing"], rows["walking"], rows["lying"], rows["unknown"]) == \
        ("0:09:27", "0:00:32", "0:00:00", "0:00:00", "0:00:01")
    first, end = (next(i for i, x in enumerate(lines) if x.startswith(label)) for label in ("events", "gaps"))
    events = [x[18:].rsplit(maxsplit=1) for x in lines[first:end]]  # one row per kind, its count last
    assert [(name, int(n)) for name, n in events] == [
        ("posture changed", 2), ("sat down", 1), ("slouch nudge", 1), ("slouch started", 1)]
    assert rows["gaps"] == "4, 0.5 s missing"
    assert rows["frames"] == "29973 frames ok, 1 dropped length"
    assert rows["link"] == "C0:98:E5:00:02:01, 1 connects, 0 drops, 2 stalls, longest reconnect 1.2 s"
    assert rows["sensor"] == "29973 frames, battery 87%, 49.98 Hz measured (-0.04%), model WT901BLE"
    assert len(lines) <= 16 and all(len(x) <= 120 for x in lines)
    assert not any("{" in x or "=" in x for x in lines)


def test_a_run_without_a_link_or_gaps_says_so_briefly() -> None:
    lines = summary_lines({"samples": 10, "duration_s": 0.2, "gaps": 0, "missing_s": 0.0, "events": {}})
    assert lines == ["summary           0:00:00 streamed, 10 samples", "events            none",
                     "gaps              none"]


def test_summary_json_keeps_its_keys_in_whole_seconds_and_integer_counts() -> None:
    out = summary_json(SUMMARY)
    assert list(out) == ["type", *SUMMARY]
    assert (out["duration_s"], out["missing_s"], out["gaps"]) == (600, 1, 4)
    assert out["time_s"] == {"lying": 0, "sitting": 567, "standing": 32, "unknown": 1, "walking": 0}
    assert out["link"]["reconnect_s_max"] == 1 and out["link"]["rate_hz_measured"] == 49.98
    text = json.dumps(out)
    assert ".0," not in text and ".0}" not in text and "566.9" not in text


def test_the_console_sink_prints_the_table_or_one_json_line() -> None:
    people, machines = io.StringIO(), io.StringIO()
    ConsoleSink(False, people, sensor="left").close(SUMMARY)
    ConsoleSink(True, machines).close(SUMMARY)
    assert people.getvalue().splitlines() == [f"[left] {x}" for x in summary_lines(SUMMARY)]
    assert [json.loads(x) for x in machines.getvalue().splitlines()] == [summary_json(SUMMARY)]


def test_a_headless_demo_prints_words_and_the_table(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--for", "300", "--speed", "max", "--rate", "10", "--headless"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "0:00:" in out[0] and "Sat down" in "\n".join(out)
    assert not any("emitted_s" in x or "summary:" in x or "{" in x for x in out)
    start = next(i for i, x in enumerate(out) if x.startswith("summary "))
    assert out[start].startswith("summary           0:05:00 streamed")
    assert out[start + 1].startswith("sitting           0:0")


def test_config_show_has_whole_numbers(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "show", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["settings"]
    assert rows["coach.max_snoozes_per_day"]["value"] == 3 and type(rows["coach.max_snoozes_per_day"]["value"]) is int
    assert type(rows["mqtt.outbox_max"]["value"]) is int and rows["mqtt.tilt_min_change_deg"]["value"] == 0.5
    assert main(["config", "show"]) == 0
    text = capsys.readouterr().out
    assert "engine.sitting_limit_min    = 30 " in text and "30.0" not in text and "mqtt.tilt_rate_hz" in text
