"""The durable outbox (SQLite, WAL): every message is written before it is published and deleted only
when the broker acknowledged it, so an outage or a restart of the app loses nothing. Bounded: when
full, the oldest state messages go first; events are kept."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from monitor.privacy import private_dir, private_file

SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL,
                                   payload BLOB NOT NULL, retain INTEGER NOT NULL, kind TEXT NOT NULL);
"""
EVENT, STATE = "event", "state"


@dataclass(frozen=True)
class Message:
    id: int
    topic: str
    payload: bytes
    retain: bool
    kind: str


class Outbox:
    """Used from two threads (the stream writes, the publisher reads and acknowledges)."""

    def __init__(self, path: Path, max_messages: int = 10_000) -> None:
        private_dir(path.parent)
        self.path, self.max = path, max_messages
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        private_file(path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # survives an app crash; a power cut may lose the last
        self.db.executescript(SCHEMA)
        self.lock = threading.Lock()
        self.dropped_states = 0
        self.dropped_events = 0
        self._count = self._select_count()

    def _select_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])

    def put(self, topic: str, payload: bytes, retain: bool, kind: str) -> None:
        with self.lock:
            self.db.execute("INSERT INTO outbox (topic, payload, retain, kind) VALUES (?, ?, ?, ?)",
                            (topic, payload, int(retain), kind))
            self._count += 1
            if self._count > self.max:
                self._trim()

    def _trim(self) -> None:
        """Oldest states first; events only beyond ten times the bound (a broker gone for days)."""
        over = self._count - self.max
        cur = self.db.execute("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE kind = ? "
                              "ORDER BY id LIMIT ?)", (STATE, over))
        self.dropped_states += cur.rowcount
        self._count -= cur.rowcount
        over = self._count - 10 * self.max
        if over > 0:
            cur = self.db.execute("DELETE FROM outbox WHERE id IN "
                                  "(SELECT id FROM outbox ORDER BY id LIMIT ?)", (over,))
            self.dropped_events += cur.rowcount
            self._count -= cur.rowcount

    def peek(self, n: int, after_id: int = 0) -> list[Message]:
        """The oldest `n` messages after `after_id`, in the order they were put."""
        with self.lock:
            rows = self.db.execute("SELECT id, topic, payload, retain, kind FROM outbox WHERE id > ? "
                                   "ORDER BY id LIMIT ?", (after_id, n)).fetchall()
        return [Message(i, t, bytes(p), bool(r), k) for i, t, p, r, k in rows]

    def ack(self, ids: list[int]) -> None:
        if not ids:
            return
        with self.lock:
            cur = self.db.executemany("DELETE FROM outbox WHERE id = ?", [(i,) for i in ids])
            self._count -= cur.rowcount

    def __len__(self) -> int:
        with self.lock:
            return self._count

    def close(self) -> None:
        with self.lock:
            self.db.close()
