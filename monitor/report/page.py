"""The report as one self-contained HTML file: inline CSS, each figure as inline SVG, the totals and
the event list as tables. No script, no font or image from anywhere else, so the file can be mailed,
archived or opened offline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html import escape

from monitor import __version__
from monitor.events.types import clock, duration
from monitor.report.timeline import Timeline

STYLE = """
body { font-family: "DejaVu Sans", Verdana, sans-serif; margin: 1.5em auto;
       padding: 0 1.5em; max-width: 1640px; color: #222; background: #fff; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
.meta { color: #666; font-size: 0.9em; }
figure { margin: 0.5em 0; } figure svg { width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 0.9em; margin: 0.6em 0; }
td, th { border-bottom: 1px solid #e4e4e4; padding: 0.2em 0.9em 0.2em 0; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: #555; font-size: 0.85em; }
details summary { cursor: pointer; color: #2f6db5; }
"""
TOTALS = (("sitting_s", "sitting"), ("standing_s", "standing"), ("walking_s", "walking"),
          ("lying_s", "lying"), ("unknown_s", "unknown"), ("longest_bout_s", "longest sitting bout"))
COUNTS = (("breaks", "breaks taken"), ("natural_breaks", "of them on your own"),
          ("skipped", "breaks skipped"), ("snoozed", "breaks snoozed"), ("sit_to_stand", "sit-to-stand"))


@dataclass
class Section:
    """One heading with its figure (inline SVG), a table of figures and an optional event list."""

    heading: str
    svg: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    events: list[tuple[str, str, str]] = field(default_factory=list)  # (time, type, text)


def totals_rows(totals: dict[str, float]) -> list[tuple[str, str]]:
    """The statistics columns in words: times as h:mm:ss, counts as integers, slouch as a share."""
    rows = [(label, clock(totals.get(key, 0.0))) for key, label in TOTALS]
    sitting = totals.get("sitting_s", 0.0)
    share = totals.get("slouch_s", 0.0) / sitting if sitting else 0.0
    slouch_s = totals.get("slouch_s", 0.0)
    shown = clock(slouch_s) if slouch_s >= 60 or slouch_s == 0 else duration(slouch_s)  # never 0:00:00 (2%)
    rows.append(("slouched (share of sitting)", f"{shown} ({share:.0%})"))
    rows += [(label, f"{round(totals.get(key, 0.0)):d}") for key, label in COUNTS]
    return rows


def timeline_section(tl: Timeline, svg: str) -> Section:
    """A timeline's section: its figure, its totals and every event with its local time."""
    def local(t_s: float) -> str:
        return dt.datetime.fromtimestamp(t_s).astimezone().strftime("%H:%M:%S")

    events = [(local(m.t_s), m.kind, m.text) for m in sorted(tl.markers, key=lambda m: m.t_s)]
    return Section(tl.title, svg, totals_rows(tl.totals), list(tl.notes), events)


def render(title: str, sections: list[Section], subtitle: str = "") -> str:
    """The whole page."""
    made = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    parts = [f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
             f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
             f"<h1>{escape(title)}</h1>\n<p class=\"meta\">{escape(subtitle)} Made {made} by posture-monitor "
             f"{escape(__version__)}.</p>\n"]
    parts += [_section(i, s) for i, s in enumerate(sections)]
    parts.append("</body>\n</html>\n")
    return "".join(parts)


def _section(index: int, s: Section) -> str:
    out = [f"<section id=\"section-{index + 1}\">\n<h2>{escape(s.heading)}</h2>\n"]
    if s.svg:
        out.append(f"<figure>{s.svg}</figure>\n")
    out += [f"<p class=\"note\">{escape(n)}</p>\n" for n in s.notes]
    if s.rows:
        cells = "".join(f"<tr><th>{escape(k)}</th><td class=\"num\">{escape(v)}</td></tr>" for k, v in s.rows)
        out.append(f"<table class=\"totals\">{cells}</table>\n")
    if s.events:
        rows = "".join(f"<tr><td>{escape(t)}</td><td>{escape(k)}</td><td>{escape(x)}</td></tr>"
                       for t, k, x in s.events)
        out.append(f"<details><summary>All {len(s.events)} events</summary>\n<table class=\"events\">"
                   f"<tr><th>time</th><th>type</th><th>what</th></tr>{rows}</table></details>\n")
    out.append("</section>\n")
    return "".join(out)
