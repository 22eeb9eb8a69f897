"""A CSV file as a header and rows, with the delimiter given or sniffed from the header line.

The delimiter is sniffed from the header line only: a semicolon file from a spreadsheet in a
decimal-comma locale has more commas than semicolons in its data rows, never in its header.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from monitor.errors import ImportFormatError
from monitor.importers.text import read_text

CANDIDATES = ",;\t|"  # what is sniffed; `--delimiter` takes the same


def shown(delimiter: str) -> str:
    """A delimiter as a user types it."""
    return "tab" if delimiter == "\t" else repr(delimiter)


def sniff_delimiter(header_line: str) -> str:
    """The delimiter of a header line: csv.Sniffer among , ; TAB |, but the one that splits the line
    into the most fields wins (Sniffer breaks a tie between two delimiters by a fixed preference)."""
    try:
        first = csv.Sniffer().sniff(header_line, delimiters=CANDIDATES).delimiter
    except csv.Error:
        first = ","

    def fields(d: str) -> int:
        return len(next(csv.reader([header_line], delimiter=d), []))
    return max(CANDIDATES, key=lambda d: (fields(d), d == first))


@dataclass
class CsvTable:
    """The header (names stripped), the non-blank rows after it and each row's line in the file."""

    path: Path
    delimiter: str
    sniffed: bool
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def how_read(self) -> str:
        """How the columns were split, for an error about them."""
        if self.sniffed:
            return (f"read with delimiter {shown(self.delimiter)} sniffed from the header line "
                    "(--delimiter to choose another)")
        return f"read with --delimiter {shown(self.delimiter)}"


def _blank(row: list[str]) -> bool:
    return not "".join(row).strip()


def read_table(path: Path, delimiter: str | None = None) -> CsvTable:
    """Read a CSV with a header row; `delimiter` None sniffs it."""
    text = read_text(path)
    stream = io.StringIO(text, newline="")
    header_line = next((line for line in stream if line.strip()), "")
    stream.seek(0)
    sep = delimiter or sniff_delimiter(header_line.rstrip("\r\n"))
    reader = csv.reader(stream, delimiter=sep)
    try:
        header = next(r for r in reader if not _blank(r))
        table = CsvTable(path, sep, delimiter is None, [h.strip() for h in header])
        for row in reader:
            if not _blank(row):
                table.rows.append(row)
                table.lines.append(reader.line_num)
    except csv.Error as e:
        raise ImportFormatError(path, f"not readable as CSV: {e}", line=reader.line_num) from None
    return table
