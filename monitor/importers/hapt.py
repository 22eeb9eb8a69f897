"""UCI HAPT raw recordings as re-encoded in shared/data/hapt (t, acc in g, gyro in rad/s, label)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from monitor.errors import ImportFormatError
from monitor.importers.common import Imported, estimate_rate_hz
from monitor.importers.text import read_text
from monitor.labels import NAMES, LabelSegments
from monitor.samples import SampleBlock

COLUMNS = ["t", "acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z", "label"]


def read_hapt(path: str | Path) -> Imported:
    """Parse one HAPT experiment; gyro converted from rad/s to deg/s, labels kept as segments."""
    path = Path(path)
    text = io.StringIO(read_text(path))
    header = text.readline().strip().split(",")
    if header != COLUMNS:
        raise ImportFormatError(path, f"not a HAPT file: header {header} != {COLUMNS}", line=1)
    try:
        data = np.loadtxt(text, delimiter=",", ndmin=2)
    except ValueError as e:
        raise ImportFormatError(path, f"bad number: {e}") from None
    if data.shape[1] != len(COLUMNS):
        raise ImportFormatError(path, f"expected {len(COLUMNS)} columns, got {data.shape[1]}")
    t_s = data[:, 0].copy()
    rate = estimate_rate_hz(path, t_s)
    codes = data[:, 7].astype(np.int16)
    unknown = sorted(set(np.unique(codes).tolist()) - set(NAMES))
    if unknown:
        raise ImportFormatError(path, f"unknown label code {unknown[0]}")
    block = SampleBlock(t_s, data[:, 1:4].copy(), np.degrees(data[:, 4:7]), rate)
    source = {"format": "hapt", "file": path.name}
    return Imported(block, LabelSegments.from_per_sample(t_s, codes), source)
