"""Link robustness over the bumble link: N forced disconnects of a streaming virtual sensor.

Prints reconnect times (link lost -> streaming again), and frames sent by the sensor, received by the
client, written to the recording and decoded: received == recorded == decoded + dropped is the target.
Usage: python tools/bench_ble.py [--drops 100] [--profile witmotion-wt901ble] [--rate 50]"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import threading
import time
from pathlib import Path

from monitor.decode import Decoder
from monitor.engine import PostureEngine
from monitor.pipeline import Pipeline
from monitor.profiles import Registry
from monitor.run.stream import Stream
from monitor.sessions import open_recording
from monitor.sessions.writer import RecordingWriter, base_header
from monitor.sources.ble import LinkSettings, SensorLink
from monitor.sources.live import BleHub, LiveSource
from monitor.virtual.bleak_backend import BumbleClient, BumbleScanner
from monitor.virtual.fleet import make_sensor, simulated_blocks


def bench(drops: int, profile_id: str, rate_hz: float, path: Path) -> None:
    p = Registry.load().get(profile_id)
    hub = BleHub()
    sensor = make_sensor(p, 0, simulated_blocks(1, rate_hz))
    hub.call(sensor.start())
    link = SensorLink(sensor.name, p, rate_hz=rate_hz, scanner_backend=BumbleScanner,
                      client_backend=BumbleClient, settings=LinkSettings(backoff_min_s=0.05))
    rec = RecordingWriter(path, base_header(profile=p.id, sample_rate_hz=rate_hz))
    pipeline = Pipeline(Decoder(p, rate_hz), PostureEngine(rate_hz), [], rate_hz)
    stream = Stream(LiveSource(hub, link, rate_hz), pipeline, rec)

    async def force() -> None:
        for i in range(drops + 1):
            while not (link.status.connects > i and link.status.state == "streaming" and sensor.streaming):
                await asyncio.sleep(0.01)
            start = link.status.frames
            while link.status.frames < start + 10:
                await asyncio.sleep(0.01)
            if i < drops:
                await sensor.drop_link()

    t0 = time.perf_counter()
    job = hub.spawn(force())
    stop = threading.Event()
    stream.consume(stop, lambda _t: stop.set() if job.done() else None)
    wall = time.perf_counter() - t0
    stream.close()
    hub.call(sensor.stop())
    hub.close()
    report(p.id, rate_hz, wall, link, sensor.sent_frames, pipeline.decoder.counts(), path)


def report(pid: str, rate_hz: float, wall: float, link: SensorLink, sent: int, counts: dict[str, int],
           path: Path) -> None:
    s = link.status
    recorded = len(open_recording(path).frames())
    decoded = counts["frames_ok"] + sum(v for k, v in counts.items() if k.startswith("dropped_"))
    r = sorted(s.reconnect_s)
    print(f"{pid} at {rate_hz:g} Hz: {s.drops} forced disconnects in {wall:.1f} s, {s.connects} connects")
    print(f"reconnect s: median {statistics.median(r):.3f}, p95 {r[int(0.95 * (len(r) - 1))]:.3f}, "
          f"max {r[-1]:.3f}")
    print(f"frames: sent {sent}, received {s.frames}, recorded {recorded}, "
          f"decoded {decoded} ({counts['frames_ok']} ok); lost after receipt: {s.frames - recorded}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--drops", type=int, default=100)
    ap.add_argument("--profile", default="witmotion-wt901ble")
    ap.add_argument("--rate", type=float, default=50.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        bench(args.drops, args.profile, args.rate, Path(d) / "drops.pmrec")


if __name__ == "__main__":
    main()
