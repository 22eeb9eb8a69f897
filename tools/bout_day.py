"""Prints the figures of a simulated working day through the engine and the coach: prompts, breaks,
and each sitting bout as the engine-level events, the coach and the front ends saw it (all equal:
there is one bout, `monitor.coach.bout.SittingBout`). `python tools/bout_day.py [HOURS] [SEED]`."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.test_one_bout import figures, run_day


def main(argv: list[str]) -> None:
    hours = float(argv[0]) if argv else 8.0
    seed = int(argv[1]) if len(argv) > 1 else 3
    print(f"simulated day: {hours:g} h, seed {seed}")
    print(figures(run_day(hours, seed)))


if __name__ == "__main__":
    main(sys.argv[1:])
