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


def engine_figures(path: Path) -> None:
    """Engine throughput (large chunks), live per-call cost, and Fusion's per-sample loop as the peer."""
    import numpy as np

    from monitor.engine import PostureEngine
    from monitor.sessions import open_recording

    block = open_recording(path).samples()
    assert block is not None
    runs = []
    for _ in range(3):  # best of three, as timeit does: the first run also pays for fresh memory pages
        engine = PostureEngine(block.rate_hz)
        t = time.perf_counter()
        for i in range(0, len(block), 1 << 20):
            engine.update(block.slice(i, i + (1 << 20)))
        runs.append(time.perf_counter() - t)
    eng_s = min(runs)
    print(f"engine: {len(block) / eng_s / 1e6:.2f} M samples/s in 1M-sample chunks "
          f"({eng_s:.2f} s for the day, best of {', '.join(f'{r:.2f}' for r in runs)}; target >= 10 M/s)")
    for size in (1, 10):
        live = PostureEngine(block.rate_hz)
        costs = []
        for i in range(0, min(len(block), 200_000), size):
            t = time.perf_counter()
            live.update(block.slice(i, i + size))
            costs.append(time.perf_counter() - t)
        c = np.array(costs) * 1e3
        share = np.mean(c) / 1e3 / (size / block.rate_hz)
        print(f"engine live, {size}-sample chunks: median {np.median(c):.3f} ms, p99 "
              f"{np.percentile(c, 99):.3f} ms per call; CPU share at {block.rate_hz:g} Hz {share:.2%}")
    fusion_s = fusion_loop(block)
    if fusion_s:
        print(f"peer imufusion Ahrs per-sample loop: {len(block) / fusion_s / 1e6:.2f} M samples/s "
              f"({fusion_s:.2f} s); engine is {fusion_s / eng_s:.1f}x faster")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "monitor", "replay", str(path), "--speed", "max"],
                   capture_output=True, check=True)
    replay_s = time.perf_counter() - t
    half = f" (target <= {fusion_s / 2:.2f} s, half the Fusion loop)" if fusion_s else ""
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # largest child so far
    print(f"replay --speed max of the day, whole process: {replay_s:.2f} s{half}; "
          f"peak RSS of the largest child process (the replay or a load) {child_mb:.0f} MB")


IMPORT_SNIPPET = """
import sys, time
t = time.perf_counter()
import monitor.engine.iir as iir
print(f"{(time.perf_counter() - t) * 1e3:.1f} {'scipy.signal' in sys.modules} {iir.KERNEL}")
"""


def filter_figures(runs: int = 10) -> None:
    """The engine's IIR filters (monitor.engine.iir): which kernel, their import in a fresh process
    (scipy.signal must stay out of it: about 1 s), and the cost of the shapes features.py filters."""
    import functools
    import statistics
    import timeit

    import numpy as np

    from monitor.engine.iir import Iir, butter_lowpass

    res = [subprocess.run([sys.executable, "-c", IMPORT_SNIPPET], capture_output=True, text=True,
                          check=True).stdout.split() for _ in range(runs)]
    ms = statistics.median(float(r[0]) for r in res)
    print(f"iir: kernel {res[0][2]}; import monitor.engine.iir (with numpy and the engine package) in "
          f"a fresh process: median {ms:.0f} ms of {runs}; scipy.signal imported: "
          f"{'yes' if res[0][1] == 'True' else 'no'}")
    shapes = [(butter_lowpass(2, 1.0, 100.0), 3), (butter_lowpass(1, 2.0, 100.0), 1),
              ((np.ones(1), np.array([1.0, -1 / 1.01])), 2)]  # gravity, intensity, fusion
    costs: dict[int, float] = {}
    for n in (8192, 10, 1):
        total = 0.0
        for (b, a), rows in shapes:
            u = np.random.default_rng(0).normal(size=(rows, n))
            f = Iir(b, a)
            f.start(u[:, 0])
            num = max(1, 50_000 // n)
            total += min(timeit.repeat(functools.partial(f, u), number=num, repeat=7)) / num
        costs[n] = total
    print(f"iir: the three filters of a {8192}-sample slice {costs[8192] * 1e6:.0f} us "
          f"({8192 / costs[8192] / 1e6:.1f} M samples/s); live, all three per call: "
          f"{costs[1] * 1e6:.1f} us for 1 sample, {costs[10] * 1e6:.1f} us for 10")


def fusion_loop(block: object) -> float | None:
    try:
        import imufusion
    except ImportError:
        print("peer imufusion not installed (pip install imufusion): Fusion comparison skipped")
        return None
    ahrs = imufusion.Ahrs()
    acc, gyro = block.acc_g, block.gyro_dps  # type: ignore[attr-defined]
    t = time.perf_counter()
    for i in range(len(acc)):
        ahrs.update_no_magnetometer(gyro[i], acc[i])
        ahrs.get_gravity()
    return time.perf_counter() - t


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
        engine_figures(path)
    filter_figures()
    print(f"bench process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
