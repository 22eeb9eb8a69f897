"""Decode throughput per device profile (frames/s), in live-sized batches and in one replay-sized batch."""

from __future__ import annotations

import time

import numpy as np

from monitor.decode.frames import FrameDecoder
from monitor.decode.layout import encode_frames
from monitor.profiles import Registry
from monitor.samples import Frames


def frames_for(p, n: int) -> Frames:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    out: list[tuple[str, bytes]] = []
    for spec in p.streams:
        per = spec.samples_per_frame or 1
        vals = {f.name: rng.uniform(-0.5, 0.5, n * per) for f in spec.fields}
        out += [(spec.characteristic, f) for f in encode_frames(spec, vals, per)]
    return Frames(np.arange(len(out)) * 0.01, [c for c, _ in out], [d for _, d in out])


def main() -> None:
    for p in Registry.load():
        for batch in (10, 100_000):
            fr = frames_for(p, batch)
            dec = FrameDecoder(p)
            reps = max(1, 200_000 // len(fr))
            t0 = time.perf_counter()
            for _ in range(reps):
                dec.decode(fr)
            rate = reps * len(fr) / (time.perf_counter() - t0)
            print(f"{p.id:<24} batch {len(fr):>7} frames: {rate / 1e3:8.0f} k frames/s")


if __name__ == "__main__":
    main()
