"""Noticing a stream whose frames all fail to decode: the profile does not fit the frames (a replay
with another sensor's --profile, a live sensor in another mode or with a broken profile). The decoder
drops such frames one by one, as it should for a few malformed ones; when it has decoded none at all,
the run says so in one line naming the profile and the drop reasons instead of ending as a silent
success. A live run stops after ALL_DROPPED_FRAMES frames over ALL_DROPPED_S stream seconds (what was
recorded is kept: the run closes as on any stop); a replay also at its end, however few frames it had."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from monitor.decode.frames import REASONS, FrameDecoder
from monitor.errors import DeviceError, InputError, MonitorError
from monitor.run.spec import BleSpec, ReplaySpec, RunSpec
from monitor.samples import Frames
from monitor.sources.recorded import ReplaySource

ALL_DROPPED_FRAMES = 200
ALL_DROPPED_S = 5.0
WHY = {"length": "of a length the profile does not expect",
       "header": "whose identifying bytes do not match",
       "range": "with values outside the sensor's range",
       "characteristic": "on a characteristic the profile does not read"}


@dataclass
class DecodeWatch:
    """Watches one stream's frame decoder; `fail(message)` is the error the run ends with."""

    decoder: FrameDecoder
    fail: Callable[[str], MonitorError]
    at_end: bool  # also judge when the source ends (a replay), not only after the thresholds
    hint: str = ""
    first_t_s: float | None = None

    def dropped(self) -> int:
        return sum(self.decoder.dropped[r] for r in REASONS)

    def after(self, frames: Frames) -> None:
        """After each item: stop once enough frames over enough stream time all failed."""
        if not len(frames):
            return
        if self.first_t_s is None:
            self.first_t_s = float(frames.t_s[0])
        if self.decoder.frames_ok or self.dropped() < ALL_DROPPED_FRAMES:
            return
        if float(frames.t_s[-1]) - self.first_t_s >= ALL_DROPPED_S:
            raise self.fail(self.message())

    def ended(self) -> None:
        """The source ended: a replay whose every frame failed is an error."""
        if self.at_end and not self.decoder.frames_ok and self.dropped():
            raise self.fail(self.message())

    def message(self) -> str:
        reasons = ", ".join(f"{self.decoder.dropped[r]} {WHY[r]}" for r in REASONS if self.decoder.dropped[r])
        return (f"profile {self.decoder.profile.id} decoded none of {self.dropped()} frames "
                f"(dropped: {reasons}){self.hint}")


def decode_watch(spec: RunSpec, decoder: FrameDecoder | None, src: object) -> DecodeWatch | None:
    """The watch for a stream of raw frames (None for sample blocks): a replay's ends in an InputError
    (exit 2), a live sensor's in a DeviceError naming it (exit 3)."""
    if decoder is None:
        return None
    if isinstance(spec.source, ReplaySpec) and isinstance(src, ReplaySource):
        named = src.rec.header.get("profile")
        hint = (f"; the recording names {named}" if named and named != decoder.profile.id else
                "; give the profile of the sensor that recorded it with --profile ID")
        path = spec.source.path
        return DecodeWatch(decoder, lambda m: InputError(f"replay {path}: {m}"), True, hint)
    if isinstance(spec.source, BleSpec):
        name = str(getattr(src, "name", "sensor"))
        hint = "; is it this sensor's profile (--profile ID), or is the sensor in another mode?"
        return DecodeWatch(decoder, lambda m: DeviceError(name, f"stopped: {m}"), False, hint)
    return None
