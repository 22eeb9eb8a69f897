"""A stream whose frames all fail to decode ends in one error naming the profile and the reasons: a
live run after ALL_DROPPED_FRAMES frames over ALL_DROPPED_S stream seconds (its recording kept), a
replay also at its end; one decoded frame and it never does (issue 19 part 2)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from monitor.decode import Decoder
from monitor.errors import DeviceError, InputError
from monitor.pipeline import Pipeline
from monitor.profiles import Registry
from monitor.run.decoded import ALL_DROPPED_FRAMES, ALL_DROPPED_S, DecodeWatch
from monitor.run.stream import Stream
from monitor.samples import Frames
from monitor.sessions import RecordingWriter, open_recording
from monitor.sessions.writer import base_header

PROFILE = Registry.load().get("nordic-thingy52")
RATE_HZ = 50.0


def wrong_frames(n: int, t0_s: float = 0.0) -> Frames:
    """`n` notifications on a characteristic the profile does not read, RATE_HZ apart."""
    return Frames(t0_s + np.arange(n) / RATE_HZ, ["0000aaaa-0000-1000-8000-00805f9a34fb"] * n, [b"\x01" * 20] * n)


def good_frames(n: int, t0_s: float) -> Frames:
    from monitor.decode.layout import encode_frames

    spec = PROFILE.streams[0]
    values = {f.name: np.zeros(n) for f in spec.fields} | {"acc_z": np.ones(n)}
    return Frames(t0_s + np.arange(n) / RATE_HZ, [spec.characteristic] * n, list(encode_frames(spec, values, 1)))


def live_watch(decoder: Decoder) -> DecodeWatch:
    assert decoder.frames is not None
    return DecodeWatch(decoder.frames, lambda m: DeviceError("AA:BB", f"stopped: {m}"), at_end=False)


@pytest.mark.parametrize("frames, seconds, stops", [
    (ALL_DROPPED_FRAMES, ALL_DROPPED_S + 1, True),
    (ALL_DROPPED_FRAMES - 1, ALL_DROPPED_S + 10, False),  # too few frames to judge
    (ALL_DROPPED_FRAMES * 3, ALL_DROPPED_S / 2, False),  # a burst: too short to judge
])
def test_a_live_stream_stops_only_after_enough_frames_over_enough_time(frames: int, seconds: float,
                                                                        stops: bool) -> None:
    decoder = Decoder(PROFILE, RATE_HZ)
    watch = live_watch(decoder)
    t = np.linspace(0.0, seconds, frames)
    for i in range(0, frames, 10):
        item = Frames(t[i:i + 10], ["0000aaaa-0000-1000-8000-00805f9a34fb"] * len(t[i:i + 10]),
                      [b"\x01" * 20] * len(t[i:i + 10]))
        decoder.decode(item)
        if stops and i + 10 >= frames:
            with pytest.raises(DeviceError, match=f"profile {PROFILE.id} decoded none of {frames} frames"):
                watch.after(item)
            return
        watch.after(item)
    watch.ended()  # a live run is judged on the thresholds alone


def test_one_decoded_frame_and_the_stream_is_never_stopped() -> None:
    decoder = Decoder(PROFILE, RATE_HZ)
    watch = live_watch(decoder)
    decoder.decode(good_frames(1, 0.0))
    bad = wrong_frames(ALL_DROPPED_FRAMES * 5, 0.1)
    decoder.decode(bad)
    watch.after(bad)


class Feed:
    """A live-like source: the given items, then the end."""

    name, rate_hz, profile, epoch_utc_s = "AA:BB", RATE_HZ, PROFILE, 0.0

    def __init__(self, items: list[Frames]) -> None:
        self.list = items

    def items(self, stop: threading.Event) -> Iterator[Frames]:
        yield from self.list

    def close(self) -> None:
        pass


def test_a_stopped_live_stream_keeps_every_frame_it_recorded(tmp_path: Path) -> None:
    decoder = Decoder(PROFILE, RATE_HZ)
    path = tmp_path / "live.pmrec"
    recorder = RecordingWriter(path, base_header(profile=PROFILE.id, sample_rate_hz=RATE_HZ))
    items = [wrong_frames(10, i * 10 / RATE_HZ) for i in range(100)]  # 1000 frames over 20 s
    stream = Stream(Feed(items), Pipeline(decoder, None, [], RATE_HZ), recorder,  # type: ignore[arg-type]
                    watch=live_watch(decoder))
    with pytest.raises(DeviceError, match="characteristic the profile does not read"):
        stream.consume(threading.Event())
    stream.close()
    seen = decoder.counts()["dropped_characteristic"]
    assert ALL_DROPPED_FRAMES <= seen < 1000 and len(open_recording(path).frames()) == seen


def test_a_replay_with_few_frames_is_judged_at_its_end() -> None:
    decoder = Decoder(PROFILE, RATE_HZ)
    assert decoder.frames is not None
    watch = DecodeWatch(decoder.frames, lambda m: InputError(f"replay x.pmrec: {m}"), at_end=True)
    item = wrong_frames(5)
    decoder.decode(item)
    watch.after(item)
    with pytest.raises(InputError, match="decoded none of 5 frames"):
        watch.ended()
