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
from matplotlib.patches import Patch

from monitor.report import downsample as ds
from monitor.report.style import DEFAULT_MARKER, MARKERS, OTHER_ROW, ROWS, colour_of, row_of
from monitor.report.timeline import F64, Curve, Runs, Timeline

WIDTH_IN, DPI = 16.0, 100
LEFT_IN, RIGHT_IN = 1.45, 2.55  # lane names on the left, legends on the right
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
    fig = Figure(figsize=(WIDTH_IN, sum(heights) + 1.2), dpi=DPI)
    top = 1 - 0.55 / (sum(heights) + 1.2)
    grid = fig.add_gridspec(len(heights), 1, height_ratios=heights, left=LEFT_IN / WIDTH_IN,
                            right=1 - RIGHT_IN / WIDTH_IN, top=top, bottom=0.65 / (sum(heights) + 1.2),
                            hspace=0.18)
    axes = [fig.add_subplot(grid[0])]
    axes += [fig.add_subplot(grid[i], sharex=axes[0]) for i in range(1, len(heights))]
    axis, edges = Axis.local_at(tl.start_s), ds.column_edges(tl.start_s, tl.end_s, COLUMNS)
    _lanes(axes[0], lanes, tl, axis, edges)
    panels = iter(axes[1:])
    if tl.tilt_back_deg is not None:
        _tilt(next(panels), tl, axis, edges)
    _bout(next(panels), tl, axis, edges)
    _events(next(panels), tl, rows, axis)
    _time_axis(axes, axis, tl)
    fig.suptitle(_title(tl), x=LEFT_IN / WIDTH_IN, ha="left", fontsize=13, fontweight="bold")
    return fig


def _title(tl: Timeline) -> str:
    start, end = (dt.datetime.fromtimestamp(s).astimezone() for s in (tl.start_s, tl.end_s))
    last = end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%a %Y-%m-%d %H:%M")
    return f"{tl.title}: {start.strftime('%a %Y-%m-%d %H:%M')} - {last} (local time)"


def _lanes(ax: Axes, lanes: list[tuple[str, Runs]], tl: Timeline, axis: Axis, edges: F64) -> None:
    """One lane per runs (the engine's postures, the recording's labels), then slouching."""
    others: dict[str, str] = {}
    shown: dict[str, str] = {}
    slouch = Runs(tl.slouch.start_s, tl.slouch.end_s, np.ones(len(tl.slouch), np.int16), ("", "slouched"))
    all_lanes = [*lanes, ("slouched", slouch)]
    for i, (lane, runs) in enumerate(all_lanes):
        y = len(all_lanes) - 1 - i
        drawn = ds.dominant(runs, edges)
        for code in np.unique(drawn.code).tolist():
            name = drawn.names[code]
            mine = drawn.code == code
            colour = colour_of(name, others)
            x0 = axis.x(drawn.start_s[mine])
            ax.broken_barh(list(zip(x0, axis.x(drawn.end_s[mine]) - x0, strict=True)), (y - 0.4, 0.8),
                           facecolors=colour, gid=f"lane-{lane}-{name}")
            shown.setdefault(name, colour)
    ax.set_yticks(range(len(all_lanes)), [n for n, _ in reversed(all_lanes)])
    ax.set_ylim(-0.6, len(all_lanes) - 0.4)
    ax.tick_params(axis="y", length=0)
    handles = [Patch(facecolor=c, label=n.replace("_", " ")) for n, c in shown.items()]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.005, 1.05), fontsize=8, ncol=2,
              frameon=False, title="postures and labels", title_fontsize=8, alignment="left")


def _tilt(ax: Axes, tl: Timeline, axis: Axis, edges: F64) -> None:
    """The tilt back from standing as its per-column range, upright sitting and the threshold above."""
    assert tl.tilt_back_deg is not None
    mid, lo, hi = ds.envelope(tl.tilt_back_deg, edges)
    x = axis.x(mid)
    ax.fill_between(x, lo, hi, color="#6b8cc7", linewidth=0.6, edgecolor="#6b8cc7", label="pelvic tilt",
                    gid="tilt")
    if tl.reference_back_deg is not None and len(tl.reference_back_deg):
        rx, ref = ds.held(tl.reference_back_deg, edges)
        ax.plot(axis.x(rx), ref, color="#1d3a6b", linewidth=1.6, label="upright sitting (reference)")
        ax.plot(axis.x(rx), ref + tl.threshold_deg, color=colour_of("slouched", {}), linewidth=1.2,
                linestyle="--", label=f"slouch threshold (+{tl.threshold_deg:g} deg)")
    ax.set_ylabel("tilt back from\nstanding (deg)", fontsize=9)
    ax.grid(axis="y", color="#e4e4e4", linewidth=0.6)
    ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=8, frameon=False)


def _bout(ax: Axes, tl: Timeline, axis: Axis, edges: F64) -> None:
    """The sitting bout (minutes) and the limit; over the limit in red."""
    limit_min = tl.limit_s / 60.0
    bx, bout = ds.sampled(tl.bout_s if tl.bout_s is not None else Curve(np.zeros(0), np.zeros(0)), edges)
    x, minutes = axis.x(bx), bout / 60.0
    ax.fill_between(x, 0, minutes, color=colour_of("sitting", {}), alpha=0.35, linewidth=0)
    ax.plot(x, minutes, color="#b35c00", linewidth=1.2, label="sitting bout", gid="bout")
    ax.fill_between(x, limit_min, np.fmax(minutes, limit_min), color="#d2423b", alpha=0.5, linewidth=0,
                    label="over the limit")
    ax.axhline(limit_min, color="#d2423b", linestyle="--", linewidth=1.0, label=f"limit {limit_min:g} min")
    top = np.nanmax(minutes) if len(minutes) and np.isfinite(minutes).any() else 0.0
    ax.set_ylim(0, max(limit_min, float(top)) * 1.15)
    ax.set_ylabel("sitting bout\n(min)", fontsize=9)
    ax.grid(axis="y", color="#e4e4e4", linewidth=0.6)
    ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=8, frameon=False)


def _event_rows(tl: Timeline) -> list[str]:
    present = {row_of(m.kind) for m in tl.markers}
    rows = [r for r, _ in ROWS if r in present] + ([OTHER_ROW] if OTHER_ROW in present else [])
    return rows or ["events"]


def _events(ax: Axes, tl: Timeline, rows: list[str], axis: Axis) -> None:
    """One marker per event, one row per kind of event, one legend entry per event type."""
    y_of = {r: len(rows) - 1 - i for i, r in enumerate(rows)}
    kinds = sorted({m.kind for m in tl.markers}, key=lambda k: (-y_of[row_of(k)], k))
    for kind in kinds:
        at = np.array([m.t_s for m in tl.markers if m.kind == kind])
        marker, colour = MARKERS.get(kind, DEFAULT_MARKER)
        ax.scatter(axis.x(at), np.full(len(at), y_of[row_of(kind)]), marker=marker, s=42, c=colour,
                   edgecolors="#333333" if marker not in "|x" else None, linewidths=0.5, zorder=3,
                   label=kind.replace("_", " "), gid=f"event-{kind}")
    ax.set_yticks(range(len(rows)), list(reversed(rows)))
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="y", color="#eeeeee", linewidth=0.6)
    if kinds:
        ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1.05), fontsize=7.5, ncol=2, frameon=False,
                  handletextpad=0.2, columnspacing=0.8, borderaxespad=0.2)


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
