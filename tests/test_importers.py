"""Importers: HAPT files from shared/ and generic CSV with units, labels and errors."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from monitor.errors import ImportFormatError, InputError
from monitor.importers import CsvLayout, read_csv, read_hapt, write_imported
from monitor.labels import CODES
from monitor.sessions import open_recording


def test_hapt_import_keeps_samples_units_and_labels(hapt_dir: Path, tmp_path: Path) -> None:
    src = hapt_dir / "subject01_exp1.csv.gz"
    with gzip.open(src, "rt") as f:
        rows = np.loadtxt(f, delimiter=",", skiprows=1)
    data = read_hapt(src)
    assert data.block.rate_hz == 50.0
    np.testing.assert_allclose(data.block.gyro_dps, np.degrees(rows[:, 4:7]))  # rad/s -> deg/s
    out = write_imported(data, tmp_path / "s1.pmrec")
    rec = open_recording(out)
    back = rec.samples()
    assert back is not None and len(back) == len(rows)
    np.testing.assert_array_equal(back.t_s, rows[:, 0])
    np.testing.assert_allclose(back.acc_g, rows[:, 1:4], atol=1e-6)
    np.testing.assert_array_equal(rec.labels().at(back.t_s), rows[:, 7].astype(np.int16))
    assert {"sitting", "standing", "lying", "stand_to_sit"} <= set(rec.labels().summary())


def test_generic_csv_units_and_label_names(tmp_path: Path) -> None:
    path = tmp_path / "walk.csv"
    lines = ["ms,ax,ay,az,gx,gy,gz,what"]
    for i in range(100):
        name = "sitting" if i < 40 else "sit_to_stand" if i < 50 else "standing"
        lines.append(f"{1000 + 10 * i},0,0,9.80665,0,{np.pi:.9f},0,{name}")
    path.write_text("\n".join(lines))
    layout = CsvLayout("ms", ("ax", "ay", "az"), ("gx", "gy", "gz"), "what", "ms", "m/s2", "rad/s")
    data = read_csv(path, layout)
    assert data.block.rate_hz == 100.0 and data.block.t_s[0] == 0.0
    np.testing.assert_allclose(data.block.acc_g[:, 2], 1.0)
    np.testing.assert_allclose(data.block.gyro_dps[:, 1], 180.0)  # type: ignore[index]
    codes = data.labels.at(data.block.t_s)
    assert codes[0] == CODES["sitting"] and codes[45] == CODES["sit_to_stand"] and codes[-1] == CODES["standing"]


def test_generic_csv_without_gyro_or_labels(tmp_path: Path) -> None:
    path = tmp_path / "acc.csv"
    path.write_text("t,x,y,z\n0,0,0,1\n0.02,0,0,1\n0.04,0,0,1\n")
    data = read_csv(path, CsvLayout(acc=("x", "y", "z"), gyro=None, label=None))
    assert data.block.gyro_dps is None and len(data.labels) == 0 and data.block.rate_hz == 50.0


@pytest.mark.parametrize("text, message", [
    ("t,x,y,z\n0,0,0,1\n0.02,0,oops,1\n", "line 3: column 'y': 'oops' is not a finite number"),
    ("t,x,y\n0,0,0\n", "missing column 'z'"),
    ("t,x,y,z\n0,0,0,1\n0,0,0,1\n", "line 3: time column 't' does not increase: repeats"),
    ("t,x,y,z,label\n0,0,0,1,dancing\n0.1,0,0,1,sitting\n", "line 2: column 'label': unknown label 'dancing'"),
])
def test_generic_csv_errors_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ImportFormatError, match=message) as err:
        read_csv(path, CsvLayout(acc=("x", "y", "z"), gyro=None))
    assert str(path) in str(err.value)


def test_bad_units_and_non_hapt_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--acc-unit 'furlong'"):
        CsvLayout(acc_unit="furlong")
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ImportFormatError, match="not a HAPT file"):
        read_hapt(path)
