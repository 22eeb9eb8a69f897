"""Generic CSV: time, three accelerations, optional three angular rates, optional label names.

Every refusal names the file and, where it has one, the line, the column and the value; column names
are shown quoted (repr), so a stray invisible character in a header is visible.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from monitor.errors import ImportFormatError, InputError
from monitor.importers.common import Imported, estimate_rate_hz
from monitor.importers.table import CsvTable, read_table
from monitor.importers.units import (
    ACC_UNITS,
    GYRO_UNITS,
    TIME_UNITS,
    check_acc_unit,
    check_time_unit,
)
from monitor.labels import NAMES, UNLABELLED, LabelSegments, code_for
from monitor.samples import SampleBlock

__all__ = ["ACC_UNITS", "GYRO_UNITS", "TIME_UNITS", "CsvLayout", "read_csv"]


@dataclass(frozen=True)
class CsvLayout:
    """Column names, units and delimiter of a generic CSV file (delimiter None: sniffed)."""

    time: str = "t"
    acc: tuple[str, str, str] = ("acc_x", "acc_y", "acc_z")
    gyro: tuple[str, str, str] | None = ("gyro_x", "gyro_y", "gyro_z")
    label: str | None = "label"
    time_unit: str = "s"
    acc_unit: str = "g"
    gyro_unit: str = "deg/s"
    label_required: bool = False  # True when the user named the label column: then it must be there
    delimiter: str | None = None

    def __post_init__(self) -> None:
        for name, value, table in (("--time-unit", self.time_unit, TIME_UNITS),
                                   ("--acc-unit", self.acc_unit, ACC_UNITS),
                                   ("--gyro-unit", self.gyro_unit, GYRO_UNITS)):
            if value not in table:
                raise InputError(f"{name} {value!r}: choose one of {', '.join(table)}")
        seen: dict[str, str] = {}
        for flag, names in (("--time-column", (self.time,)), ("--acc-columns", self.acc),
                            ("--gyro-columns", self.gyro or ()), ("--label-column", (self.label or "",))):
            for name in filter(None, names):
                if name in seen:
                    raise InputError(f"{flag}: column {name!r} is already taken by {seen[name]}")
                seen[name] = flag

    @property
    def numeric(self) -> list[str]:
        """The number columns in the order the importer reads them: time, acc, gyro."""
        return [self.time, *self.acc, *(self.gyro or ())]

    def flag_of(self, name: str) -> str:
        """The flag that names a column, for an error about it."""
        if name == self.time:
            return "--time-column"
        if name in self.acc:
            return "--acc-columns"
        if self.gyro and name in self.gyro:
            return "--gyro-columns; 'none' for an accelerometer-only file"
        return "--label-column"


def _looks_numeric(cell: str) -> bool:
    try:
        float(cell.replace(",", "."))
    except ValueError:
        return False
    return True


def _column(table: CsvTable, name: str, flag: str) -> int:
    """The index of a column, or an error showing what the header holds and how it was split."""
    if name in table.header:
        return table.header.index(name)
    if sum(map(_looks_numeric, table.header)) > len(table.header) / 2:  # numbers: data, not names
        raise ImportFormatError(table.path, "no header row: the first line is data; a header naming "
                                            "the columns is needed", line=1)
    close = ([h for h in table.header if h.lower() == name.lower()]
             or difflib.get_close_matches(name, table.header, n=1, cutoff=0.6))
    hint = f"; did you mean {close[0]!r}?" if close else ""
    found = ", ".join(repr(h) for h in table.header)
    raise ImportFormatError(table.path, f"missing column {name!r} ({flag}){hint}; columns {found} "
                                        f"{table.how_read()}", line=1)


def _bad_cell(table: CsvTable, cells: np.ndarray, names: list[str]) -> ImportFormatError:
    """The first cell that is not a finite number, named by line, column and value."""
    for k, row in enumerate(cells):
        for j, cell in enumerate(row):
            try:
                ok = np.isfinite(float(cell.replace(",", ".") if table.delimiter != "," else cell))
            except ValueError:
                ok = False
            if not ok:
                return ImportFormatError(table.path, f"column {names[j]!r}: {str(cell)!r} is not a "
                                                     "finite number", line=table.lines[k])
    return ImportFormatError(table.path, f"a value in columns {names} is not a number")


def _numbers(table: CsvTable, names: list[str], idx: list[int]) -> np.ndarray:
    """The number columns as float64 (decimal commas read when the delimiter is not a comma)."""
    width = max(idx) + 1
    short = next((k for k, r in enumerate(table.rows) if len(r) < width), None)
    if short is not None:
        missing = names[next(j for j, i in enumerate(idx) if i >= len(table.rows[short]))]
        raise ImportFormatError(table.path, f"no value for column {missing!r} (the row has "
                                            f"{len(table.rows[short])} fields)", line=table.lines[short])
    cells = np.array([[r[i] for i in idx] for r in table.rows], dtype=np.str_).reshape(-1, len(idx))
    decimal = np.char.replace(cells, ",", ".") if table.delimiter != "," else cells
    try:
        data = decimal.astype(np.float64)
    except ValueError:
        raise _bad_cell(table, cells, names) from None
    if not np.isfinite(data).all():
        raise _bad_cell(table, cells, names)
    return data


def _label_codes(table: CsvTable, lab: int) -> np.ndarray:
    """Label names or codes per row; a missing or empty cell is unlabelled."""
    cache: dict[str, int] = {}
    out = np.empty(len(table.rows), np.int16)
    for k, row in enumerate(table.rows):
        name = row[lab] if lab < len(row) else ""
        if name not in cache:
            try:
                cache[name] = _label_code(name)
            except InputError as e:
                raise ImportFormatError(table.path, f"column {table.header[lab]!r}: {e}",
                                        line=table.lines[k]) from None
        out[k] = cache[name]
    return out


def _label_code(name: str) -> int:
    if not name.strip().lstrip("-").isdigit():
        return code_for(name)
    code = int(name)
    if code != UNLABELLED and code not in NAMES:
        raise InputError(f"unknown label code {code}")
    return code


def _time_s(table: CsvTable, layout: CsvLayout, t_raw: np.ndarray, check: bool) -> np.ndarray:
    """Seconds from the first sample; time must increase, and give a plausible rate when `check`."""
    if len(t_raw) < 2:
        raise ImportFormatError(table.path, f"{len(t_raw)} data rows: at least 2 samples are needed")
    step = np.diff(t_raw)
    if np.any(step <= 0):
        k = int(np.argmax(step <= 0)) + 1
        how = "repeats" if step[k - 1] == 0 else "goes backwards"
        raise ImportFormatError(table.path, f"time column {layout.time!r} does not increase: "
                                            f"{how} ({t_raw[k]:g} after {t_raw[k - 1]:g})",
                                line=table.lines[k])
    if check:
        check_time_unit(table.path, layout.time, float(np.median(step)), layout.time_unit)
    return (t_raw - t_raw[0]) * TIME_UNITS[layout.time_unit]


def read_csv(path: str | Path, layout: CsvLayout, *, check_units: bool = True) -> Imported:
    """Parse a CSV with a header row into samples (g, deg/s, s) and label segments; with
    `check_units`, refuse units under which the file is not plausible for a worn sensor."""
    table = read_table(Path(path), layout.delimiter)
    idx = [_column(table, c, layout.flag_of(c)) for c in layout.numeric]
    lab = None
    if layout.label and (layout.label_required or layout.label in table.header):
        lab = _column(table, layout.label, layout.flag_of(layout.label))
    data = _numbers(table, layout.numeric, idx)
    t_s = _time_s(table, layout, data[:, 0], check_units)
    if check_units:
        check_acc_unit(table.path, data[:, 1:4], layout.acc_unit)
    acc = data[:, 1:4] * ACC_UNITS[layout.acc_unit]
    gyro = data[:, 4:7] * GYRO_UNITS[layout.gyro_unit] if layout.gyro else None
    codes = _label_codes(table, lab) if lab is not None else np.zeros(0, np.int16)
    block = SampleBlock(t_s, acc, gyro, estimate_rate_hz(table.path, t_s))
    source = {"format": "csv", "file": table.path.name}
    return Imported(block, LabelSegments.from_per_sample(t_s, codes), source)
