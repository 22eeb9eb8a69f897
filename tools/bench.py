"""Benchmarks that print figures: recording size and load time for a simulated 8 h day at 100 Hz.

Usage: python tools/bench.py [--hours 8] [--rate 100] [--keep FILE]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LOAD_SNIPPET = """
import resource, sys, time
from monitor.sessions import open_recording
t = time.perf_counter()
rec = open_recording(sys.argv[1]); block = rec.samples(); rec.truth_arrays(); rec.labels()
dt = time.perf_counter() - t
print(f"{dt:.3f} {len(block)} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
"""


def simulate(path: Path, hours: float, rate_hz: float) -> float:
    t = time.perf_counter()
    from monitor.cli.main import main

    main(["simulate", "--hours", str(hours), "--rate", str(rate_hz), "--seed", "1",
          "--out", str(path), "--force"])
    return time.perf_counter() - t


def load_figures(path: Path, runs: int = 3) -> list[tuple[float, int, float]]:
    """(seconds, samples, peak RSS MB) of a fresh process loading the whole file, `runs` times."""
    out = []
    for _ in range(runs):
        res = subprocess.run([sys.executable, "-c", LOAD_SNIPPET, str(path)], capture_output=True,
                             text=True, check=True)
        s, n, mb = res.stdout.split()
        out.append((float(s), int(n), float(mb)))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--hours", type=float, default=8.0)
    ap.add_argument("--rate", type=float, default=100.0)
    ap.add_argument("--keep", type=Path, help="write the day here and keep it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "day.pmrec"
        sim_s = simulate(path, args.hours, args.rate)
        loads = load_figures(path)
        size_mb = path.stat().st_size / 1e6
        print(f"recording: {args.hours:g} h at {args.rate:g} Hz = {loads[0][1]} samples; "
              f"simulated+written in {sim_s:.1f} s")
        print(f"recording: {size_mb:.1f} MB on disk (target <= 100 MB)")
        best = min(x[0] for x in loads)
        print(f"recording: load {', '.join(f'{x[0]:.3f}' for x in loads)} s (best {best:.3f}; "
              f"target < 0.5 s); peak RSS {max(x[2] for x in loads):.0f} MB (target < 400 MB)")
    print(f"bench process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
