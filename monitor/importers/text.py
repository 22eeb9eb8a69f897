"""An import file's text: read once, gunzipped, and refused early when it is not text at all.

A recording, a binary file or a file in another encoding would otherwise reach the CSV parser and end in
a parser error or in replacement characters inside column names; here each is one line naming the file.
Excel's "CSV UTF-8" starts with a byte-order mark, which 'utf-8-sig' drops, so it never shows up in a
column name.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from monitor.errors import ImportFormatError
from monitor.sessions.format import MAGIC

GZIP_MAGIC = b"\x1f\x8b"
BINARY_PROBE_BYTES = 8192  # a NUL byte in the first 8 KiB: binary data, not text


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when it is gzip data (whatever its name)."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ImportFormatError(path, f"cannot read: {e.strerror}") from None
    if raw[:2] == GZIP_MAGIC:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as e:
            raise ImportFormatError(path, f"bad gzip data: {e}") from None
    return raw


def refuse_non_text(path: Path, raw: bytes) -> None:
    """A recording, an empty file or binary data is not a file to import; say which it is."""
    if raw.startswith(MAGIC):
        raise ImportFormatError(path, "is a posture-monitor recording, not a file to import "
                                      f"(read it with `posture-monitor info {path}` or `replay`)")
    if not raw.strip():
        raise ImportFormatError(path, "empty file (a header row naming the columns is needed)")
    nul = raw.find(b"\x00", 0, BINARY_PROBE_BYTES)
    if nul >= 0:
        raise ImportFormatError(path, f"binary data, not CSV text (a NUL byte at offset {nul})")


def line_of(raw: bytes, offset: int) -> int:
    """The 1-based line holding byte `offset`."""
    return raw.count(b"\n", 0, offset) + 1


def read_text(path: Path) -> str:
    """The file as text: UTF-8 with or without a byte-order mark; anything else is refused."""
    raw = read_bytes(path)
    refuse_non_text(path, raw)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        bad = raw[e.start:e.start + 1].hex()
        raise ImportFormatError(path, f"not UTF-8 text (byte 0x{bad} at offset {e.start}); save it as "
                                      "UTF-8 (Excel: 'CSV UTF-8')", line=line_of(raw, e.start)) from None
