"""The statistics database's schema versions (PRAGMA user_version): new files at the current version,
files from before versioning upgraded in place with their rows kept, newer or broken files refused with
one line, and a migration that fails leaves the file as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from monitor.cli.main import main
from monitor.sinks import stats_schema
from monitor.sinks.stats import StatsStore
from monitor.sinks.stats_schema import VERSION, StatsFileError, open_db


def version(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("PRAGMA user_version").fetchone()[0])


def test_a_new_store_is_at_the_current_version(tmp_path: Path) -> None:
    StatsStore(tmp_path / "s.sqlite").close()
    assert version(tmp_path / "s.sqlite") == VERSION >= 1


def test_a_store_from_before_versioning_is_upgraded_and_keeps_its_days(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:  # an early schema: fewer day columns, no stretch table
        db.execute("CREATE TABLE daily (day TEXT PRIMARY KEY, sitting_s REAL NOT NULL DEFAULT 0, "
                   "standing_s REAL NOT NULL DEFAULT 0, breaks REAL NOT NULL DEFAULT 0)")
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, day TEXT NOT NULL, wall_s REAL NOT NULL, "
                   "type TEXT NOT NULL, body TEXT NOT NULL)")
        db.execute("INSERT INTO daily VALUES ('2026-11-20', 3600, 1200, 3)")
    store = StatsStore(path)
    days = store.days(7)
    store.close()
    assert version(path) == VERSION
    (day,) = days
    assert (day["day"], day["sitting_s"], day["standing_s"], day["breaks"]) == ("2026-11-20", 3600, 1200, 3)
    assert day["sit_to_stand"] == 0 and day["slouch_s"] == 0  # columns added since: 0
    StatsStore(path).close()  # opening again changes nothing
    assert version(path) == VERSION


def test_newer_and_broken_files_are_refused_in_one_line(isolated_home: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    data = isolated_home / "data" / "posture-monitor"
    data.mkdir(parents=True)
    path = data / "stats.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {VERSION + 5}")
    with pytest.raises(StatsFileError, match="newer"):
        open_db(path)
    assert main(["stats"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err and "upgrade posture-monitor" in err
    assert version(path) == VERSION + 5  # untouched
    path.write_bytes(b"this is not a database, just text" * 100)
    assert main(["stats"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a statistics database" in err


def test_a_failing_migration_leaves_the_old_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.sqlite"
    StatsStore(path).close()

    def broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (x)")
        db.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(stats_schema, "MIGRATIONS", (*stats_schema.MIGRATIONS, broken))
    monkeypatch.setattr(stats_schema, "VERSION", VERSION + 1)
    with pytest.raises(StatsFileError, match="cannot be upgraded"):
        open_db(path)
    assert version(path) == VERSION
    with sqlite3.connect(path) as db:
        assert not db.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'").fetchall()
