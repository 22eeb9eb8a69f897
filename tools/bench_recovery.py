"""How much of a damaged recording comes back: FILE with N random bytes replaced (after its header,
seeded), read, and the seconds of samples kept against the intact file's.

    PYTHONPATH=. python3 tools/bench_recovery.py day.pmrec [--bytes 100] [--seed 0]
(make FILE with `posture-monitor simulate --hours 2 --out day.pmrec`)."""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from monitor.sessions import open_recording
from monitor.sessions.recovery import lost_text


def kept_s(path: Path) -> tuple[float, int, float]:
    """Seconds of samples a read gives back, its damaged spans, and how long the read took."""
    start = time.perf_counter()
    rec = open_recording(path)
    n = sum(s.n for s in rec.stored)
    took = time.perf_counter() - start
    rate = rec.stored[0].rate_hz if rec.stored else 1.0
    return n / rate, len(rec.damaged), took


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("file", type=Path)
    p.add_argument("--bytes", type=int, default=100)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    raw = bytearray(args.file.read_bytes())
    rec = open_recording(args.file)
    body = rec.records[0][0]
    full_s, _, _ = kept_s(args.file)
    rng = np.random.default_rng(args.seed)
    for at in rng.choice(np.arange(body, len(raw)), args.bytes, replace=False).tolist():
        raw[at] = (raw[at] + int(rng.integers(1, 256))) % 256  # always a different value
    with tempfile.TemporaryDirectory() as tmp:
        bad = Path(tmp) / "damaged.pmrec"
        bad.write_bytes(bytes(raw))
        got_s, spans, took = kept_s(bad)
        estimate = lost_text(open_recording(bad).damaged)
    print(f"{args.file}: {len(raw) / 1e6:.1f} MB, {full_s:.1f} s of samples; {args.bytes} bytes replaced "
          f"(seed {args.seed}): kept {got_s:.1f} s ({100 * got_s / full_s:.2f} %), {spans} damaged spans, "
          f"{estimate} lost by the reader's estimate, read in {took:.2f} s")


if __name__ == "__main__":
    main()
