"""decode -> engine -> coach -> events -> sinks for one stream, with counts for the end-of-run summary.
Built complete by `monitor.run.build` (nothing changes it afterwards); fed items by its stream."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from monitor.coach.actions import Actions
from monitor.coach.coach import Coach
from monitor.decode import Decoder, GapCounter
from monitor.engine.engine import PostureEngine
from monitor.events import Event
from monitor.samples import SampleBlock, SourceItem


class Sink(Protocol):
    """Sees every event; may also have `tick(t_s)`, called after each item with the stream time."""

    def handle(self, event: Event) -> None: ...

    def close(self, summary: dict[str, Any]) -> None: ...


Tap = Callable[[SampleBlock], None]


def known_s(ev: Event) -> float:
    """When an event became known: a transition is dated to its movement but known when judged."""
    return max(ev.t_s, float(getattr(ev, "emitted_s", 0.0)))


def in_time_order(engine: list[Event], coach: list[Event]) -> list[Event]:
    """Engine and coach events merged by when each became known (engine first on a tie), so the
    stream of events is the same however the samples were chunked."""
    return sorted([*engine, *coach], key=known_s)  # stable: each list is already in order


@dataclass
class Pipeline:
    """Feeds items through decode and the engine, the coach after it, and fans events out to sinks."""

    decoder: Decoder
    engine: PostureEngine | None
    sinks: list[Sink]
    rate_hz: float
    coach: Coach | None = None  # turns engine events into prompts and nudges, same sinks
    actions: Actions | None = None  # the user's requests (MQTT commands), applied before each item
    taps: list[Tap] = field(default_factory=list)  # also see each decoded block (guided calibration)
    extra: Callable[[], dict[str, Any]] | None = None  # more summary fields (a live link's figures)
    samples: int = 0
    first_t_s: float | None = None
    last_t_s: float = 0.0
    counts: Counter[str] = field(default_factory=Counter)
    gaps: GapCounter | None = None
    closed: bool = False

    def feed(self, item: SourceItem) -> list[Event]:
        if self.actions is not None:
            self.dispatch(self.actions.apply(self.last_t_s))
        return self.process(self.decoder.decode(item))

    def process(self, block: SampleBlock | None) -> list[Event]:
        """A decoded block through the engine and coach to the sinks."""
        if block is None or len(block) == 0:
            return []
        self._account(block)
        for tap in self.taps:
            tap(block)
        events = self.engine.update(block) if self.engine else []
        if self.coach is not None:
            events = in_time_order(events, self.coach.update(events, self.last_t_s))
        self.dispatch(events)
        for sink in self.sinks:
            tick = getattr(sink, "tick", None)
            if tick is not None:
                tick(self.last_t_s)
        return events

    def dispatch(self, events: list[Event]) -> None:
        """Count events and hand them to every sink (also used for the user's coach actions)."""
        for ev in events:
            self.counts[ev.kind] += 1
            for sink in self.sinks:
                sink.handle(ev)

    def _account(self, block: SampleBlock) -> None:
        if self.gaps is None:
            self.gaps = GapCounter(self.rate_hz)
        self.gaps.update(block.t_s)
        self.samples += len(block)
        if self.first_t_s is None:
            self.first_t_s = float(block.t_s[0])
        self.last_t_s = float(block.t_s[-1])

    def run(self, items: Iterable[SourceItem]) -> dict[str, Any]:
        for item in items:
            self.feed(item)
        return self.close()

    def finish(self) -> list[Event]:
        """End of stream: what the decoder still held goes through (decided on the evidence so far)."""
        return self.process(self.decoder.flush())

    def close(self) -> dict[str, Any]:
        """Finish the stream and close every sink once, with the summary."""
        if not self.closed:
            self.closed = True
            self.finish()
            summary = self.summary()
            for sink in self.sinks:
                sink.close(summary)
        return self.summary()

    def summary(self) -> dict[str, Any]:
        gaps = self.gaps or GapCounter(self.rate_hz)
        out: dict[str, Any] = {
            "samples": self.samples,
            "duration_s": round(self.last_t_s - (self.first_t_s or 0.0), 3),
            "gaps": gaps.count, "missing_s": round(gaps.missing_s, 3),
            "events": dict(sorted(self.counts.items())),
        }
        frames = self.decoder.counts()
        if frames:
            out["frames"] = frames
        if self.engine is not None:
            out.update(self.engine.summary())
        if self.extra is not None:
            out.update(self.extra())
        return out
