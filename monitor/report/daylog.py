"""A day's report section from the statistics store: the day's totals and what its event log can give.
Postures run from each logged posture change to the next (the last to the day's last logged event,
or on by the day's totals to where its data end; a change whose `previous` is not the posture held
means the stream stopped in between, so that time is unknown; runs of several streams are cut where
the next starts), bouts and slouch episodes from their end events, and every logged event as a marker.
The store keeps no tilt, so the day page has no tilt panel."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from typing import Any

import numpy as np

from monitor.engine.engine import POSTURES
from monitor.errors import InputError
from monitor.events import Event, Transition
from monitor.events.coach import event_classes
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
    streams = split_streams(logged)
    runs = merged_runs([posture_runs(s) for s in streams])
    notes = ["From the statistics store's event log: postures last from each change to the next; the "
             "store keeps no pelvic tilt; each bout adds the sitting of those postures and ends at its "
             "logged length."]
    runs, note = extend_last(runs, totals, len(streams), day)
    notes.append(note)
    if overlapping(streams):
        notes.append(f"The day's {len(streams)} runs overlap in time (demos at --speed max put each one on "
                     "the clock from its start): where they do, the later run's postures are drawn.")
    logged = sorted(logged, key=lambda e: e[0])  # stable: events at one time keep their logged order
    start_s, end_s = logged[0][0], max(logged[-1][0], float(runs.end_s[-1]) if len(runs) else 0.0)
    tl = Timeline(f"Statistics of {day}", start_s, max(end_s, start_s + 60.0), runs,
                  slouch_spans(logged), threshold_deg=threshold_deg, limit_s=limit_s, totals=totals)
    tl.bout_s = bout_curve(logged, tl.postures)
    tl.markers = [Marker(wall_s, str(body.get("type", "event")), text_of(body)) for wall_s, body in logged]
    tl.notes = notes
    return tl


def split_streams(logged: Logged) -> list[Logged]:
    """The log cut where a new run started (its stream clock `t` went back), in logged order."""
    out: list[Logged] = [[]]
    last_t = -np.inf
    for wall_s, body in logged:
        t = float(body.get("t", last_t))
        if t < last_t - 1e-6 and out[-1]:
            out.append([])
        out[-1].append((wall_s, body))
        last_t = t
    return out


def overlapping(streams: list[Logged]) -> bool:
    spans = sorted((s[0][0], s[-1][0]) for s in streams if s)
    return any(b[0] < a[1] for a, b in itertools.pairwise(spans))


def merged_runs(parts: list[Runs]) -> Runs:
    """Several runs' posture runs on one time line: sorted by start, each cut where the next starts."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return Runs.empty(POSTURES)
    start = np.concatenate([p.start_s for p in parts])
    order = np.argsort(start, kind="stable")
    start, end = start[order], np.concatenate([p.end_s for p in parts])[order]
    end = np.maximum(start, np.minimum(end, np.concatenate([start[1:], [np.inf]])))
    return Runs(start, end, np.concatenate([p.code for p in parts])[order], POSTURES)


def extend_last(runs: Runs, totals: dict[str, float], n_streams: int, day: str) -> tuple[Runs, str]:
    """The last posture run extended to where the day's data end, when the day's totals (the seconds per
    posture the store counted) say how far: one run, and its posture holds more seconds there than in
    the log's runs. Returns the runs and a note saying which it did."""
    if not len(runs):
        return runs, "The store logged no posture for this day."
    last, end = POSTURES[runs.code[-1]], float(runs.end_s[-1])
    extra = totals.get(f"{last}_s", 0.0) - runs.seconds().get(last, 0.0)
    midnight = dt.datetime.combine(dt.date.fromisoformat(day) + dt.timedelta(days=1), dt.time()).astimezone()
    if n_streams == 1 and last != "unknown" and extra >= 1.0:
        new_end = min(end + extra, midnight.timestamp())
        ends = runs.end_s.copy()
        ends[-1] = new_end
        return (Runs(runs.start_s, ends, runs.code, runs.names),
                f"The last posture ({last}) runs on from the last logged event at {hms(end)} to "
                f"{hms(new_end)}, where the day's data end (by the day's totals of {last}).")
    return runs, (f"The chart ends at the last logged event ({hms(end)}); the day's totals (the table) "
                  f"count all of the day's data, also any after it.")


def hms(unix_s: float) -> str:
    return dt.datetime.fromtimestamp(unix_s).astimezone().strftime("%H:%M:%S")


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


def event_of(body: dict[str, Any]) -> Event | None:
    """The event a logged body was made from (to word it as the console did), None if unknown."""
    kind, t_s = str(body.get("type", "")), float(body.get("t", 0.0))
    if kind in TRANSITION_WORDS:
        return Transition(t_s, kind, float(body.get("emitted_s", t_s)))
    cls = event_classes().get(kind)
    if cls is None:
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
