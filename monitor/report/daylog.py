"""A day's report section from the statistics store: the day's totals and what its event log can give.
Postures run from each logged posture change to the next (the last to the day's last logged event; a
change whose `previous` is not the posture held means the stream stopped in between, so that time
is unknown), bouts and slouch episodes from their end events, and every logged event as a marker.
The store keeps no tilt, so the day page has no tilt panel."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from monitor.engine.engine import POSTURES
from monitor.errors import InputError
from monitor.events import Event, Transition
from monitor.events.coach import all_event_types
from monitor.events.types import TRANSITION_WORDS, describe, words
from monitor.report.timeline import Curve, Marker, Runs, Spans, Timeline
from monitor.sinks.stats import StatsStore

Logged = list[tuple[float, dict[str, Any]]]


def day_timeline(store: StatsStore, day: str, limit_s: float, threshold_deg: float) -> Timeline:
    """The section of local day `day` (ISO date); an error when the store has nothing for it."""
    logged = store.day_events(day)
    totals = {k: float(v) for k, v in store.day(day).items() if k != "day"}
    if not logged:
        raise InputError(f"--day {day}: no statistics for that day in {store.path}")
    start_s, end_s = logged[0][0], logged[-1][0]
    tl = Timeline(f"Statistics of {day}", start_s, max(end_s, start_s + 60.0), posture_runs(logged),
                  slouch_spans(logged), threshold_deg=threshold_deg, limit_s=limit_s, totals=totals)
    tl.bout_s = bout_curve(logged, tl.postures)
    tl.markers = [Marker(wall_s, str(body.get("type", "event")), text_of(body)) for wall_s, body in logged]
    tl.notes = ["From the statistics store's event log: postures last from each change to the next; the "
                "store keeps no pelvic tilt; each bout adds the sitting of those postures and ends at its "
                "logged length."]
    return tl


def posture_runs(logged: Logged) -> Runs:
    """Runs of the logged postures (unknown where a stream stopped)."""
    code = {p: i for i, p in enumerate(POSTURES)}
    starts, held, last_s, posture = [], [], None, "unknown"
    for wall_s, body in logged:
        if body.get("type") == "posture_changed":
            if body.get("previous", "unknown") != posture and last_s is not None:
                starts.append(last_s)  # the stream stopped after its last event: unknown until now
                held.append(code["unknown"])
            posture = str(body.get("posture", "unknown"))
            starts.append(wall_s)
            held.append(code.get(posture, code["unknown"]))
        last_s = wall_s
    if not starts:
        return Runs.empty(POSTURES)
    start = np.array(starts, np.float64)
    end = np.concatenate([start[1:], [max(logged[-1][0], start[-1])]])
    return Runs(start, end, np.array(held, np.int16), POSTURES)


def slouch_spans(logged: Logged) -> Spans:
    """Each ended slouch: its duration back from its end."""
    return Spans.of([(w - float(b.get("duration_s", 0.0)), w) for w, b in logged
                     if b.get("type") == "slouch_ended"])


def bout_curve(logged: Logged, runs: Runs) -> Curve:
    """The sitting bout over the day: in each logged bout (its start is in seconds of its own stream)
    the sitting of the posture runs, so that it ends at the bout's logged sitting time, then zero; a
    bout under way at the end of the log from its first sitting after the last one ended."""
    sat = runs.code == POSTURES.index("sitting")
    sitting = Spans(runs.start_s[sat], runs.end_s[sat])
    knots = np.union1d(runs.start_s, runs.end_s)
    t_out, v_out, last_end = [np.array([logged[0][0]])], [np.zeros(1)], -np.inf
    for wall_s, body in logged:
        if body.get("type") != "bout_ended":
            continue
        start = wall_s - (float(body.get("t", 0.0)) - float(body.get("started_s", 0.0)))
        at = np.concatenate([[start], knots[(knots > start) & (knots < wall_s)], [wall_s]])
        done = sitting.covered_s(np.array([wall_s]))[0] - sitting.covered_s(at)
        t_out += [at, np.array([wall_s])]
        v_out += [np.maximum(0.0, float(body.get("duration_s", 0.0)) - done), np.zeros(1)]
        last_end = wall_s
    later = sitting.start_s[sitting.start_s >= last_end]
    if len(later):
        at = np.concatenate([[later[0]], knots[knots > later[0]]])
        t_out.append(at)
        v_out.append(sitting.covered_s(at) - sitting.covered_s(at[:1]))
    return Curve(np.concatenate(t_out), np.concatenate(v_out))


def _event_classes() -> dict[str, type[Event]]:
    def subclasses(cls: type[Event]) -> list[type[Event]]:
        return [c for s in cls.__subclasses__() for c in (s, *subclasses(s))]

    return {c.type: c for c in subclasses(Event) if c.type != "event" and c is not Transition}


def event_of(body: dict[str, Any]) -> Event | None:
    """The event a logged body was made from (to word it as the console did), None if unknown."""
    kind, t_s = str(body.get("type", "")), float(body.get("t", 0.0))
    if kind in TRANSITION_WORDS:
        return Transition(t_s, kind, float(body.get("emitted_s", t_s)))
    cls = _event_classes().get(kind)
    if cls is None or kind not in all_event_types():
        return None
    fields = {f.name for f in dataclasses.fields(cls)} - {"t_s"}
    given = {k: tuple(v) if isinstance(v, list) else v for k, v in body.items() if k in fields}
    try:
        return cls(t_s, **given)
    except TypeError:
        return None


def text_of(body: dict[str, Any]) -> str:
    ev = event_of(body)
    return describe(ev) if ev is not None else words(str(body.get("type", "event")))
