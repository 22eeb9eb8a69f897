"""Append-only recording writer: every record is one write(), so a kill leaves at most a torn tail."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from monitor import __version__
from monitor.errors import InputError
from monitor.labels import LabelSegments
from monitor.samples import Frames, SampleBlock
from monitor.sessions.format import (
    COUNT_HEAD,
    FORMAT_VERSION,
    MAGIC,
    PREAMBLE,
    SAMPLES_HEAD,
    RecordType,
    SampleFlags,
    pack_arrays,
    record_bytes,
)

RECORD_SAMPLES = 512  # samples per SAMPLES record: 5.1 s at 100 Hz, 14 KiB with gyro


def base_header(**fields: Any) -> dict[str, Any]:
    """Header fields every recording carries; callers add profile, address, rate, calibration."""
    epoch_utc_s = float(fields.get("epoch_utc_s", time.time()))
    header: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "epoch_utc_s": epoch_utc_s,  # the stream's t = 0 (UTC wall time); every wall time derives from it
        "start_time": dt.datetime.fromtimestamp(epoch_utc_s, dt.UTC).isoformat(
            timespec="milliseconds").replace("+00:00", "Z"),
        "profile": None,
        "address": None,
        "sample_rate_hz": None,
        "calibration": None,
    }
    header.update(fields)
    return header


def labels_payload(labels: LabelSegments) -> bytes:
    """A LABELS (or LABEL_EDITS) record's payload: count, starts, ends (s, inclusive), codes."""
    return pack_arrays(COUNT_HEAD.pack(len(labels)), labels.start_s.astype(np.float64),
                       labels.end_s.astype(np.float64), labels.code.astype(np.int16))


class RecordingWriter:
    """Writes a header, then frames (buffered up to `flush_interval_s` of their own arrival time, so
    what reaches the disk does not depend on how busy the machine is) or sample blocks."""

    def __init__(self, path: str | Path, header: dict[str, Any], *, overwrite: bool = False,
                 flush_interval_s: float = 0.5) -> None:
        self.path = Path(path)
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (os.O_TRUNC if overwrite else os.O_EXCL)
        try:
            self._fd = os.open(self.path, flags, 0o644)
        except FileExistsError:
            raise InputError(f"{self.path}: already exists (use --force to overwrite)") from None
        except OSError as e:
            raise InputError(f"{self.path}: cannot create recording: {e.strerror}") from None
        self.flush_interval_s = flush_interval_s
        self._chars: dict[str, int] = {}
        self._pending: list[tuple[float, int, bytes]] = []
        self._flushed_t_s: float | None = None  # arrival time of the last frame written
        os.write(self._fd, PREAMBLE.pack(MAGIC, FORMAT_VERSION, 0))
        self._write(RecordType.HEADER, json.dumps(header).encode())

    def _write(self, rtype: RecordType, payload: bytes) -> None:
        os.write(self._fd, record_bytes(rtype, payload))

    def write_meta(self, meta: dict[str, Any]) -> None:
        """A JSON note in the stream (connection changes, calibration updates, ...)."""
        self._write(RecordType.META, json.dumps(meta).encode())

    def add_frame(self, t_s: float, characteristic: str, data: bytes) -> None:
        """Queue one notification as it arrived; flushed at least every `flush_interval_s`."""
        idx = self._chars.get(characteristic)
        if idx is None:
            idx = self._chars[characteristic] = len(self._chars)
            self.write_meta({"kind": "characteristic", "index": idx, "uuid": characteristic})
        self._pending.append((t_s, idx, bytes(data)))
        if self._flushed_t_s is None:
            self._flushed_t_s = t_s
        elif t_s - self._flushed_t_s >= self.flush_interval_s:
            self.flush()

    def add_frames(self, frames: Frames) -> None:
        """Queue a batch of notifications as they arrived."""
        for t_s, characteristic, data in zip(frames.t_s.tolist(), frames.characteristic, frames.payloads,
                                             strict=True):
            self.add_frame(t_s, characteristic, data)

    def flush(self) -> None:
        """Write queued frames as one FRAMES record."""
        if not self._pending:
            return
        self._flushed_t_s = self._pending[-1][0]
        t = np.array([p[0] for p in self._pending], np.float64)
        ch = np.array([p[1] for p in self._pending], np.uint8)
        ln = np.array([len(p[2]) for p in self._pending], np.uint16)
        data = np.frombuffer(b"".join(p[2] for p in self._pending), np.uint8)
        self._pending.clear()
        self._write(RecordType.FRAMES, pack_arrays(COUNT_HEAD.pack(len(t)), t, ch, ln, data))

    def write_samples(self, block: SampleBlock, tilt_deg: np.ndarray | None = None,
                      slouch: np.ndarray | None = None) -> None:
        """A sample block (float32 on disk), optionally with simulator ground truth per sample, as
        records of at most RECORD_SAMPLES samples: damage costs a reader one record (a few seconds),
        never a whole block of minutes."""
        for i in range(0, max(len(block), 1), RECORD_SAMPLES):
            part = slice(i, i + RECORD_SAMPLES)
            truth = (None, None) if tilt_deg is None or slouch is None else (tilt_deg[part], slouch[part])
            self._write_block(block.slice(i, i + RECORD_SAMPLES), *truth)

    def _write_block(self, block: SampleBlock, tilt_deg: np.ndarray | None,
                     slouch: np.ndarray | None) -> None:
        n = len(block)
        flags = SampleFlags.GYRO if block.gyro_dps is not None else 0
        idx = np.rint(block.t_s * block.rate_hz)
        indexed = n > 0 and idx[-1] < 2**32 and np.array_equal(idx / block.rate_hz, block.t_s)
        time_arr = idx.astype(np.uint32) if indexed else block.t_s.astype(np.float64)
        flags |= SampleFlags.TIME_INDEXED if indexed else 0
        arrays = [time_arr, block.acc_g.astype(np.float32)]
        if block.gyro_dps is not None:
            arrays.append(block.gyro_dps.astype(np.float32))
        head = SAMPLES_HEAD.pack(n, flags, float(block.rate_hz))
        self._write(RecordType.SAMPLES, pack_arrays(head, *arrays))
        if tilt_deg is not None and slouch is not None:
            self._write(RecordType.TRUTH, pack_arrays(
                COUNT_HEAD.pack(n), tilt_deg.astype(np.float32), slouch.astype(np.uint8)))

    def write_labels(self, labels: LabelSegments) -> None:
        self._write(RecordType.LABELS, labels_payload(labels))

    def close(self) -> None:
        if self._fd < 0:
            return
        self.flush()
        os.fsync(self._fd)
        os.close(self._fd)
        self._fd = -1

    def __enter__(self) -> RecordingWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
