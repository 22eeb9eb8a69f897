"""Run a synchronous source (demo, replay) under the dashboard: the stream in a worker thread,
the UI redrawing from the Board; the summary is printed when the app exits."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

from monitor.coach.coach import Coach
from monitor.coach.stretches import load_catalogue
from monitor.pipeline import Pipeline
from monitor.sinks.dashboard.board import Board
from monitor.sinks.dashboard.feeder import Feeder
from monitor.sources.base import SourceItem


def make_feeder(pipeline: Pipeline, coach: Coach, board: Board) -> Feeder:
    return Feeder(pipeline, coach, board, load_catalogue())


def run_with_ui(items: Iterator[SourceItem], pipeline: Pipeline, coach: Coach, subtitle: str,
                as_json: bool) -> int:
    from monitor.sinks.dashboard.app import make_app

    board = Board()
    feeder = make_feeder(pipeline, coach, board)

    def runner(stop: threading.Event) -> None:
        try:
            for item in items:
                if stop.is_set():
                    break
                feeder.feed(item)
            feeder.apply_actions()
        finally:
            pipeline.close()
            feeder.finish()

    make_app(board, thread_runner=runner, subtitle=subtitle).run()
    summary = board.summary or pipeline.summary()
    print(json.dumps({"type": "summary", **summary}) if as_json else
          "summary: " + ", ".join(f"{k}={v}" for k, v in summary.items()))
    return 0
