"""MQTT figures against a local mosquitto (started here on a free loopback port):
- end-to-end latency from the sample block that caused an event to the event arriving at a subscriber
  (simulated wearer through engine and coach, fed in live-sized chunks);
- a broker outage of `--outage-s` with events produced throughout: how many arrive, in order;
- outbox throughput: messages/s written to the outbox, and delivered from a backlog.
Usage: python tools/bench_mqtt.py [--outage-s 60] [--backlog 20000]"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.coach.coach import Coach
from monitor.coach.settings import CoachSettings
from monitor.decode import Decoder
from monitor.engine import PostureEngine
from monitor.events import Event, SlouchStarted
from monitor.pipeline import Pipeline
from monitor.sim import SimulatedWearer
from monitor.sim.calibration import demo_calibration
from monitor.sinks.mqtt.service import MqttService
from monitor.sinks.mqtt.settings import MqttSettings
from monitor.sinks.mqtt.sink import MqttSink
from monitor.timebase import TimeBase
from tests.mqtt_broker import Broker, Subscriber

RATE_HZ = 50.0


def service(broker: Broker, path: Path) -> tuple[MqttService, MqttSink]:
    s = MqttSettings("127.0.0.1", broker.port, device_id="bench", backoff_min_s=0.2, backoff_max_s=2.0)
    svc = MqttService(s, lambda c: None, lambda m: None, path=path).start()
    return svc, MqttSink(svc.outbox, svc.topics, s, TimeBase.now(), wake=svc.wake)


def events(sub: Subscriber) -> list[tuple[float, dict[str, Any]]]:
    with sub.lock:
        raw = [(m.at_s, m.payload) for m in sub.got if m.topic.endswith("/event")]
    seen: dict[str, tuple[float, dict[str, Any]]] = {}
    for t, p in raw:
        body = json.loads(p)
        seen.setdefault(body["id"], (t, body))
    return list(seen.values())


def latency(broker: Broker, d: Path, sim_s: float) -> None:
    sub = Subscriber(broker, "lat")
    (d / "lat.sqlite").unlink(missing_ok=True)
    svc, sink = service(broker, d / "lat.sqlite")
    svc.wait_connected(5.0)
    sent: dict[str, float] = {}
    fed_at = [0.0]
    handle = sink.handle

    def timed(ev: Event) -> None:
        handle(ev)
        sent[f"{sink.run_id}-{sink.events - 1}"] = fed_at[0]

    sink.handle = timed  # type: ignore[method-assign,assignment]
    p = Pipeline(Decoder(), PostureEngine(RATE_HZ, demo_calibration(4, RATE_HZ)), [sink], RATE_HZ)
    p.coach = Coach(CoachSettings(sitting_limit_s=300.0))
    fed = 0
    for c in SimulatedWearer(seed=4, rate_hz=RATE_HZ).chunks():
        for i in range(0, len(c.block), 5):  # 0.1 s chunks, paced at x100 real time
            fed_at[0] = time.perf_counter()
            p.feed(c.block.slice(i, i + 5))
            time.sleep(0.001)
        fed += len(c.block)
        if fed / RATE_HZ > sim_s:
            break
    sub.wait_for(lambda: len(events(sub)) >= len(sent), 10)
    lat = sorted(1e3 * (t - sent[b["id"]]) for t, b in events(sub) if b["id"] in sent)
    p99 = lat[min(len(lat) - 1, int(0.99 * len(lat)))]
    print(f"latency sample->subscriber: {len(lat)} events, median {statistics.median(lat):.2f} ms, "
          f"p99 {p99:.2f} ms, max {lat[-1]:.2f} ms")
    svc.stop()
    sub.close()


def outage(broker: Broker, d: Path, outage_s: float, rate: float) -> None:
    sub = Subscriber(broker, "outage")
    svc, sink = service(broker, d / "outage.sqlite")
    svc.wait_connected(5.0)
    n, t0 = 0, time.monotonic()

    def produce(until: float) -> None:
        nonlocal n
        while time.monotonic() < until:
            sink.handle(SlouchStarted(float(n), 0.0))
            n += 1
            time.sleep(1.0 / rate)

    produce(time.monotonic() + 2.0)
    broker.stop()
    produce(time.monotonic() + outage_s)
    during = len(svc.outbox)
    broker.start()
    back = time.monotonic()
    produce(time.monotonic() + 2.0)
    sub.wait_for(lambda: len(events(sub)) >= n, 60)
    got = [b["t_s"] for _, b in events(sub)]
    drained = time.monotonic() - back
    print(f"outage {outage_s:g} s: {n} events produced ({during} waiting in the outbox at the end of the "
          f"outage), {len(got)} delivered, in order: {got == [float(i) for i in range(n)]}, "
          f"all delivered {drained:.1f} s after the broker came back (total {time.monotonic() - t0:.0f} s)")
    svc.stop()
    sub.close()


def throughput(broker: Broker, d: Path, backlog: int) -> None:
    from monitor.sinks.mqtt.outbox import EVENT, Outbox

    path = d / "backlog.sqlite"
    path.unlink(missing_ok=True)
    box = Outbox(path, max_messages=backlog)
    t = time.perf_counter()
    for i in range(backlog):
        box.put("bench/bench/event", json.dumps({"event_type": "x", "t_s": i, "id": f"b-{i}"}).encode(),
                False, EVENT)
    put_s = time.perf_counter() - t
    box.close()
    sub = Subscriber(broker, "tp")
    t = time.perf_counter()
    svc, _ = service(broker, path)
    sub.wait_for(lambda: len(sub.on("bench/bench/event")) >= backlog, 120)
    deliver_s = time.perf_counter() - t
    print(f"outbox: {backlog / put_s:,.0f} messages/s written; a backlog of {backlog:,} delivered in "
          f"{deliver_s:.1f} s ({backlog / deliver_s:,.0f} messages/s, acknowledged, in order)")
    svc.stop()
    sub.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--outage-s", type=float, default=60.0)
    ap.add_argument("--rate", type=float, default=10.0, help="events per second during the outage test")
    ap.add_argument("--backlog", type=int, default=20000)
    ap.add_argument("--sim-s", type=float, default=3600.0, help="simulated seconds for the latency run")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        for nodelay in (False, True):
            broker = Broker(d / f"broker{int(nodelay)}", nodelay=nodelay).start()
            print(f"-- mosquitto {'with set_tcp_nodelay true' if nodelay else 'defaults'}")
            try:
                latency(broker, d, a.sim_s)
                throughput(broker, d, a.backlog)
                if not nodelay:
                    outage(broker, d, a.outage_s, a.rate)
            finally:
                broker.stop()


if __name__ == "__main__":
    main()
