"""The statistics database's schema, versioned with SQLite's `PRAGMA user_version`.

Version 1 is the first versioned schema: the daily totals, the event log and the stretches' last use.
A database from before versioning (user_version 0) is brought to it in place: missing tables are made
and day columns added since then appear with 0. Each later change is one more function in MIGRATIONS,
run once, in order, in one transaction with the version bump, so a crash mid-way leaves the old
version intact. A database written by a newer version is refused, never changed."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from monitor.errors import InputError
from monitor.sinks.totals import COLUMNS

DAY_COLUMNS = ", ".join(f"{c} REAL NOT NULL DEFAULT 0" for c in COLUMNS)
V1 = f"""
CREATE TABLE IF NOT EXISTS daily (day TEXT PRIMARY KEY, {DAY_COLUMNS});
CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, day TEXT NOT NULL, wall_s REAL NOT NULL,
                                   type TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS stretch_used (id TEXT PRIMARY KEY, day TEXT NOT NULL);  -- day: local ISO time
"""


class StatsFileError(InputError):
    """The statistics file cannot be used: not a database, or from a newer version."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path


def _to_v1(db: sqlite3.Connection) -> None:
    for statement in V1.split(";"):
        if statement.strip():
            db.execute(statement)
    have = {row[1] for row in db.execute("PRAGMA table_info(daily)")}
    for column in COLUMNS:
        if column not in have:
            db.execute(f"ALTER TABLE daily ADD COLUMN {column} REAL NOT NULL DEFAULT 0")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_to_v1,)  # MIGRATIONS[i]: i -> i + 1
VERSION = len(MIGRATIONS)


def open_db(path: Path) -> sqlite3.Connection:
    """The database at `path`, at the current schema version."""
    try:
        db = sqlite3.connect(path, check_same_thread=False)
        version = db.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as e:
        raise StatsFileError(path, f"not a statistics database ({e})") from None
    if version > VERSION:
        db.close()
        raise StatsFileError(path, f"schema version {version} is newer than this posture-monitor reads "
                                   f"({VERSION}): upgrade posture-monitor")
    try:
        migrate(db, version)
    except sqlite3.DatabaseError as e:
        db.close()
        raise StatsFileError(path, f"cannot be upgraded ({e})") from None
    return db


def migrate(db: sqlite3.Connection, version: int) -> None:
    for step in range(version, VERSION):
        with db:  # one transaction: the migration and the version bump together
            db.execute("BEGIN")
            MIGRATIONS[step](db)
            db.execute(f"PRAGMA user_version = {step + 1}")
