"""Sensor timestamps and frame counters: captured frames decoded by hand, wrap-around, lost frames,
restarted sensors, profile validation, and virtual sensors that stamp their frames."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from monitor.decode.frames import FrameDecoder
from monitor.decode.layout import encode_frames
from monitor.decode.stamps import StampedClock
from monitor.decode.stream import Decoder, GapCounter
from monitor.errors import ProfileError
from monitor.profiles import Profile, Registry, load_profile
from monitor.profiles.loader import build
from monitor.samples import Frames, SampleBlock, concat
from monitor.virtual.sensor import VirtualSensor

REG = Registry.load()
MOVESENSE = REG.get("movesense-imu6")
POLAR = REG.get("polar-h10-acc")
ACC_1G = "0000000000000000" "0ae81c41"  # acc (0, 0, 9.80665 m/s^2)
GYRO_0 = "00" * 12

COUNTER_TOML = """id = "counted"
name = "A sensor with a u8 frame counter"
version = 1
[discovery]
name_patterns = ["Counted*"]
[gatt]
service = "0000aaaa-0000-1000-8000-00805f9b34fb"
[[streams]]
characteristic = "0000aaab-0000-1000-8000-00805f9b34fb"
frame_bytes = 7
header_bytes = 1
sample_bytes = 6
counter = { offset = 0, type = "u8" }
fields = [
  { name = "acc_x", offset = 0, type = "i16", scale = 0.001 },
  { name = "acc_y", offset = 2, type = "i16", scale = 0.001 },
  { name = "acc_z", offset = 4, type = "i16", scale = 0.001 },
]
[rate]
supported_hz = [50]
default_hz = 50
"""


def decode(p: Profile, arrival: np.ndarray, frames: list[bytes], rate_hz: float | None = None) -> SampleBlock:
    dec = Decoder(p, rate_hz)
    ch = p.streams[0].characteristic
    blocks = [dec.decode(Frames(np.asarray(arrival, np.float64), [ch] * len(frames), frames)), dec.flush()]
    return concat([b for b in blocks if b is not None])


def test_movesense_timestamp_times_the_first_sample() -> None:
    """02 63 | a0 86 01 00 = 100000 ms | 2 x acc | 2 x gyro, then 02 63 | c6 86 01 00 = 100038 ms.
    The first frame anchors (its last sample at its arrival, 1.0 s; nominal 1/52 s spacing); the
    second starts 38 ms of sensor time after the first, and its two samples are 38 / 2 = 19 ms apart."""
    body = ACC_1G * 2 + GYRO_0 * 2
    frames = [bytes.fromhex("0263a0860100" + body), bytes.fromhex("0263c6860100" + body)]
    t = decode(MOVESENSE, np.array([1.0, 1.05]), frames, 52).t_s
    assert t[1] == pytest.approx(1.0) and t[1] - t[0] == pytest.approx(1 / 52)
    assert t[2] - t[0] == pytest.approx(0.038) and t[3] - t[2] == pytest.approx(0.019)


def test_polar_timestamp_times_the_last_sample() -> None:
    """02 | 00 80 75 8c 53 13 50 08 = 599000000000000000 ns | 01 | 2 samples, then the same with
    00 da d7 8e 53 13 50 08 = 40 ms later. Last-sample stamps: the second frame's samples are at
    +20 and +40 ms of the first frame's last, spaced 40 / 2 = 20 ms."""
    samples = "f4ff0500eb03" "f6ff0400e603"
    frames = [bytes.fromhex("020080758c5313500801" + samples), bytes.fromhex("0200dad78e5313500801" + samples)]
    t = decode(POLAR, np.array([3.0, 3.07]), frames, 50).t_s
    assert t[1] == pytest.approx(3.0)
    assert np.allclose(np.diff(t), 0.02)


def movesense_frames(t_s: np.ndarray) -> list[bytes]:
    """One-sample Movesense frames stamped (ms) at t_s, as the virtual sensor makes them."""
    n = len(t_s)
    block = SampleBlock(np.asarray(t_s, np.float64), np.tile([0.0, 0.0, 1.0], (n, 1)), np.zeros((n, 3)), 52.0)
    return [f for _, f in VirtualSensor(MOVESENSE, iter([]))._frames(block)]


def gaps(t_s: np.ndarray, rate_hz: float) -> GapCounter:
    g = GapCounter(rate_hz)
    g.update(t_s)
    return g


def test_stamps_decide_gaps_not_arrivals() -> None:
    """A 4 s stall with every frame then in one burst: no gap. 2 s of frames never sent: one 2 s gap,
    though the arrivals after it come as steadily as before."""
    t_true = np.arange(1000) / 52
    frames = movesense_frames(t_true)
    arrival = t_true + 0.02 + np.random.default_rng(0).uniform(-0.3, 0.3, 1000) / 52
    burst = arrival.copy()
    burst[300:500] = arrival[500] + np.arange(200) * 1e-4
    steady = decode(MOVESENSE, arrival, frames, 52).t_s
    late = decode(MOVESENSE, burst, frames, 52).t_s
    assert gaps(late, 52).count == 0 and np.max(np.abs(late - steady)) < 1 / 52
    keep = np.r_[0:400, 504:1000]  # 104 frames = 2 s never arrive
    lost = decode(MOVESENSE, arrival[keep] - np.where(keep >= 504, 2.0, 0.0), [frames[i] for i in keep], 52)
    g = gaps(lost.t_s, 52)
    assert g.count == 1 and abs(g.missing_s - 2.0) < 0.03


def test_a_timestamp_wraps_around_without_a_gap() -> None:
    """u32 ms: ff ff ff fa (4294967290) then 20 ms later 0e 00 00 00 (14): one step of 20 ms."""
    spec = MOVESENSE.streams[0]
    values = {f.name: np.zeros(2) for f in spec.fields}
    frames = encode_frames(spec, values, 1, [4294967290, 4294967290 + 20])
    assert frames[1][2:6].hex() == "0e000000"
    t = decode(MOVESENSE, np.array([1.0, 1.02]), frames, 50).t_s
    assert t[1] - t[0] == pytest.approx(0.02)


@pytest.mark.parametrize("jump_ms", [-5000, 3_600_000, 0])
def test_a_restarted_sensor_re_anchors_on_the_arrivals(jump_ms: int) -> None:
    """The stamp goes backwards, leaps an hour in 20 ms of arrivals, or repeats: the sensor restarted.
    Times carry on from the arrival, never backwards, and nothing raises."""
    spec = MOVESENSE.streams[0]
    ms = [10_000 + 20 * k for k in range(100)]
    ms = ms[:50] + [m + jump_ms - 20 * 50 * (jump_ms == 0) for m in ms[50:]]
    frames = encode_frames(spec, {f.name: np.zeros(100) for f in spec.fields}, 1, ms)
    arrival = 1.0 + np.arange(100) * 0.02
    clock = StampedClock(spec.stamp, 50.0)  # type: ignore[arg-type]
    t = clock.push(arrival, 1, [spec.stamp.read(f) for f in frames])  # type: ignore[union-attr]
    assert clock.restarts == 1 and np.all(np.diff(t) > 0)
    assert np.max(np.abs(t - arrival)) < 0.05


def counted() -> Profile:
    return build(tomllib.loads(COUNTER_TOML), Path("counted.toml"))


def test_a_frame_counter_wraps_and_counts_lost_frames() -> None:
    """u8 counter 0xfa..: 300 frames wrap it once (no gap); a skipped count is one lost frame; a
    silence of 10 s (longer than the 256 / 50 Hz = 5.12 s wrap) is recovered from the arrivals."""
    p = counted()
    spec = p.streams[0]
    count = np.r_[250:550, 551:600, 1100:1200]  # 1 frame lost, then 500 frames = 10 s
    frames = encode_frames(spec, {f.name: np.zeros(len(count)) for f in spec.fields}, 1, count.tolist())
    assert frames[5][0] == 255 and frames[6][0] == 0  # it wraps
    arrival = count / 50 + 0.01
    g = gaps(decode(p, arrival, frames).t_s, 50)
    assert g.count == 2 and abs(g.missing_s - (0.02 + 10.0)) < 1e-6


@pytest.mark.parametrize(("old", "new", "key", "words"), [
    ('offset = 2, type = "u32"', 'offset = 4, type = "u32"', "streams[0].timestamp.offset",
     "a u32 timestamp there lies beyond the 6-byte frame header"),
    ('offset = 2, type = "u32"', 'offset = 0, type = "u32"', "streams[0].timestamp.offset",
     "overlaps the match bytes at 0"),
    ("unit_s = 0.001", "unit_s = 0", "streams[0].timestamp.unit_s", "must be at least"),
    ('stamps = "first"', 'stamps = "middle"', "streams[0].timestamp.stamps", "must be one of first, last"),
    ('type = "u32", unit_s', 'type = "i32", unit_s', "streams[0].timestamp.type", "must be one of u8"),
])
def test_stamp_declarations_are_validated(tmp_path: Path, old: str, new: str, key: str, words: str) -> None:
    text = MOVESENSE.path.read_text()
    assert old in text
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ProfileError, match=words) as e:
        load_profile(path)
    assert e.value.key == key


def test_a_stream_has_a_timestamp_or_a_counter_not_both(tmp_path: Path) -> None:
    counter = 'stamps = "first" }\ncounter = { offset = 0, type = "u8" }'
    text = MOVESENSE.path.read_text().replace('stamps = "first" }', counter)
    path = tmp_path / "both.toml"
    path.write_text(text)
    with pytest.raises(ProfileError, match="not both"):
        load_profile(path)


def test_virtual_sensors_stamp_their_frames() -> None:
    """Samples at 5.0 and 5.02 s: Movesense frames carry 88 13 00 00 (5000 ms) and 9c 13 00 00
    (5020 ms) after 02 63; Polar frames 00 f2 05 2a 01 00 00 00 (5000000000 ns) after 02."""
    block = SampleBlock(np.array([5.0, 5.02]), np.tile([0.0, 0.0, 1.0], (2, 1)), np.zeros((2, 3)), 50.0)
    ms = [f for _, f in VirtualSensor(MOVESENSE, iter([]))._frames(block)]
    assert [f[:6].hex() for f in ms] == ["026388130000", "02639c130000"]
    polar = [f for _, f in VirtualSensor(POLAR, iter([]))._frames(block)]
    assert polar[0][:10].hex() == "0200f2052a0100000001"
    dec = FrameDecoder(POLAR, 50.0)
    out = dec.decode(Frames(np.array([7.0, 7.1]), [POLAR.streams[0].characteristic] * 2, polar))
    assert out is not None and out.t_s[1] - out.t_s[0] == pytest.approx(0.02)  # from the stamps, not arrivals
