"""What every importer returns, and how it becomes a recording."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from monitor.errors import ImportFormatError, InputError
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
    """`day.csv.gz` -> `day.pmrec`: the recording an input file becomes."""
    name = path.name
    for suffix in (".gz", ".csv", ".txt"):
        name = name.removesuffix(suffix)
    return name + ".pmrec"


def import_targets(files: list[Path], out: Path) -> list[tuple[Path, Path]]:
    """Each input with the recording it becomes in `out`; two inputs that would become the same
    recording are refused before anything is written (the second would replace the first)."""
    pairs = [(path, out / recording_name(path)) for path in files]
    seen: dict[Path, Path] = {}
    for path, target in pairs:
        if target in seen:
            raise InputError(f"{seen[target]} and {path} would both become {target}; import them "
                             "into different --out folders")
        seen[target] = path
    return pairs


def write_imported(data: Imported, out: Path, *, overwrite: bool = False) -> Path:
    """Write an import as a recording of sample blocks plus label segments. A write that fails
    (disk full, permissions) removes the partial recording and says why, naming it."""
    header = base_header(sample_rate_hz=data.block.rate_hz, kind="samples", source=data.source)
    try:
        with RecordingWriter(out, header, overwrite=overwrite) as w:  # opening errors: InputError
            for i in range(0, len(data.block), BLOCK_SAMPLES):
                w.write_samples(data.block.slice(i, i + BLOCK_SAMPLES))
            if len(data.labels):
                w.write_labels(data.labels)
    except OSError as e:
        out.unlink(missing_ok=True)
        raise InputError(f"{out}: cannot write the recording: {e.strerror}") from None
    return out
