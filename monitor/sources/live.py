"""Live BLE as a source. One `BleHub` runs an asyncio loop in its own thread for every link (and any
in-process virtual sensor) of a run; a notification callback only stamps the frame on the stream clock
and puts it in its source's queue. Decoding, the engine, the coach and the sinks run in the consumer
(the thread iterating `LiveSource.items`), so a slow sink or terminal never delays a notification."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import queue
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import TypeVar

import numpy as np

from monitor.profiles.model import Profile
from monitor.samples import Frames
from monitor.sources.ble import LinkStatus, SensorLink

T = TypeVar("T")
Arrival = tuple[float, str, bytes]


class StreamClock:
    """Stream seconds of a live run, (monotonic - start) x speed; its epoch is the wall time at start.
    Taken once, when the hub starts: every sensor of the run shares t = 0."""

    def __init__(self, speed: float = 1.0) -> None:
        self.speed = speed
        self.m0_s, self.epoch_utc_s = time.monotonic(), time.time()

    def now_s(self) -> float:
        return (time.monotonic() - self.m0_s) * self.speed


class BleHub:
    """The run's Bluetooth thread: an event loop that links and virtual sensors live on."""

    def __init__(self, speed: float = 1.0) -> None:
        self.speed = speed
        self.clock = StreamClock(speed)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="ble", daemon=True)
        self.thread.start()

    def call(self, coro: Coroutine[object, object, T], timeout_s: float | None = None) -> T:
        """Run `coro` on the hub's loop and wait for its result (from any other thread)."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout_s)

    def spawn(self, coro: Coroutine[object, object, None]) -> concurrent.futures.Future[None]:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def soon(self, fn: Callable[[], object]) -> None:
        self.loop.call_soon_threadsafe(fn)

    def close(self) -> None:
        """Cancel what is left on the loop and stop its thread."""
        if self.loop.is_closed():
            return
        with contextlib.suppress(Exception):
            self.call(_cancel_others(), timeout_s=5.0)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5.0)
        if not self.thread.is_alive():
            self.loop.close()


async def _cancel_others() -> None:
    me = asyncio.current_task()
    tasks = [t for t in asyncio.all_tasks() if t is not me]
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


class LiveSource:
    """One sensor's notifications, in batches of what arrived every `batch_s` (wall seconds)."""

    def __init__(self, hub: BleHub, link: SensorLink, rate_hz: float, duration_s: float | None = None,
                 report: Callable[[LinkStatus], None] | None = None, batch_s: float = 0.1) -> None:
        self.hub, self.link, self.rate_hz, self.duration_s = hub, link, rate_hz, duration_s
        self.name = link.target
        self.profile: Profile | None = link.profile
        self.report, self.batch_s = report, batch_s
        self.arrived: queue.SimpleQueue[Arrival] = queue.SimpleQueue()
        self.task: concurrent.futures.Future[None] | None = None
        link.clock, link.on_frame, link.on_state = hub.clock.now_s, self._on_frame, self._on_state

    @property
    def epoch_utc_s(self) -> float:
        return self.hub.clock.epoch_utc_s

    def _on_frame(self, t_s: float, uuid: str, data: bytes) -> None:
        self.arrived.put((t_s, uuid, data))  # nothing else on the Bluetooth thread

    def _on_state(self, status: LinkStatus) -> None:
        if self.report is not None:
            self.report(status)

    def start(self) -> None:
        if self.task is None:
            self.task = self.hub.spawn(self.link.run())

    def stream_s(self) -> float | None:
        return self.hub.clock.now_s()

    def nudge(self, name: str) -> concurrent.futures.Future[bool]:
        """Ask the sensor for nudge `name` from any thread without waiting: the writes go out on the
        Bluetooth thread; the future tells whether they were sent (False once the hub is closed)."""
        if self.hub.loop.is_closed():
            done: concurrent.futures.Future[bool] = concurrent.futures.Future()
            done.set_result(False)
            return done
        return asyncio.run_coroutine_threadsafe(self.link.nudge(name), self.hub.loop)

    def items(self, stop: threading.Event) -> Iterator[Frames]:
        """Batches until `stop`, `duration_s` of stream time, or the link task ends; then the rest."""
        self.start()
        while not (stop.is_set() or self._over()):
            batch = self._collect(time.monotonic() + self.batch_s, stop)
            if batch:
                yield _frames(batch)
        self._stop_link()
        rest = self._collect(time.monotonic(), stop)
        if rest:
            yield _frames(rest)

    def _over(self) -> bool:
        ended = self.task is not None and self.task.done()
        return ended or (self.duration_s is not None and self.hub.clock.now_s() >= self.duration_s)

    def _collect(self, deadline_s: float, stop: threading.Event) -> list[Arrival]:
        out: list[Arrival] = []
        while True:
            wait_s = deadline_s - time.monotonic()
            try:
                out.append(self.arrived.get(timeout=wait_s) if wait_s > 0 and not stop.is_set()
                           else self.arrived.get_nowait())
            except queue.Empty:
                return out

    def _stop_link(self) -> None:
        if self.task is None:
            return
        self.hub.soon(self.link.stop)
        with contextlib.suppress(Exception):
            self.task.result(10.0)

    def summary(self) -> dict[str, object]:
        """What the end-of-run summary says about the link: faults, battery, device."""
        s = self.link.status
        return {"address": s.address, "connects": s.connects, "drops": s.drops, "stalls": s.stalls,
                "frames": s.frames, "battery_pct": s.battery_pct, **s.device_info,
                "reconnect_s_max": round(max(s.reconnect_s), 3) if s.reconnect_s else None}

    def close(self) -> None:
        self._stop_link()


def _frames(batch: list[Arrival]) -> Frames:
    return Frames(np.array([t for t, _, _ in batch]), [c for _, c, _ in batch], [d for _, _, d in batch])
