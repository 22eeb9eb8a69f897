"""Benchmark: `evaluate` on the HAPT recordings in this process (--jobs 1), in a pool of 2 processes
(--jobs 2) and, with --cluster, on a local Dask cluster of 2 single-threaded workers, in the same run;
prints each wall time (best of --runs), the speed-up against --jobs 1, and whether the figures are
identical. Pool start-up counts (it is part of every `evaluate --jobs 2`); the cluster's start-up is
printed apart (a real cluster is already running).

Usage: PYTHONPATH=. python tools/bench_evaluate.py [DATA_DIR] [--runs 1] [--cluster]
"""

from __future__ import annotations

import argparse
import logging
import os
import time
from pathlib import Path
from typing import Any

from monitor.engine import EngineSettings
from monitor.evaluation.report import report
from monitor.evaluation.runner import evaluate_files

HAPT = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "hapt"


def timed(paths: list[Path], jobs: int, cluster: str | None, runs: int) -> tuple[float, dict[str, Any]]:
    """Best wall time of `runs` evaluations, and the report."""
    best, result = float("inf"), {}
    for _ in range(runs):
        t = time.perf_counter()
        results = list(evaluate_files(paths, "hapt", "stand+sit", EngineSettings(), jobs, cluster))
        best = min(best, time.perf_counter() - t)
        result = report(results, "stand+sit")
    return best, result


def line(name: str, seconds: float, base_s: float, same: bool, n: int) -> str:
    return (f"{name:<31} {seconds:7.2f} s  {n / seconds:5.1f} recordings/s  x{base_s / seconds:.2f} "
            f"against --jobs 1  figures {'identical' if same else 'DIFFERENT'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="?", type=Path, default=HAPT)
    ap.add_argument("--runs", type=int, default=1, help="best of this many runs each")
    ap.add_argument("--cluster", action="store_true", help="also a LocalCluster of 2 workers")
    args = ap.parse_args()
    paths = sorted(args.data.glob("*.csv.gz"))
    print(f"{len(paths)} HAPT recordings in {args.data}; {os.cpu_count()} CPUs; best of {args.runs}")
    base_s, base = timed(paths, 1, None, args.runs)
    print(line("evaluate --jobs 1", base_s, base_s, True, len(paths)))
    two_s, two = timed(paths, 2, None, args.runs)
    print(line("evaluate --jobs 2", two_s, base_s, two == base, len(paths)))
    if args.cluster:
        cluster_line(paths, base_s, base, args.runs)
    tr = base["transitions"]
    print(f"static balanced accuracy {base['static']['balanced_accuracy']}, stand_to_sit F1 "
          f"{tr['stand_to_sit']['f1']}, sit_to_stand F1 {tr['sit_to_stand']['f1']}")


def cluster_line(paths: list[Path], base_s: float, base: dict[str, Any], runs: int) -> None:
    from distributed import LocalCluster

    t = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster:
        print(f"{'(LocalCluster start-up)':<31} {time.perf_counter() - t:7.2f} s")
        seconds, result = timed(paths, 1, cluster.scheduler_address, runs)
        print(line("evaluate --cluster (2 workers)", seconds, base_s, result == base, len(paths)))


if __name__ == "__main__":
    main()
