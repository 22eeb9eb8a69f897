"""Replay and demo sources: live-sized chunks, pacing, and identical data at any speed."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from monitor.cli.main import main
from monitor.samples import SampleBlock, concat
from monitor.sessions import open_recording
from monitor.sim import SimulatedWearer
from monitor.sources.recorded import replay_items
from monitor.sources.simulated import simulated_items


def test_replay_chunks_like_live_and_paces(tmp_path: Path, isolated_home: Path) -> None:
    path = tmp_path / "r.pmrec"
    assert main(["simulate", "--hours", str(20 / 3600), "--rate", "50", "--out", str(path)]) == 0
    rec = open_recording(path)
    start = time.monotonic()
    live = [b for b in replay_items(rec, speed=10.0) if isinstance(b, SampleBlock)]
    elapsed = time.monotonic() - start
    assert max(len(b) for b in live) == 5  # 0.1 s of samples at 50 Hz
    assert elapsed >= (live[-1].t_s[-1] - live[0].t_s[-1]) / 10 - 0.05
    fast = [b for b in replay_items(rec, speed=None) if isinstance(b, SampleBlock)]
    assert concat(live).same_as(concat(fast))


def test_simulated_source_is_the_wearer() -> None:
    items = list(simulated_items(SimulatedWearer(seed=1, rate_hz=50), 60.0, None))
    direct = concat([c.block for c in SimulatedWearer(seed=1, rate_hz=50).run(60.0)])
    assert concat(items).same_as(direct)
    assert np.all(direct.t_s < 60.0)
