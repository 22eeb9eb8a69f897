"""The live path under stress: frames lost and gaps when the consumer is slow or stalls, when frames
arrive late in bursts, and when frames are really lost. A virtual WitMotion sensor on the in-process
bumble link, the production client on the run's Bluetooth hub, the run's consumer (decode, engine,
sinks) in this thread. Targets: 0 frames lost and 0 gaps for everything but real losses, which give
exactly one gap each, of their length.
Usage: python tools/bench_live.py [--rate 50] [--speed 2] [--seconds 60] [--mqtt]"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.events import Event
from monitor.virtual.sensor import VirtualSensor
from tests.live_rig import Collect, Rig, rig

SensorAct = Callable[[VirtualSensor], object]

WT = "witmotion-wt901ble"


class SlowSink:
    """Takes `each_s` of wall time for every event and every tick (a slow database or network)."""

    def __init__(self, each_s: float) -> None:
        self.each_s, self.calls = each_s, 0

    def handle(self, event: Event) -> None:
        self.calls += 1
        time.sleep(self.each_s)

    def tick(self, t_s: float) -> None:
        self.handle(None)  # type: ignore[arg-type]

    def close(self, summary: dict[str, object]) -> None:
        pass


@dataclass
class Args:
    rate: float
    speed: float
    seconds: float


def run(a: Args, sensor_at: dict[float, SensorAct] | None = None,
        consumer_at: dict[float, Callable[[], None]] | None = None, slow: SlowSink | None = None) -> Rig:
    """One scenario: faults on the sensor (on its loop) and in the consumer, at sample seconds."""
    r = rig(WT, 7, a.rate, a.speed)
    if slow is not None:
        r.stream.pipeline.sinks.append(slow)
    actions = {when: r.on_sensor(act) for when, act in (sensor_at or {}).items()}
    actions.update(consumer_at or {})
    try:
        r.run_until(lambda: r.stream_s() >= a.seconds, actions)
    finally:
        r.close()
    return r


def line(name: str, r: Rig, extra: str = "") -> None:
    s, p = r.link.status, r.stream.pipeline
    counts = p.decoder.counts()
    gaps = p.gaps
    dropped = sum(v for k, v in counts.items() if k.startswith("drop"))
    lost_after_receipt = s.frames - counts["frames_ok"] - dropped
    print(f"{name:40} sent {r.sensor.sent_frames:6}  received {s.frames:6}  lost {r.sensor.lost_frames:4} "
          f"(after receipt {lost_after_receipt})  gaps {gaps.count if gaps else 0}  "
          f"missing {gaps.missing_s if gaps else 0.0:5.2f} s  {extra}")


def gap_lengths(sink: Collect) -> str:
    lengths = [f"{getattr(e, 'gap_s', 0.0):.2f}" for e in sink.events if e.kind == "gap"]
    return "gap lengths " + ", ".join(lengths)


def sleeping(seconds: float) -> Callable[[], None]:
    return lambda: time.sleep(seconds)


def holding(seconds: float) -> SensorAct:
    return lambda s: s.hold(seconds)


def losing(stream_s: float) -> SensorAct:
    return lambda s: s.lose(stream_s)


class SlowRedraws:
    """A terminal that redraws slowly: `busy_s` of pure Python (holding the GIL) every `every_s`."""

    def __init__(self, busy_s: float = 0.1, every_s: float = 0.25) -> None:
        self.busy_s, self.every_s, self.stop = busy_s, every_s, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.wait(self.every_s):
            end = time.perf_counter() + self.busy_s
            while time.perf_counter() < end:
                pass

    def __enter__(self) -> SlowRedraws:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rate", type=float, default=50.0)
    ap.add_argument("--speed", type=float, default=2.0)
    ap.add_argument("--seconds", type=float, default=60.0, help="sample seconds per scenario")
    ap.add_argument("--mqtt", action="store_true", help="also: MQTT timestamps against receipt (mosquitto)")
    ns = ap.parse_args()
    a = Args(ns.rate, ns.speed, ns.seconds)
    print(f"virtual {WT} at {a.rate:g} Hz, {a.speed:g} x real time, {a.seconds:g} s of samples per scenario")
    slow = SlowSink(0.05)
    line("slow sink (50 ms per event and tick)", run(a, slow=slow), f"sink calls {slow.calls}")
    stalls = {10.0: 0.5, 20.0: 1.0, 30.0: 2.0, 42.0: 5.0}  # sample second -> consumer stall (wall s)
    line("consumer stalls 0.5, 1, 2, 5 s",
         run(a, consumer_at={t: sleeping(s) for t, s in stalls.items()}))
    with SlowRedraws():
        line("slow terminal (100 ms redraw / 250 ms)", run(a))
    holds = {10.0: 0.5, 20.0: 1.0, 30.0: 2.0, 42.0: 5.0}  # frames held back this long, then a burst
    line("late bursts after 0.5, 1, 2, 5 s", run(a, {t: holding(h / a.speed) for t, h in holds.items()}))
    losses = {10.0: 0.5, 25.0: 1.0, 40.0: 2.0}  # sample seconds of frames never sent
    r = run(a, {t: losing(x) for t, x in losses.items()})
    line("real losses 0.5, 1, 2 s", r, gap_lengths(r.sink))
    if ns.mqtt:
        mqtt_timestamps(ns.seconds)


def mqtt_timestamps(seconds: float) -> None:
    """`run --virtual` at real speed into a real mosquitto: published `timestamp` vs time received."""
    import datetime as dt
    import json
    import os
    import subprocess
    import tempfile

    from tests.mqtt_broker import Broker, Subscriber

    with tempfile.TemporaryDirectory() as d:
        broker = Broker(Path(d) / "broker").start()
        sub = Subscriber(broker)
        env = {**os.environ, "XDG_CONFIG_HOME": f"{d}/c", "XDG_DATA_HOME": f"{d}/d",
               "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
        subprocess.run([sys.executable, "-m", "monitor", "run", "--virtual", WT, "--headless", "--no-stats",
                        "--for", str(seconds), "--mqtt", broker.url], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for kind in ("state", "event"):
            got = [m for m in sub.got if m.topic.endswith("/" + kind) and not m.retain]
            lag = [m.wall_s - dt.datetime.fromisoformat(json.loads(m.payload)["timestamp"].replace(
                "Z", "+00:00")).timestamp() for m in got]
            print(f"MQTT {kind} messages: {len(lag)}, received - timestamp: min {min(lag):+.3f} s, "
                  f"max {max(lag):+.3f} s")
        sub.close()
        broker.stop()


if __name__ == "__main__":
    main()
