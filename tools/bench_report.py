"""Benchmark of `posture-monitor report` on a simulated working day: writes an 8 h, 100 Hz recording of
the simulated wearer (labels and truth kept, its guided calibration in the header, starting on a
Monday at 09:00 local time so the coach prompts as at work), then prints the time to run it through
the engine and coach, the time to draw it (figure, SVG, page) and to render the PNG, and the page size.

Usage: python tools/bench_report.py [--hours 8] [--rate 100] [--seed 1] [--png FILE] [--html FILE]
(docs/report-day.png is made with `--png docs/report-day.png`.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path


def monday_9am() -> float:
    """Unix time of the most recent Monday's 09:00, local time."""
    today = dt.date.today()
    monday = today - dt.timedelta(days=today.weekday())
    return dt.datetime.combine(monday, dt.time(9, 0)).astimezone().timestamp()


def write_day(path: Path, hours: float, rate_hz: float, seed: int) -> int:
    """The simulated day as `posture-monitor simulate` writes it, with a working-day epoch and the
    wearer's guided calibration (as the demo uses it); the number of samples."""
    from monitor.labels import LabelSegments
    from monitor.sessions import RecordingWriter
    from monitor.sessions.writer import base_header
    from monitor.sim import SimulatedWearer
    from monitor.sim.calibration import demo_calibration

    wearer = SimulatedWearer(seed=seed, rate_hz=rate_hz)
    header = base_header(sample_rate_hz=rate_hz, kind="samples", source={"format": "simulator"},
                         simulation=wearer.describe(), epoch_utc_s=monday_9am(),
                         calibration=demo_calibration(seed, rate_hz).to_dict())
    n = 0
    with RecordingWriter(path, header, overwrite=True) as w:
        for c in wearer.run(hours * 3600):
            if len(c.block):
                w.write_samples(c.block, c.tilt_deg, c.slouch)
                w.write_labels(LabelSegments.from_per_sample(c.block.t_s, c.code))
                n += len(c.block)
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hours", type=float, default=8.0)
    ap.add_argument("--rate", type=float, default=100.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--png", type=Path, default=None, help="keep the day's PNG here")
    ap.add_argument("--html", type=Path, default=None, help="keep the page here")
    args = ap.parse_args()

    from monitor import config
    from monitor.report.figures import COLUMNS, png_of, svg_of, timeline_figure
    from monitor.report.page import render, timeline_section
    from monitor.report.series import recording_timeline

    with tempfile.TemporaryDirectory() as tmp:
        rec = Path(tmp) / "day.pmrec"
        t = time.perf_counter()
        n = write_day(rec, args.hours, args.rate, args.seed)
        size_mb = rec.stat().st_size / 1e6
        print(f"simulated {args.hours:g} h at {args.rate:g} Hz: {n} samples, {size_mb:.0f} MB "
              f"in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        tl = recording_timeline(rec, config.load(None, {}))
        engine_s = time.perf_counter() - t
        t = time.perf_counter()
        fig = timeline_figure(tl)
        html = render("Posture report: bench", [timeline_section(tl, svg_of(fig, "s0"))])
        draw_s = time.perf_counter() - t
        t = time.perf_counter()
        png = png_of(fig)
        png_s = time.perf_counter() - t
    print(f"engine + coach run (replay, 30 s pieces): {engine_s:.2f} s "
          f"({n / engine_s / 1e6:.2f} M samples/s)")
    print(f"drawing (figure, SVG, HTML page):         {draw_s:.2f} s")
    print(f"PNG:                                      {png_s:.2f} s ({len(png) / 1e3:.0f} kB)")
    print(f"page: {len(html.encode()) / 1e6:.2f} MB, {len(tl.markers)} events, {len(tl.postures)} posture "
          f"runs and {n} tilt samples drawn in {COLUMNS} pixel columns")
    if args.png is not None:
        args.png.write_bytes(png)
        print(f"wrote {args.png}")
    if args.html is not None:
        args.html.write_text(html)
        print(f"wrote {args.html}")


if __name__ == "__main__":
    main()
