"""The live path on one time base: late frames are not lost frames, a real loss is one gap of its length,
a slow consumer costs nothing, and a recording of all that replays as the live run. A virtual sensor on
the bumble link is paced by its own loop; every fault is placed and every check made in sample time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from monitor.decode import Decoder, GapCounter
from monitor.decode.clock import ClockSettings
from monitor.engine import PostureEngine
from monitor.events import Event
from monitor.pipeline import Pipeline
from monitor.sessions import open_recording
from monitor.sessions.writer import RecordingWriter, base_header
from monitor.sim.calibration import demo_calibration
from monitor.sources.recorded import replay_items
from tests.live_rig import REG, Rig, rig

WT, RATE, SPEED, SEED = "witmotion-wt901ble", 10.0, 10.0, 5  # the WT901 streams 10 Hz by default
UNTIL_S = 150.0  # sample seconds of the wearer's day each run covers


def relative(r: Rig) -> list[tuple[str, float]]:
    """Engine events as (kind, seconds after the first sample): the link's set-up time is not the wearer's."""
    first = r.stream.pipeline.first_t_s or 0.0
    return [(e.kind, round(e.t_s - first, 2)) for e in r.sink.events]


def run_day(faults: dict[float, object] | None = None, recorder: RecordingWriter | None = None,
            slow_consumer_s: dict[float, float] | None = None, speed: float = SPEED,
            until_s: float = UNTIL_S) -> Rig:
    r = rig(WT, SEED, RATE, speed, recorder)
    at = {when: r.on_sensor(act) for when, act in (faults or {}).items()}  # type: ignore[arg-type]
    for when, pause_s in (slow_consumer_s or {}).items():
        at[when] = lambda s=pause_s: time.sleep(s)  # the consumer is busy; the Bluetooth thread is not
    try:
        r.run_until(lambda: r.stream_s() >= until_s, at)
    finally:
        r.close()
    return r


@pytest.fixture(scope="module")
def reference() -> list[tuple[str, float]]:
    r = run_day()
    assert r.stream.pipeline.summary()["gaps"] == 0
    return relative(r)


def test_late_frames_and_a_busy_consumer_cost_no_samples(reference: list[tuple[str, float]],
                                                         tmp_path: Path) -> None:
    """The sensor holds its frames back 0.5, 1, 2 and 5 s (then delivers them in a burst), and the
    consumer stalls 2 s: no gap, and the same events at the same sample times as without any of it;
    the recording of the run replays to exactly the events the live run saw."""
    holds = {20.0: 0.5, 40.0: 1.0, 60.0: 2.0, 95.0: 5.0}  # sample second -> stream seconds held
    path = tmp_path / "late.pmrec"
    clock = ClockSettings().scaled(SPEED)
    rec = RecordingWriter(path, base_header(profile=WT, sample_rate_hz=RATE, clock=clock.to_dict()))
    r = run_day({t: (lambda s, h=h: s.hold(h / SPEED)) for t, h in holds.items()}, rec, {75.0: 2.0})
    summary = r.stream.pipeline.summary()
    assert summary["gaps"] == 0 and "gap" not in r.sink.kinds()
    live = relative(r)
    assert [k for k, _ in live] == [k for k, _ in reference]
    assert all(abs(a - b) <= 0.2 for (_, a), (_, b) in zip(live, reference, strict=True)), (live, reference)
    replayed = replay_events(path, clock)
    assert [(e.kind, e.t_s) for e in replayed] == [(e.kind, e.t_s) for e in r.sink.events]


@pytest.mark.parametrize("lost_s", [0.5, 2.0])
def test_a_real_loss_is_exactly_one_gap_of_its_length(lost_s: float) -> None:
    """Nearer real time (2.5 x): the clock's margins scale with a virtual sensor's speed, since its
    jitter is in wall seconds, so at 10 x a loss under 1.5 s is indistinguishable from jitter."""
    r = run_day({20.0: lambda s: s.lose(lost_s)}, speed=2.5, until_s=40.0)
    gaps = [e for e in r.sink.events if e.kind == "gap"]
    assert len(gaps) == 1 and r.sensor.lost_frames == round(lost_s * RATE)
    counter: GapCounter | None = r.stream.pipeline.gaps
    assert counter is not None and counter.count == 1
    assert counter.missing_s == pytest.approx(lost_s, abs=0.1)


def replay_events(path: Path, clock: ClockSettings) -> list[Event]:
    """The recording through the same decoder settings and engine, as `replay` builds them."""
    from tests.live_rig import Collect

    rec = open_recording(path)
    sink = Collect()
    pipeline = Pipeline(Decoder(REG.get(WT), RATE, ClockSettings.from_dict(rec.header["clock"])),
                        PostureEngine(RATE, demo_calibration(SEED, RATE)), [sink], RATE)
    assert rec.header["clock"] == clock.to_dict()
    pipeline.run(replay_items(rec, None))
    return sink.events
