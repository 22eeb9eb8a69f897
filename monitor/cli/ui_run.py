"""Run a synchronous source (demo, replay) under the dashboard: the stream in a worker thread,
the UI redrawing from the Board; the summary is printed when the app exits."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from monitor.coach.coach import Coach
from monitor.coach.stretches import load_catalogue
from monitor.engine.calibration import Calibration
from monitor.pipeline import Pipeline
from monitor.samples import SourceItem
from monitor.sinks.stats import StatsStore
from monitor.timebase import TimeBase
from monitor.ui.board import Board
from monitor.ui.calibrating import Saver
from monitor.ui.feeder import Earlier, Feeder


def make_feeder(pipeline: Pipeline, coach: Coach, board: Board, store: StatsStore | None = None,
                link: Callable[[], dict[str, Any]] | None = None,
                save_calibration: Saver | None = None) -> Feeder:
    """With a statistics store, stretch rotation carries over from earlier days and runs; with a
    saver, a calibration made in the dashboard is stored for the sensor."""
    if store is None:
        return Feeder(pipeline, coach, board, load_catalogue(), link=link, save_calibration=save_calibration)
    clock = coach.clock

    def used(ids: list[str]) -> None:
        when = clock.local(pipeline.last_t_s) if clock is not None else dt.datetime.now().astimezone()
        store.used_stretches(when.isoformat(timespec="seconds"), ids)

    return Feeder(pipeline, coach, board, load_catalogue(), store.stretches_used(), used, link,
                  earlier=earlier_today(store, clock), save_calibration=save_calibration)


def calibration_saver(profile: str, device: str) -> Saver:
    """Stores a dashboard calibration for this sensor, as `calibrate` does."""
    def save(cal: Calibration, source: str) -> str:
        from monitor.calibrate.store import CalibrationStore

        path = CalibrationStore().save(profile, device, cal, None, source)
        return f"stored for {device} ({path.name})"

    return save


def earlier_today(store: StatsStore, clock: TimeBase | None) -> Earlier | None:
    """What the store already holds for today, on this run's stream clock (a gap marks the restart)."""
    if clock is None:
        return None
    now_t_s = time.time() - clock.epoch_utc_s
    day = clock.day(now_t_s)
    spans = [(wall_s - clock.epoch_utc_s, posture) for wall_s, posture in store.postures(day)]
    if spans:
        spans.append((now_t_s, "unknown"))
    totals = {k: v for k, v in store.day(day).items() if k != "day"}
    return Earlier(totals, tuple(spans))


def run_with_ui(items: Iterator[SourceItem], pipeline: Pipeline, coach: Coach, subtitle: str,
                as_json: bool, store: StatsStore | None = None, board: Board | None = None) -> int:
    board = board or Board()
    feeder = make_feeder(pipeline, coach, board, store)

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

    return show(board, runner, subtitle, as_json, pipeline.summary)


def show(board: Board, runner: Callable[[threading.Event], None], subtitle: str, as_json: bool,
         summary_now: Callable[[], dict[str, Any]]) -> int:
    """Run the dashboard until quit; the stream's summary is printed after the terminal is restored."""
    from monitor.ui.app import make_app

    make_app(board, thread_runner=runner, subtitle=subtitle).run()
    if board.error is not None:
        raise board.error
    summary = board.summary or summary_now()
    print(json.dumps({"type": "summary", **summary}) if as_json else
          "summary: " + ", ".join(f"{k}={v}" for k, v in summary.items()))
    return 0
