"""Crash safety: a writer killed with SIGKILL loses nothing it flushed, and flushes every half second
(checked in the writer's own timeline, so a busy machine cannot make it pass or fail)."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from monitor.sessions import open_recording

CHILD = """
import sys, time
from monitor.sessions import RecordingWriter
from monitor.sessions.writer import base_header
w = RecordingWriter(sys.argv[1], base_header(sample_rate_hz=200.0), flush_interval_s=0.5)
t0 = time.monotonic()
print("start", 0, flush=True)
i = 0
while True:
    w.add_frame(time.monotonic() - t0, "0000ffe4", i.to_bytes(4, "little") * 5)
    if not w._pending:
        print(i + 1, time.monotonic() - t0, flush=True)
    i += 1
    time.sleep(0.002)
"""


def _run_and_kill(path: Path, kill_after_s: float) -> tuple[int, float]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE,
                             text=True, env=env)
    assert child.stdout is not None and child.stdout.readline().startswith("start")
    time.sleep(kill_after_s)
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate()
    lines = [ln.split() for ln in out.splitlines() if ln.strip()]
    return int(lines[-1][0]), float(lines[-1][1])


def test_sigkill_keeps_every_flushed_frame(tmp_path: Path) -> None:
    for k, kill_after in enumerate((1.3, 2.17, 3.05)):
        path = tmp_path / f"kill{k}.pmrec"
        flushed, _ = _run_and_kill(path, kill_after)
        log = open_recording(path).frames()
        counters = [int.from_bytes(p[:4], "little") for p in log.payloads()]
        assert len(counters) >= flushed
        assert counters == list(range(len(counters)))  # in order, none missing
        assert all(p == p[:4] * 5 for p in log.payloads())
        assert_flushed_every(open_recording(path).frame_parts, 0.5)


def assert_flushed_every(parts: list[tuple[np.ndarray, ...]], interval_s: float) -> None:
    """Each record after the first ends with the first frame that arrived `interval_s` or more after
    the last frame of the record before it (the frame that triggered the flush)."""
    for before, record in itertools.pairwise(parts):
        last_s, t_s = float(before[0][-1]), record[0]
        assert t_s[-1] - last_s >= interval_s, (last_s, t_s[-1])
        assert np.all(t_s[:-1] - last_s < interval_s), (last_s, t_s)
