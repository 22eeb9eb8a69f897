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
from monitor.report.week import day_line, week_figure, week_of
from monitor.run.spec import ReplayCalibration
from monitor.sinks.stats import StatsStore, default_path


def png_paths(out: Path, names: list[str]) -> list[Path]:
    """Where --png writes each figure: `out`.png for one, `out`-NAME.png each for several (NAME the
    recording's, numbered only where two names are alike)."""
    if len(names) == 1:
        return [out.with_suffix(".png")]
    seen: dict[str, int] = {}
    paths = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        tag = name if seen[name] == 1 else f"{name}-{seen[name]}"
        paths.append(out.with_name(f"{out.stem}-{tag}.png"))
    return paths


@dataclass
class Report:
    html: str
    figures: list[Figure]
    names: list[str]  # one per figure: what its PNG is named after

    def write(self, out: Path, png: bool) -> list[Path]:
        """The page at `out`, and with `png` each figure beside it (png_paths)."""
        written = [_write(out, self.html.encode())]
        if png:
            for path, fig in zip(png_paths(out, self.names), self.figures, strict=True):
                written.append(_write(path, png_of(fig)))
        return written


def _write(path: Path, data: bytes) -> Path:
    try:
        path.write_bytes(data)
    except OSError as e:
        raise InputError(f"--out {path}: {e.strerror}") from None
    return path


def of_timelines(title: str, timelines: list[Timeline], subtitle: str,
                 names: list[str] | None = None) -> Report:
    figures = [timeline_figure(tl) for tl in timelines]
    sections = [timeline_section(tl, svg_of(fig, f"s{i}")) for i, (tl, fig) in
                enumerate(zip(timelines, figures, strict=True))]
    return Report(render(title, sections, subtitle), figures, names or [tl.title for tl in timelines])


def recordings_report(paths: list[Path], cfg: Config, calibration: ReplayCalibration | None = None,
                      profile_id: str | None = None) -> Report:
    """One section per recording, each replayed as `replay` would."""
    timelines = [recording_timeline(p, cfg, calibration, profile_id) for p in paths]
    names = ", ".join(p.name for p in paths)
    return of_timelines(f"Posture report: {names}", timelines,
                        "Replayed through the posture engine and the coach, as `posture-monitor replay` "
                        f"does.{working_hours(cfg)}", [p.stem for p in paths])


def working_hours(cfg: Config) -> str:
    """The coach's working hours in words, for the page's header."""
    start, end = (f"{int(h):02d}:{round(h % 1 * 60):02d}" for h in
                  (cfg["coach.work_start_h"], cfg["coach.work_end_h"]))
    return (f" The coach prompts only in working hours ({start}-{end}, Monday to Friday) and not while do "
            "not disturb is on.")


def day_report(store: StatsStore, day: str, cfg: Config, demo: bool = False) -> Report:
    try:
        tl = day_timeline(store, day, cfg["engine.sitting_limit_min"] * 60.0,
                          cfg["engine.slouch_threshold_deg"])
    except InputError as e:
        raise InputError(f"{e}{'' if demo else _demo_hint(day)}") from None
    whose = "the demo's statistics (simulated wearers), not yours" if demo else "your statistics"
    return of_timelines(f"Posture report: {day}", [tl], f"From {whose} in {store.path}.", [day])


def _demo_hint(day: str) -> str:
    """`; the demo's store has it: add --demo` when the demo's statistics hold that day."""
    if not default_path(demo=True).exists():
        return ""
    demo = StatsStore(demo=True)
    try:
        return "; the demo's statistics have that day: add --demo" if demo.day_events(day) else ""
    finally:
        demo.close()


def week_report(store: StatsStore, day: dt.date, cfg: Config, demo: bool = False) -> Report:
    week = week_of(store, day, cfg["engine.sitting_limit_min"] * 60.0)
    fig = week_figure(week)
    rows = [(d.day.isoformat(), day_line(d)) for d in week.figures.days]
    sections = [Section(f"Week of {week.monday.isoformat()}", svg_of(fig, "w"), rows),
                Section(f"The week's totals ({week.figures.days_with_data} of 7 days with data)", "",
                        totals_rows(week.figures.totals))]
    whose = "the demo's statistics (simulated wearers), not yours" if demo else "your statistics"
    return Report(render(f"Posture report: week of {week.monday.isoformat()}", sections,
                         f"From {whose} in {store.path}."), [fig], [f"week-{week.monday.isoformat()}"])

