"""A report section as one matplotlib figure (no pyplot: no global state, no GUI): lanes of postures,
labels and slouching, pelvic tilt with the upright-sitting reference and the slouch threshold above
it, the sitting bout against the limit, and one marker per event, all on one local wall-clock axis.
What is drawn is bounded by the plot's pixel columns (downsample.py), not by the recording's length."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import numpy as np
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from numpy.typing import NDArray

from monitor.report import downsample as ds
from monitor.report import legends
from monitor.report.legends import BelowLegend
from monitor.report.style import OTHER_ROW, ROWS, colour_of, look_of, marker_of, row_of
from monitor.report.timeline import F64, Curve, Runs, Spans, Timeline

WIDTH_IN, DPI = 16.0, 100
LEFT_IN, RIGHT_IN = 1.45, 2.55  # lane names on the left, the tilt's and the bout's legends on the right
AXIS_IN, TOP_IN = 0.5, 0.55  # the time axis' labels below the plot, the title above it
COLUMNS = int((WIDTH_IN - LEFT_IN - RIGHT_IN) * DPI)  # one pixel column each at DPI


@dataclass(frozen=True)
class Axis:
    """Unix seconds to matplotlib's date numbers of local wall time (the offset at the start)."""

    offset_s: float

    @staticmethod
    def local_at(unix_s: float) -> Axis:
        off = dt.datetime.fromtimestamp(unix_s).astimezone().utcoffset()
        return Axis(off.total_seconds() if off is not None else 0.0)

    def x(self, unix_s: F64 | float) -> F64:
        return (np.asarray(unix_s, np.float64) + self.offset_s) / 86400.0 + mdates.date2num(
            dt.datetime(1970, 1, 1))


def timeline_figure(tl: Timeline) -> Figure:
    """The whole section, panels stacked on one shared time axis."""
    lanes = [("postures", tl.postures)] + ([("labels", tl.labels)] if tl.labels is not None else [])
    rows = _event_rows(tl)
    tilt = [2.1] if tl.tilt_back_deg is not None else []
    heights = [0.42 * (len(lanes) + 1), *tilt, 1.5, 0.34 * len(rows) + 0.3]
    below_in = legends.height_in(len({m.kind for m in tl.markers}), _name_count(lanes, tl))
    total_in = sum(heights) + TOP_IN + AXIS_IN + 0.15 + below_in
    fig = Figure(figsize=(WIDTH_IN, total_in), dpi=DPI)
    grid = fig.add_gridspec(len(heights), 1, height_ratios=heights, left=LEFT_IN / WIDTH_IN,
                            right=1 - RIGHT_IN / WIDTH_IN, top=1 - TOP_IN / total_in,
                            bottom=(AXIS_IN + below_in) / total_in, hspace=0.18)
    axes = [fig.add_subplot(grid[0])]
    axes += [fig.add_subplot(grid[i], sharex=axes[0]) for i in range(1, len(heights))]
    axis, edges = Axis.local_at(tl.start_s), ds.column_edges(tl.start_s, tl.end_s, COLUMNS)
    names, kinds = BelowLegend("postures and labels"), BelowLegend("events")
    _lanes(axes[0], lanes, tl, axis, edges, names)
    panels = iter(axes[1:])
    if tl.tilt_back_deg is not None:
        _tilt(next(panels), tl, axis, edges)
    _bout(next(panels), tl, axis, edges)
    _events(next(panels), tl, rows, axis, kinds)
    _time_axis(axes, axis, tl)
    legends.draw_below(fig, [names, kinds], below_in, LEFT_IN / WIDTH_IN)
    fig.suptitle(_title(tl), x=LEFT_IN / WIDTH_IN, ha="left", fontsize=13, fontweight="bold")
    return fig


def _title(tl: Timeline) -> str:
    start, end = (dt.datetime.fromtimestamp(s).astimezone() for s in (tl.start_s, tl.end_s))
    last = end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%a %Y-%m-%d %H:%M")
    return f"{tl.title}: {start.strftime('%a %Y-%m-%d %H:%M')} - {last} (local time)"


def _slouch_lane(tl: Timeline) -> Runs:
    return Runs(tl.slouch.start_s, tl.slouch.end_s, np.ones(len(tl.slouch), np.int16), ("", "slouched"))


def _name_count(lanes: list[tuple[str, Runs]], tl: Timeline) -> int:
    """How many names the lanes' legend will hold (each name once, whichever lanes it is in)."""
    return len({r.names[c] for _, r in [*lanes, ("", _slouch_lane(tl))] for c in np.unique(r.code).tolist()})


def _lanes(ax: Axes, lanes: list[tuple[str, Runs]], tl: Timeline, axis: Axis, edges: F64,
           legend: BelowLegend) -> None:
    """One lane per runs (the engine's postures, the recording's labels), then slouching."""
    others: dict[str, str] = {}
    all_lanes = [*lanes, ("slouched", _slouch_lane(tl))]
    for i, (lane, runs) in enumerate(all_lanes):
        y = len(all_lanes) - 1 - i
        drawn = ds.dominant(runs, edges)
        for code in sorted(set(np.unique(runs.code).tolist())):
            name, mine = runs.names[code], drawn.code == code
            look = look_of(name, others)
            x0 = axis.x(drawn.start_s[mine])
            ax.broken_barh(list(zip(x0, axis.x(drawn.end_s[mine]) - x0, strict=True)), (y - 0.4, 0.8),
                           facecolors=look.face, edgecolors=look.edge or "none", hatch=look.hatch,
                           linewidth=0.6 if look.hatch else 0.0, gid=f"lane-{lane}-{name}")
            legend.add(Patch(facecolor=look.face, edgecolor=look.edge or look.face, hatch=look.hatch,
                             linewidth=0.6), name.replace("_", " "))
    ax.set_yticks(range(len(all_lanes)), [n for n, _ in reversed(all_lanes)])
    ax.set_ylim(-0.6, len(all_lanes) - 0.4)
    ax.tick_params(axis="y", length=0)


def _tilt(ax: Axes, tl: Timeline, axis: Axis, edges: F64) -> None:
    """The tilt back from standing as its per-column range (where the engine had a reference), upright
    sitting and the threshold above it in the columns spent mostly sitting."""
    assert tl.tilt_back_deg is not None
    mid, lo, hi = ds.envelope(tl.tilt_back_deg, edges)
    x = axis.x(mid)
    ax.fill_between(x, lo, hi, color="#6b8cc7", linewidth=0.6, edgecolor="#6b8cc7", label="pelvic tilt",
                    gid="tilt")
    if tl.reference_back_deg is not None and len(tl.reference_back_deg):
        rx, ref = ds.held(tl.reference_back_deg, edges)
        ref = np.where(_sitting_columns(tl.postures, edges), ref, np.nan)
        ax.plot(axis.x(rx), ref, color="#1d3a6b", linewidth=1.6, label="upright sitting (reference)",
                gid="reference")
        ax.plot(axis.x(rx), ref + tl.threshold_deg, color=colour_of("slouched", {}), linewidth=1.2,
                linestyle="--", label=f"slouch threshold (+{tl.threshold_deg:g} deg)", gid="threshold")
    ax.set_ylabel("tilt back from\nstanding (deg)", fontsize=9)
    ax.grid(axis="y", color="#e4e4e4", linewidth=0.6)
    ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=8, frameon=False)


def _sitting_columns(postures: Runs, edges: F64) -> NDArray[np.bool_]:
    """Per column: whether the engine said sitting for at least half of it."""
    if "sitting" not in postures.names:
        return np.zeros(len(edges) - 1, bool)
    sat = postures.code == postures.names.index("sitting")
    covered = np.diff(Spans(postures.start_s[sat], postures.end_s[sat]).covered_s(edges))
    return covered >= 0.5 * np.diff(edges)


def _bout(ax: Axes, tl: Timeline, axis: Axis, edges: F64) -> None:
    """The sitting bout (minutes) and the limit; over the limit in red; the coach's quiet time shaded."""
    limit_min = tl.limit_s / 60.0
    bx, bout = ds.sampled(tl.bout_s if tl.bout_s is not None else Curve(np.zeros(0), np.zeros(0)), edges)
    x, minutes = axis.x(bx), bout / 60.0
    ax.fill_between(x, 0, minutes, color=colour_of("sitting", {}), alpha=0.35, linewidth=0)
    ax.plot(x, minutes, color="#b35c00", linewidth=1.2, label="sitting bout", gid="bout")
    ax.fill_between(x, limit_min, np.fmax(minutes, limit_min), color="#d2423b", alpha=0.5, linewidth=0,
                    label="over the limit")
    ax.axhline(limit_min, color="#d2423b", linestyle="--", linewidth=1.0, label=f"limit {limit_min:g} min")
    for reason in sorted({r for _, _, r in tl.quiet}):
        spans = [(float(axis.x(s)), float(axis.x(e) - axis.x(s))) for s, e, r in tl.quiet if r == reason]
        ax.broken_barh(spans, (0, 1), transform=ax.get_xaxis_transform(), facecolors="#000000", alpha=0.07,
                       hatch="..", label=f"coach quiet: {reason}", gid=f"quiet-{reason.replace(' ', '-')}")
    top = np.nanmax(minutes) if len(minutes) and np.isfinite(minutes).any() else 0.0
    ax.set_ylim(0, max(limit_min, float(top)) * 1.15)
    ax.set_ylabel("sitting bout\n(min)", fontsize=9)
    ax.grid(axis="y", color="#e4e4e4", linewidth=0.6)
    ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=8, frameon=False)


def _event_rows(tl: Timeline) -> list[str]:
    present = {row_of(m.kind) for m in tl.markers}
    rows = [r for r, _ in ROWS if r in present] + ([OTHER_ROW] if OTHER_ROW in present else [])
    return rows or ["events"]


def _events(ax: Axes, tl: Timeline, rows: list[str], axis: Axis, legend: BelowLegend) -> None:
    """One marker per event, one row per kind of event, one legend entry per event type."""
    y_of = {r: len(rows) - 1 - i for i, r in enumerate(rows)}
    kinds = sorted({m.kind for m in tl.markers}, key=lambda k: (-y_of[row_of(k)], k))
    others: dict[str, tuple[str, str]] = {}
    for kind in kinds:
        at = np.array([m.t_s for m in tl.markers if m.kind == kind])
        marker, colour = marker_of(kind, others)
        edge = "#333333" if marker not in "|x" else None
        ax.scatter(axis.x(at), np.full(len(at), y_of[row_of(kind)]), marker=marker, s=42, c=colour,
                   edgecolors=edge, linewidths=0.5, zorder=3, gid=f"event-{kind}")
        legend.add(Line2D([], [], marker=marker, linestyle="none", markersize=6.5, markerfacecolor=colour,
                          markeredgecolor=edge or colour, markeredgewidth=0.5 if edge else 1.2,
                          color=colour), kind.replace("_", " "))
    ax.set_yticks(range(len(rows)), list(reversed(rows)))
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="y", color="#eeeeee", linewidth=0.6)


def _time_axis(axes: list[Axes], axis: Axis, tl: Timeline) -> None:
    locator = mdates.AutoDateLocator(minticks=6, maxticks=14)
    bottom = axes[-1]
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    bottom.set_xlim(*axis.x(np.array([tl.start_s, max(tl.end_s, tl.start_s + 1.0)])))
    for ax in axes:
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    for ax in axes[:-1]:
        ax.tick_params(axis="x", labelbottom=False)


def svg_of(fig: Figure, salt: str) -> str:
    """The figure as an inline <svg> element (ids salted so several figures share one page)."""
    from matplotlib import rc_context

    buf = io.StringIO()
    with rc_context({"svg.hashsalt": salt}):
        fig.savefig(buf, format="svg", metadata={"Date": None})  # the same data, the same page
    text = buf.getvalue()
    return text[text.index("<svg"):]


def png_of(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()
