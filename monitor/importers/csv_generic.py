"""Generic CSV: time, three accelerations, optional three angular rates, optional label names."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from monitor.errors import ImportFormatError, InputError
from monitor.importers.common import Imported, estimate_rate_hz
from monitor.importers.hapt import _open_text
from monitor.labels import LabelSegments, code_for
from monitor.samples import SampleBlock

ACC_UNITS = {"g": 1.0, "m/s2": 1 / 9.80665, "mg": 1e-3}
GYRO_UNITS = {"deg/s": 1.0, "rad/s": 180 / np.pi}
TIME_UNITS = {"s": 1.0, "ms": 1e-3, "us": 1e-6}


@dataclass(frozen=True)
class CsvLayout:
    """Column names and units of a generic CSV file."""

    time: str = "t"
    acc: tuple[str, str, str] = ("acc_x", "acc_y", "acc_z")
    gyro: tuple[str, str, str] | None = ("gyro_x", "gyro_y", "gyro_z")
    label: str | None = "label"
    time_unit: str = "s"
    acc_unit: str = "g"
    gyro_unit: str = "deg/s"

    def __post_init__(self) -> None:
        for name, value, table in (("--time-unit", self.time_unit, TIME_UNITS),
                                   ("--acc-unit", self.acc_unit, ACC_UNITS),
                                   ("--gyro-unit", self.gyro_unit, GYRO_UNITS)):
            if value not in table:
                raise InputError(f"{name} {value!r}: choose one of {', '.join(table)}")


def _column(path: Path, header: list[str], name: str) -> int:
    if name not in header:
        raise ImportFormatError(path, f"missing column {name!r} (columns: {', '.join(header)})",
                                line=1)
    return header.index(name)


def _label_codes(path: Path, raw: list[str]) -> np.ndarray:
    cache: dict[str, int] = {}
    out = np.empty(len(raw), np.int16)
    for i, name in enumerate(raw):
        if name not in cache:
            try:
                cache[name] = int(name) if name.lstrip("-").isdigit() else code_for(name)
            except InputError as e:
                raise ImportFormatError(path, str(e), line=i + 2) from None
        out[i] = cache[name]
    return out


def read_csv(path: str | Path, layout: CsvLayout) -> Imported:
    """Parse a CSV with a header row into samples (g, deg/s, s) and label segments."""
    path = Path(path)
    rows = list(csv.reader(_open_text(path)))
    if not rows:
        raise ImportFormatError(path, "empty file")
    header = [h.strip() for h in rows[0]]
    num_cols = [layout.time, *layout.acc, *(layout.gyro or ())]
    idx = [_column(path, header, c) for c in num_cols]
    lab = _column(path, header, layout.label) if layout.label and layout.label in header else None
    body = [r for r in rows[1:] if r]
    try:
        data = np.array([[float(r[i]) for i in idx] for r in body], np.float64).reshape(-1, len(idx))
    except (ValueError, IndexError):
        line = next(n for n, r in enumerate(body, 2) if not _row_ok(r, idx))
        raise ImportFormatError(path, "bad or missing number", line=line) from None
    t_s = (data[:, 0] - data[0, 0]) * TIME_UNITS[layout.time_unit] if len(data) else data[:, 0]
    rate = estimate_rate_hz(path, t_s)
    acc = data[:, 1:4] * ACC_UNITS[layout.acc_unit]
    gyro = data[:, 4:7] * GYRO_UNITS[layout.gyro_unit] if layout.gyro else None
    labels = LabelSegments.from_per_sample(t_s, np.zeros(0, np.int16))
    if lab is not None:
        labels = LabelSegments.from_per_sample(t_s, _label_codes(path, [r[lab] for r in body]))
    return Imported(SampleBlock(t_s, acc, gyro, rate), labels, {"format": "csv", "file": path.name})


def _row_ok(row: list[str], idx: list[int]) -> bool:
    try:
        [float(row[i]) for i in idx]
    except (ValueError, IndexError):
        return False
    return True
