"""Every profile against random and mutated frames (never fatal, always accounted) and a
round trip through the generic encoder (decode inverts encode to within one quantum)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.decode.frames import FrameDecoder
from monitor.decode.layout import encode_frames
from monitor.profiles import Profile, Registry
from monitor.samples import Frames, concat

PROFILES = list(Registry.load())
FUZZ_FRAMES = 0


def valid_frames(p: Profile, n_frames: int, rng: np.random.Generator,
                 sent: dict[str, np.ndarray] | None = None) -> list[tuple[str, bytes]]:
    """Frames of every stream holding random in-range values (also returned in `sent`)."""
    out = []
    for spec in p.streams:
        per = spec.samples_per_frame or 3
        values = {f.name: rng.uniform(-0.9, 0.9, n_frames * per) *
                  (p.acc_range_g if f.name.startswith("acc") else p.gyro_range_dps) for f in spec.fields}
        if sent is not None:
            sent.update(values)
        out += [(spec.characteristic, f) for f in encode_frames(spec, values, per)]
    return out


def mutate(data: bytes, rng: np.random.Generator) -> bytes:
    b = bytearray(data)
    choice = rng.integers(4)
    if choice == 0 and b:
        b[rng.integers(len(b))] ^= 1 << int(rng.integers(8))
    elif choice == 1:
        b = b[:rng.integers(len(b) + 1)]
    elif choice == 2:
        b += rng.bytes(int(rng.integers(1, 8)))
    else:
        b = bytearray(rng.bytes(len(b)))
    return bytes(b)


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.id)
@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_random_and_mutated_frames_are_never_fatal(profile: Profile, seed: int) -> None:
    global FUZZ_FRAMES
    rng = np.random.default_rng(seed)
    frames = [(c, mutate(d, rng) if rng.random() < 0.7 else d) for c, d in valid_frames(profile, 4, rng)]
    chars = [s.characteristic for s in profile.streams]
    frames += [(chars[int(rng.integers(len(chars)))], rng.bytes(int(rng.integers(0, 64)))) for _ in range(8)]
    dec = FrameDecoder(profile)
    block = dec.decode(Frames(np.arange(len(frames)) * 0.02, [c for c, _ in frames], [d for _, d in frames]))
    FUZZ_FRAMES += len(frames)
    counts = dec.counts()
    if not any(s.reassemble for s in profile.streams):
        assert sum(counts.values()) == len(frames)
    if block is not None:
        assert np.all(np.isfinite(block.acc_g)) and np.all(np.abs(block.acc_g) <= 1.1 * profile.acc_range_g)


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.id)
def test_encode_then_decode_recovers_the_samples(profile: Profile) -> None:
    sent: dict[str, np.ndarray] = {}
    acc_streams = [s for s in profile.streams if "acc" in s.provides]
    only_acc = replace(profile, streams=tuple(acc_streams))
    acc_only = valid_frames(only_acc, 20, np.random.default_rng(1), sent)
    dec = FrameDecoder(profile)
    blocks = [dec.decode(Frames(np.arange(len(acc_only)) * 0.1, [c for c, _ in acc_only],
                                [d for _, d in acc_only])), dec.flush()]  # frames held as late come out here
    block = concat([b for b in blocks if b is not None])
    assert dec.dropped.total() == 0
    want = np.stack([sent[f"acc_{a}"] for a in "xyz"], axis=1)
    quantum = max(f.scale for s in profile.streams for f in s.fields if f.name.startswith("acc"))
    tol = quantum / 2 + 1e-6 * profile.acc_range_g  # rounding to the integer grid; float32 precision
    assert block.acc_g.shape == want.shape and np.max(np.abs(block.acc_g - want)) <= tol
