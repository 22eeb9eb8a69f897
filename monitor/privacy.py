"""Health data stays the user's: what we create is readable by its owner only (files 0600, folders
0700), and files made by an older version with looser modes are tightened when we open them.

`restrict_umask()` makes it the default for everything the command creates (recordings, exports,
reports, SQLite's journal files); `private_dir` and `private_file` apply it explicitly to the data
files, so library use and files that already exist are covered too."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def restrict_umask() -> None:
    """New files 0600 and folders 0700 (stricter bits the user set stay)."""
    os.umask(os.umask(0o077) | 0o077)


def private_dir(path: Path) -> Path:
    """`path` (and missing parents) as folders only the owner can enter; an existing folder of ours
    with group or other access is tightened."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    _tighten(path, DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """An existing file of ours readable by its owner only."""
    _tighten(path, FILE_MODE)
    return path


def _tighten(path: Path, mode: int) -> None:
    with contextlib.suppress(OSError):  # not ours, or a file system without modes: leave it
        st = path.stat()
        if st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077:
            path.chmod(stat.S_IMODE(st.st_mode) & ~0o077 & (mode | 0o700))
