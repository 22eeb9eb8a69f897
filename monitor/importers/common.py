"""What every importer returns, and how it becomes a recording."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from monitor.errors import ImportFormatError
from monitor.labels import LabelSegments
from monitor.samples import SampleBlock
from monitor.sessions.writer import RecordingWriter, base_header

BLOCK_SAMPLES = 65536


@dataclass
class Imported:
    """Samples and labels read from a file, plus header fields describing the source."""

    block: SampleBlock
    labels: LabelSegments
    source: dict[str, Any] = field(default_factory=dict)


def estimate_rate_hz(path: object, t_s: np.ndarray) -> float:
    """Sample rate from the median interval; timestamps must increase."""
    if len(t_s) < 2:
        raise ImportFormatError(path, "fewer than 2 samples")
    dt = np.diff(t_s)
    if np.any(dt <= 0):
        bad = int(np.argmax(dt <= 0)) + 1
        raise ImportFormatError(path, f"time does not increase at sample {bad} (t={t_s[bad]})")
    return float(round(1.0 / float(np.median(dt)), 6))


def recording_name(path: Path) -> str:
    name = path.name
    for suffix in (".gz", ".csv", ".txt"):
        name = name.removesuffix(suffix)
    return name + ".pmrec"


def write_imported(data: Imported, out: Path, *, overwrite: bool = False) -> Path:
    """Write an import as a recording of sample blocks plus label segments."""
    header = base_header(sample_rate_hz=data.block.rate_hz, kind="samples", source=data.source)
    with RecordingWriter(out, header, overwrite=overwrite) as w:
        for i in range(0, len(data.block), BLOCK_SAMPLES):
            w.write_samples(data.block.slice(i, i + BLOCK_SAMPLES))
        if len(data.labels):
            w.write_labels(data.labels)
    return out
