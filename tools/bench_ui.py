"""The dashboard never slows the stream: a simulated wearer streamed through the dashboard's feeder
(engine, coach, board) while the Textual app redraws, once with a normal terminal and once with a
terminal that takes `--slow-ms` per redraw. Prints samples/s through the stream in each case, the
same stream without any UI, and how many views were published per wall second (the coalescing).
Usage: python tools/bench_ui.py [--seconds 6] [--slow-ms 300]"""

from __future__ import annotations

import argparse
import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any

from monitor.coach.coach import Coach
from monitor.coach.settings import CoachSettings
from monitor.decode import Decoder
from monitor.engine import PostureEngine
from monitor.pipeline import Pipeline
from monitor.run.frontend import make_dashboard
from monitor.samples import SampleBlock
from monitor.sim import SimulatedWearer
from monitor.sim.calibration import demo_calibration
from monitor.timebase import TimeBase
from monitor.ui.app import DashboardApp, make_app
from monitor.ui.board import Board

RATE_HZ, CHUNK = 50.0, 5  # live-sized chunks: 0.1 s at 50 Hz


def chunks() -> Iterator[SampleBlock]:
    for c in SimulatedWearer(seed=3, rate_hz=RATE_HZ).chunks():
        for i in range(0, len(c.block), CHUNK):
            yield c.block.slice(i, i + CHUNK)


def pipeline() -> Pipeline:
    return Pipeline(Decoder(), PostureEngine(RATE_HZ, demo_calibration(3, RATE_HZ)), [], RATE_HZ)


class CountingBoard(Board):
    def __init__(self) -> None:
        super().__init__()
        self.published = 0

    def publish(self, view: Any) -> None:
        self.published += 1
        super().publish(view)


def no_ui(seconds: float) -> float:
    p = pipeline()
    p.coach = Coach(CoachSettings())  # a bare pipeline, as headless runs build it
    n, start = 0, time.perf_counter()
    for block in chunks():
        p.feed(block)
        n += len(block)
        if time.perf_counter() - start > seconds:
            break
    return n / (time.perf_counter() - start)


async def with_ui(seconds: float, slow_s: float) -> tuple[float, float]:
    board = CountingBoard()
    p = pipeline()
    feeder = make_dashboard(board, p.decoder, p.engine, Coach(CoachSettings()), RATE_HZ, TimeBase.now())
    fed = [0, 0.0]

    def runner(stop: threading.Event) -> None:
        start = time.perf_counter()
        for block in chunks():
            if stop.is_set() or time.perf_counter() - start > seconds:
                break
            feeder.feed(block)
            fed[0] += len(block)
        fed[1] = time.perf_counter() - start

    app: DashboardApp = make_app(board, thread_runner=runner)
    if slow_s:
        original = app.redraw

        def slow_redraw() -> None:
            time.sleep(slow_s)  # a terminal that takes this long to take a frame
            original()
        app.redraw = slow_redraw  # type: ignore[method-assign]
    async with app.run_test(size=(110, 36)) as pilot:
        while fed[1] == 0.0:
            await pilot.pause(0.2)
    return fed[0] / fed[1], board.published / fed[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=6.0)
    ap.add_argument("--slow-ms", type=float, default=300.0)
    a = ap.parse_args()
    base = no_ui(a.seconds)
    print(f"stream without UI:            {base:12,.0f} samples/s")
    for label, slow in (("with dashboard", 0.0), (f"dashboard, {a.slow_ms:g} ms/redraw", a.slow_ms / 1e3)):
        rate, views_per_s = asyncio.run(with_ui(a.seconds, slow))
        print(f"stream {label:22} {rate:12,.0f} samples/s ({rate / base:.0%} of no UI); "
              f"{views_per_s:.1f} views published per s")


if __name__ == "__main__":
    main()
