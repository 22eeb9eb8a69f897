"""Damaged recordings: the reader resynchronises at the next intact record, reports each damaged span
and gives back every intact record's data exactly, in order (issue 19 part 3)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from monitor.cli.main import main
from monitor.errors import RecordingError
from monitor.labels import LabelSegments
from monitor.samples import SampleBlock
from monitor.sessions import RecordingWriter, open_recording
from monitor.sessions.edits import append_label_edit
from monitor.sessions.format import RECORD_HEAD, RecordType
from monitor.sessions.reader import Recording
from monitor.sessions.writer import base_header

RATE_HZ = 20.0
BLOCK = 40  # samples per SAMPLES record (2 s)
CHAR = "0000ffe4-0000-1000-8000-00805f9a34fb"


def write_mixed(path: Path, seconds: int = 60, frames: bool = True) -> Path:
    """Samples with truth and labels every 2 s, frames every 0.5 s (after a META declaring their
    characteristic), a META note and a label edit at the end: every record type the writer makes."""
    rng = np.random.default_rng(7)
    with RecordingWriter(path, base_header(sample_rate_hz=RATE_HZ, kind="samples"), flush_interval_s=0.5) as w:
        for b in range(seconds * int(RATE_HZ) // BLOCK):
            t = (b * BLOCK + np.arange(BLOCK)) / RATE_HZ
            block = SampleBlock(t, rng.normal(size=(BLOCK, 3)), rng.normal(size=(BLOCK, 3)), RATE_HZ)
            w.write_samples(block, rng.normal(size=BLOCK), rng.random(BLOCK) < 0.5)
            w.write_labels(LabelSegments(t[:1], t[-1:], np.array([4 + b % 2], np.int16)))
            for i in range(8 if frames else 0):
                w.add_frame(float(t[0] + i * 0.25), CHAR, rng.integers(0, 256, 20, np.uint8).tobytes())
            if b == 3:
                w.write_meta({"kind": "note", "state": "connected"})
    append_label_edit(open_recording(path), 3.0, 9.0, 6)
    return path


@dataclass(frozen=True)
class Rec:
    """One record of a clean file: where it lies and what it holds."""

    offset: int
    end: int
    rtype: int
    content: Any


def contents(rec: Recording) -> dict[int, tuple[int, Any]]:
    """{offset: (type, content as comparable bytes)} of every record the reader took."""
    lists: dict[int, list[Any]] = {
        RecordType.SAMPLES: [(s.time_raw.tobytes(), s.acc.tobytes(), None if s.gyro is None else s.gyro.tobytes())
                             for s in rec.stored],
        RecordType.FRAMES: [tuple(a.tobytes() for a in part) for part in rec.frame_parts],
        RecordType.LABELS: [(p.start_s.tobytes(), p.end_s.tobytes(), p.code.tobytes()) for p in rec.label_parts],
        RecordType.LABEL_EDITS: [(p.start_s.tobytes(), p.code.tobytes()) for p in rec.label_edits],
        RecordType.META: list(rec.meta),
    }
    out: dict[int, tuple[int, Any]] = {}
    taken = dict.fromkeys(lists, 0)
    for offset, rtype in rec.records:
        if rtype in lists:
            out[offset] = (rtype, lists[rtype][taken[rtype]])
            taken[rtype] += 1
        else:
            out[offset] = (rtype, None)
    return out


def clean_records(path: Path) -> list[Rec]:
    rec = open_recording(path)
    assert not rec.damaged
    found = contents(rec)
    offsets = [o for o, _ in rec.records] + [rec.size]
    return [Rec(o, offsets[i + 1], found[o][0], found[o][1]) for i, (o, _) in enumerate(rec.records)]


def truth_by_block_offset(rec: Recording) -> dict[int, bytes]:
    samples = [o for o, t in rec.records if t == RecordType.SAMPLES]
    return {samples[i]: tilt.tobytes() + flag.tobytes() for i, (tilt, flag) in rec.truth.items()}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, list[Rec], dict[int, bytes]]:
    path = write_mixed(tmp_path_factory.mktemp("rec") / "mixed.pmrec")
    return path.read_bytes(), clean_records(path), truth_by_block_offset(open_recording(path))


Damage = tuple[str, int, int, int]  # kind, where (fraction of the body, scaled), size, byte value
DAMAGE = st.lists(st.tuples(st.sampled_from(["byte", "burst", "zero_page", "truncate"]),
                            st.integers(0, 10**6), st.integers(1, 300), st.integers(0, 255)),
                  min_size=1, max_size=6)


def damaged(raw: bytes, body_start: int, ops: list[Damage]) -> bytes:
    """`raw` with each damage applied after the header record (truncation last)."""
    out = bytearray(raw)
    cut = len(out)
    rng = np.random.default_rng(len(ops))
    for kind, where, size, value in ops:
        at = body_start + where * (len(raw) - body_start - 1) // 10**6
        if kind == "byte":
            out[at] = value
        elif kind == "burst":
            out[at:at + size] = rng.integers(0, 256, len(out[at:at + size]), np.uint8).tobytes()
        elif kind == "zero_page":
            page = max(at - at % 4096, body_start)  # a 4 KiB page of the disk, after the header
            out[page:page + 4096] = bytes(len(out[page:page + 4096]))
        else:
            cut = min(cut, at)
    return bytes(out[:max(cut, body_start)])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=DAMAGE)
@example(ops=[("zero_page", 0, 1, 0), ("byte", 0, 1, 8)])  # zeros under one type byte: an "empty record"
def test_only_damaged_records_are_lost(ops: list[Damage], mixed: tuple[bytes, list[Rec], dict[int, bytes]],
                                       tmp_path: Path) -> None:
    raw, records, truth = mixed
    body_start = records[0].offset
    bad = damaged(raw, body_start, ops)
    path = tmp_path / "bad.pmrec"
    path.write_bytes(bad)
    rec = open_recording(path)
    changed = {i for i in range(body_start, len(bad)) if bad[i] != raw[i]}
    touched = [r for r in records if r.end > len(bad) or any(r.offset <= i < r.end for i in changed)]
    got = contents(rec)
    for r in records:
        if r not in touched:  # intact: read, at its place, with exactly its data
            assert got.get(r.offset) == (r.rtype, r.content), r
    for offset, (rtype, _) in got.items():  # nothing read that was not a record there
        original = next(r for r in records if r.offset == offset)
        if original in touched:  # read anyway: only when just its type byte changed (outside the CRC)
            assert rtype != original.rtype and changed & set(range(offset, original.end)) == {offset}
    samples = [o for o, t in rec.records if t == RecordType.SAMPLES]
    for i, block_truth in truth_by_block_offset(rec).items():  # truth only ever with its own block
        assert truth[i] == block_truth and i in samples
    type_bytes = {r.offset for r in records}
    for i in changed - type_bytes:
        assert any(d.offset <= i < d.end for d in rec.damaged), (i, rec.damaged)
    if len(bad) < len(raw) and any(r.offset < len(bad) < r.end for r in records):
        assert rec.damage is not None and rec.damage.end == len(bad)  # a cut record: a damaged tail


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(at=st.integers(0, 10**6), value=st.integers(0, 255), zero=st.booleans())
def test_damage_in_the_preamble_or_header_is_a_recording_error(
        at: int, value: int, zero: bool, mixed: tuple[bytes, list[Rec], dict[int, bytes]], tmp_path: Path) -> None:
    raw, records, _ = mixed
    where = at * (records[0].offset - 1) // 10**6
    bad = bytearray(raw)
    if zero:
        bad[where:] = bytes(len(bad) - where)
    else:
        bad[where] = value
    path = tmp_path / "head.pmrec"
    path.write_bytes(bytes(bad))
    try:
        open_recording(path)
    except RecordingError as e:
        assert str(path) in str(e)
    else:  # the byte was one no reader looks at (reserved) or it was already that value
        assert bad[where] == raw[where] or 10 <= where < 12


def test_a_zeroed_stretch_reports_its_offset_length_and_the_time_it_held(tmp_path: Path) -> None:
    path = tmp_path / "samples.pmrec"
    with RecordingWriter(path, base_header(sample_rate_hz=RATE_HZ)) as w:
        for b in range(50):
            t = (b * BLOCK + np.arange(BLOCK)) / RATE_HZ
            w.write_samples(SampleBlock(t, np.ones((BLOCK, 3)), None, RATE_HZ))
    records = clean_records(path)
    raw = bytearray(path.read_bytes())
    first, last = records[10], records[14]  # blocks 10-14 gone: 5 x 40 samples
    raw[first.offset + 5:last.end - 3] = bytes(last.end - 3 - first.offset - 5)
    path.write_bytes(bytes(raw))
    rec = open_recording(path)
    [span] = rec.damaged
    assert (span.offset, span.end) == (first.offset, last.end)
    assert span.lost_s == pytest.approx(5 * BLOCK / RATE_HZ)
    assert len(rec.stored) == 45 and rec.damage is None


def test_info_lists_each_span_and_replay_warns_in_one_line(tmp_path: Path, isolated_home: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = write_mixed(tmp_path / "m.pmrec", 30, frames=False)  # raw frames would need a profile
    records = clean_records(path)
    raw = bytearray(path.read_bytes())
    for r in (records[5], records[30]):
        raw[r.offset + RECORD_HEAD.size + 9] ^= 0x55
    path.write_bytes(bytes(raw))
    assert main(["info", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"damaged at byte {records[5].offset}" in out and f"damaged at byte {records[30].offset}" in out
    assert "2 damaged spans" in out
    assert main(["replay", str(path), "--json"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "2 damaged spans" in err[0] and str(path) in err[0]


def test_a_label_edit_appended_after_interior_damage_is_read(tmp_path: Path) -> None:
    path = write_mixed(tmp_path / "e.pmrec", 20)
    records = clean_records(path)
    raw = bytearray(path.read_bytes())
    raw[records[8].offset + RECORD_HEAD.size + 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    rec = open_recording(path)
    assert rec.damaged and rec.damage is None
    assert append_label_edit(rec, 12.0, 14.0, 1) is None  # appended, nothing rewritten
    after = open_recording(path)
    assert len(after.label_edits) == 2 and float(after.label_edits[-1].start_s[0]) == 12.0
    assert path.read_bytes()[:len(raw)] == bytes(raw)
