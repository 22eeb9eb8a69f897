"""Recording container: round trips, damaged tails, foreign and newer files."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from monitor.errors import RecordingError
from monitor.labels import LabelSegments
from monitor.samples import SampleBlock, concat
from monitor.sessions import RecordingWriter, open_recording
from monitor.sessions.format import FORMAT_VERSION, MAGIC, PREAMBLE
from monitor.sessions.writer import RECORD_SAMPLES, base_header
from monitor.sim import SimulatedWearer


def _write_sim(path: Path, seconds: float, seed: int = 3) -> list:
    chunks = list(SimulatedWearer(seed=seed, rate_hz=50).run(seconds))
    with RecordingWriter(path, base_header(sample_rate_hz=50.0)) as w:
        for c in chunks:
            w.write_samples(c.block, c.tilt_deg, c.slouch)
            w.write_labels(LabelSegments.from_per_sample(c.block.t_s, c.code))
    return chunks


def test_simulated_round_trip_is_bit_identical(tmp_path: Path) -> None:
    chunks = _write_sim(tmp_path / "a.pmrec", 120)
    rec = open_recording(tmp_path / "a.pmrec")
    assert rec.damage is None
    samples = rec.samples()
    assert samples is not None and samples.same_as(concat([c.block for c in chunks]))
    assert max(s.n for s in rec.stored) == RECORD_SAMPLES  # long blocks go in records of a few seconds
    tilt, slouch = rec.truth_arrays()  # type: ignore[misc]
    np.testing.assert_array_equal(tilt, np.concatenate([c.tilt_deg for c in chunks]).astype(np.float32))
    np.testing.assert_array_equal(slouch, np.concatenate([c.slouch for c in chunks]))
    t_all = np.concatenate([c.block.t_s for c in chunks])
    np.testing.assert_array_equal(rec.labels().at(t_all), np.concatenate([c.code for c in chunks]))


def test_irregular_timestamps_and_no_gyro_round_trip(tmp_path: Path) -> None:
    t = np.cumsum(np.random.default_rng(1).uniform(0.005, 0.02, 500))
    acc = np.random.default_rng(2).normal(0, 1, (500, 3)).astype(np.float32).astype(np.float64)
    block = SampleBlock(t, acc, None, 100.0)
    with RecordingWriter(tmp_path / "b.pmrec", base_header()) as w:
        w.write_samples(block)
    back = open_recording(tmp_path / "b.pmrec").samples()
    assert back is not None and back.same_as(block) and not back.has_gyro


def test_frames_round_trip_keeps_bytes_order_and_characteristics(tmp_path: Path) -> None:
    frames = [(i * 0.01, "ffe4" if i % 3 else "ffe5", bytes([i % 256]) * (1 + i % 20)) for i in range(1000)]
    with RecordingWriter(tmp_path / "f.pmrec", base_header(), flush_interval_s=0.0) as w:
        for t, ch, data in frames:
            w.add_frame(t, ch, data)
    log = open_recording(tmp_path / "f.pmrec").frames()
    assert log.payloads() == [f[2] for f in frames]
    assert [log.characteristics[i] for i in log.char_index] == [f[1] for f in frames]
    np.testing.assert_array_equal(log.t_s, [f[0] for f in frames])


def test_truncated_tail_reports_offset_and_keeps_good_part(tmp_path: Path) -> None:
    path = tmp_path / "t.pmrec"
    chunks = _write_sim(path, 60)
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.truncate(size - 7)
    rec = open_recording(path)
    assert rec.damage is not None and "truncated" in rec.damage.reason
    assert 0 < rec.damage.offset < size - 7
    # everything but the last record (labels of the last chunk) is intact
    samples = rec.samples()
    assert samples is not None and samples.same_as(concat([c.block for c in chunks]))


def test_corrupted_byte_reports_checksum_at_its_record_and_reads_on(tmp_path: Path) -> None:
    path = tmp_path / "c.pmrec"
    chunks = _write_sim(path, 60)
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    rec = open_recording(path)
    assert rec.damage is None  # not a damaged tail: the records after it are read
    [span] = rec.damaged
    assert "checksum" in span.reason and span.offset <= len(raw) // 2 < span.end
    assert rec.blocks[-1].same_as(chunks[-1].block.slice(-(len(chunks[-1].block) % RECORD_SAMPLES or
                                                           RECORD_SAMPLES), len(chunks[-1].block)))


@pytest.mark.parametrize("content, message", [
    (b"t,acc_x\n1,2\n", "not a posture-monitor recording"),
    (b"", "empty file"),
    (PREAMBLE.pack(MAGIC, FORMAT_VERSION + 1, 0), "newer"),
    (PREAMBLE.pack(MAGIC, FORMAT_VERSION, 0) + struct.pack("<B3xII", 1, 50, 0), "header"),
])
def test_foreign_and_newer_files_give_clear_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.pmrec"
    path.write_bytes(content)
    with pytest.raises(RecordingError, match=message) as err:
        open_recording(path)
    assert str(path) in str(err.value)


def test_writer_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "o.pmrec"
    path.write_bytes(b"keep me")
    with pytest.raises(RecordingError.__mro__[1], match="already exists"):
        RecordingWriter(path, base_header())
    assert path.read_bytes() == b"keep me"
