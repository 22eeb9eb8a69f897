"""The three kinds of report, each one HTML page (and its figures, for --png): recordings replayed
through the engine and coach (one section each), a day and a week from the statistics store."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure

from monitor.config import Config
from monitor.errors import InputError
from monitor.report.daylog import day_timeline
from monitor.report.figures import png_of, svg_of, timeline_figure
from monitor.report.page import Section, render, timeline_section, totals_rows
from monitor.report.series import recording_timeline
from monitor.report.timeline import Timeline
from monitor.report.week import week_figure, week_of
from monitor.run.spec import ReplayCalibration
from monitor.sinks.stats import StatsStore


@dataclass
class Report:
    html: str
    figures: list[Figure]

    def write(self, out: Path, png: bool) -> list[Path]:
        """The page at `out`, and with `png` each figure beside it (`out`.png, or -1.png, -2.png...)."""
        written = [_write(out, self.html.encode())]
        if png:
            for i, fig in enumerate(self.figures):
                suffix = ".png" if len(self.figures) == 1 else f"-{i + 1}.png"
                written.append(_write(out.with_name(out.stem + suffix), png_of(fig)))
        return written


def _write(path: Path, data: bytes) -> Path:
    try:
        path.write_bytes(data)
    except OSError as e:
        raise InputError(f"--out {path}: {e.strerror}") from None
    return path


def of_timelines(title: str, timelines: list[Timeline], subtitle: str) -> Report:
    figures = [timeline_figure(tl) for tl in timelines]
    sections = [timeline_section(tl, svg_of(fig, f"s{i}")) for i, (tl, fig) in
                enumerate(zip(timelines, figures, strict=True))]
    return Report(render(title, sections, subtitle), figures)


def recordings_report(paths: list[Path], cfg: Config, calibration: ReplayCalibration | None = None,
                      profile_id: str | None = None) -> Report:
    """One section per recording, each replayed as `replay` would."""
    timelines = [recording_timeline(p, cfg, calibration, profile_id) for p in paths]
    names = ", ".join(p.name for p in paths)
    return of_timelines(f"Posture report: {names}", timelines,
                        "Replayed through the posture engine and the coach, as `posture-monitor replay` "
                        "does.")


def day_report(store: StatsStore, day: str, cfg: Config, demo: bool = False) -> Report:
    tl = day_timeline(store, day, cfg["engine.sitting_limit_min"] * 60.0, cfg["engine.slouch_threshold_deg"])
    whose = "the demo's statistics (simulated wearers), not yours" if demo else "your statistics"
    return of_timelines(f"Posture report: {day}", [tl], f"From {whose} in {store.path}.")


def week_report(store: StatsStore, day: dt.date, cfg: Config, demo: bool = False) -> Report:
    week = week_of(store, day, cfg["engine.sitting_limit_min"] * 60.0)
    fig = week_figure(week)
    rows = [(d["day"], _day_line(d)) for d in week.days]
    total = {k: sum(float(d[k]) for d in week.days) for k in week.days[0] if k != "day"}
    total["longest_bout_s"] = max(float(d["longest_bout_s"]) for d in week.days)
    sections = [Section(f"Week of {week.monday.isoformat()}", svg_of(fig, "w"), rows),
                Section("The week's totals", "", totals_rows(total))]
    whose = "the demo's statistics (simulated wearers), not yours" if demo else "your statistics"
    return Report(render(f"Posture report: week of {week.monday.isoformat()}", sections,
                         f"From {whose} in {store.path}."), [fig])


def _day_line(d: dict[str, float]) -> str:
    hours = ", ".join(f"{k} {d[f'{k}_s'] / 3600:.1f} h" for k in ("sitting", "standing", "walking", "lying"))
    return (f"{hours}; longest bout {d['longest_bout_s'] / 60:.0f} min; {round(d['breaks']):d} breaks, "
            f"{round(d['skipped']):d} skipped, {round(d['snoozed']):d} snoozed")
