"""Daily statistics and the event log in SQLite (the user's data directory), kept across restarts.
A sink: it sees only events. Time per posture runs from each posture change to the next."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from monitor.events import Event
from monitor.paths import data_dir
from monitor.privacy import private_dir, private_file
from monitor.sinks.stats_schema import open_db
from monitor.sinks.totals import COLUMNS, Accountant, Change
from monitor.timebase import TimeBase


def default_path(demo: bool = False) -> Path:
    """The real statistics, or the demo's beside them (simulated hours never mix with real ones)."""
    return data_dir() / ("stats-demo.sqlite" if demo else "stats.sqlite")


class StatsStore:
    """The database: daily rows, the event log, when each stretch was last suggested."""

    def __init__(self, path: Path | None = None, demo: bool = False) -> None:
        self.path = path or default_path(demo)
        private_dir(self.path.parent)
        self.db = open_db(self.path)
        private_file(self.path)

    def add(self, day: str, **amounts: float) -> None:
        self.db.execute("INSERT OR IGNORE INTO daily (day) VALUES (?)", (day,))
        sets = ", ".join(f"{k} = {k} + ?" for k in amounts)
        self.db.execute(f"UPDATE daily SET {sets} WHERE day = ?", (*amounts.values(), day))

    def raise_to(self, day: str, column: str, value: float) -> None:
        self.db.execute("INSERT OR IGNORE INTO daily (day) VALUES (?)", (day,))
        self.db.execute(f"UPDATE daily SET {column} = MAX({column}, ?) WHERE day = ?", (value, day))

    def log(self, day: str, wall_s: float, event: Event) -> None:
        self.db.execute("INSERT INTO events (day, wall_s, type, body) VALUES (?, ?, ?, ?)",
                        (day, wall_s, event.kind, json.dumps(event.to_dict())))

    def commit(self) -> None:
        self.db.commit()

    def days(self, n: int) -> list[dict[str, Any]]:
        """The last `n` days that have data, newest first."""
        return self._select("ORDER BY day DESC LIMIT ?", (n,))

    def span(self, first: str, last: str) -> list[dict[str, Any]]:
        """The days from `first` to `last` (ISO dates, both included) that have data, oldest first."""
        return self._select("WHERE day BETWEEN ? AND ? ORDER BY day", (first, last))

    def day(self, day: str) -> dict[str, Any]:
        rows = self._select("WHERE day = ?", (day,))
        return rows[0] if rows else {"day": day, **dict.fromkeys(COLUMNS, 0.0)}

    def _select(self, clause: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
        cur = self.db.execute(f"SELECT day, {', '.join(COLUMNS)} FROM daily {clause}", params)
        return [dict(zip(("day", *COLUMNS), row, strict=True)) for row in cur]

    def delete_day(self, day: str) -> tuple[int, int]:
        """Remove a day's totals and its event log (committed); (day rows, events) removed."""
        rows = self.db.execute("DELETE FROM daily WHERE day = ?", (day,)).rowcount
        events = self.db.execute("DELETE FROM events WHERE day = ?", (day,)).rowcount
        self.db.commit()
        return rows, events

    def recent_events(self, n: int) -> list[dict[str, Any]]:
        cur = self.db.execute("SELECT body FROM events ORDER BY id DESC LIMIT ?", (n,))
        return [json.loads(b) for (b,) in cur][::-1]

    def day_events(self, day: str) -> list[tuple[float, dict[str, Any]]]:
        """(wall time, event as logged) of every event of a local day, in the order they were logged."""
        cur = self.db.execute("SELECT wall_s, body FROM events WHERE day = ? ORDER BY id", (day,))
        return [(wall_s, json.loads(body)) for wall_s, body in cur]

    def postures(self, day: str) -> list[tuple[float, str]]:
        """(wall time, posture) of the day's posture changes, for the dashboard's timeline."""
        cur = self.db.execute("SELECT wall_s, body FROM events WHERE day = ? AND type = 'posture_changed' "
                              "ORDER BY id", (day,))
        return [(wall_s, json.loads(body).get("posture", "unknown")) for wall_s, body in cur]

    def stretches_used(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, day FROM stretch_used"))

    def used_stretches(self, when: str, ids: list[str]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO stretch_used (id, day) VALUES (?, ?)",
                            [(i, when) for i in ids])
        self.db.commit()

    def close(self) -> None:
        self.db.close()


def earlier_today(store: StatsStore, timebase: TimeBase, t_s: float = 0.0) -> dict[str, float]:
    """What the store already holds for the local day of stream second `t_s`: the seed of a run's
    today totals, so a restart continues from the stored day instead of from zero."""
    return {k: float(v) for k, v in store.day(timebase.day(t_s)).items() if k != "day"}


UnderWay = Callable[[float], tuple[float, float]]  # at t_s: the sitting bout and the slouch under way (s)


class StatsSink:
    """Writes day totals and the event log; `tick(t_s)` credits the current posture up to now. Each
    part of the posture time goes to the row of its own local day (split at midnight)."""

    def __init__(self, store: StatsStore, timebase: TimeBase, under_way: UnderWay | None = None) -> None:
        self.store, self.timebase, self.under_way = store, timebase, under_way
        self.acc = Accountant(timebase)
        self.committed_s = 0.0
        self.last_s: float | None = None

    def handle(self, event: Event) -> None:
        self.store.log(self.timebase.day(event.t_s), self.timebase.epoch_utc_s + event.t_s, event)
        self._write(self.acc.on_event(event))
        self.store.commit()

    def tick(self, t_s: float) -> None:
        self.last_s = t_s
        self._write(self.acc.on_tick(t_s))
        if t_s - self.committed_s > 10.0:  # a crash loses at most 10 s of posture time
            self.store.commit()
            self.committed_s = t_s

    def _write(self, changes: list[Change]) -> None:
        for c in changes:
            if c.keep_max:
                self.store.raise_to(c.day, c.column, c.amount)
            else:
                self.store.add(c.day, **{c.column: c.amount})

    def close(self, summary: dict[str, Any]) -> None:
        """The stream ends: the sitting bout and the slouch still under way count too (as the next run
        starts a bout of its own), on the day the stream ended."""
        if self.under_way is not None and self.last_s is not None:
            bout_s, slouch_s = self.under_way(self.last_s)
            day = self.timebase.day(self.last_s)
            self._write([Change(day, "longest_bout_s", bout_s, True), Change(day, "slouch_s", slouch_s)])
        self.store.commit()
