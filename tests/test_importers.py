"""Importers: HAPT files from shared/ and generic CSV with units, labels and errors."""

from __future__ import annotations

import functools
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


# --- delimiters, byte-order marks and unit sanity (issue 19 part 2) ---

@functools.lru_cache(maxsize=1)
def worn_rows(seconds: float = 300.0, rate_hz: float = 50.0) -> tuple[np.ndarray, np.ndarray]:
    """A simulated wearer's samples as CSV numbers (t s, acc g, gyro deg/s) and label codes."""
    from monitor.sim import SimulatedWearer

    chunks = [c for c in SimulatedWearer(seed=3, rate_hz=rate_hz).run(seconds) if len(c.block)]
    t = np.concatenate([c.block.t_s for c in chunks])
    acc = np.concatenate([c.block.acc_g for c in chunks])
    gyro = np.concatenate([c.block.gyro_dps for c in chunks])  # type: ignore[misc]
    return np.column_stack([t, acc, gyro]), np.concatenate([c.code for c in chunks])


def write_worn(path: Path, *, sep: str = ",", decimal: str = ".", bom: bool = False, eol: str = "\n",
               time_scale: float = 1.0, acc_scale: float = 1.0) -> Path:
    """The simulated samples as a CSV with labels, in the given dialect and (scaled) units."""
    from monitor.labels import NAMES

    numbers, codes = worn_rows()
    numbers = numbers * np.array([time_scale, *[acc_scale] * 3, 1, 1, 1])
    lines = [sep.join(["t", "acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z", "label"])]
    for row, code in zip(numbers, codes, strict=True):
        cells = [f"{v:.6f}".replace(".", decimal) for v in row]
        lines.append(sep.join([*cells, NAMES.get(int(code), "")]))
    path.write_text(eol.join(lines) + eol, encoding="utf-8-sig" if bom else "utf-8", newline="")
    return path


def same_import(a: object, b: object) -> None:
    assert isinstance(a, type(b))
    for x, y in ((a.block.t_s, b.block.t_s), (a.block.acc_g, b.block.acc_g),  # type: ignore[attr-defined]
                 (a.block.gyro_dps, b.block.gyro_dps)):  # type: ignore[attr-defined]
        np.testing.assert_array_equal(x, y)
    np.testing.assert_array_equal(a.labels.at(a.block.t_s), b.labels.at(b.block.t_s))  # type: ignore[attr-defined]


@pytest.mark.parametrize("dialect", [
    {"bom": True, "eol": "\r\n"},  # Excel's 'CSV UTF-8' on Windows
    {"sep": ";", "decimal": ","},  # a spreadsheet in a decimal-comma locale
    {"sep": ";"}, {"sep": "\t"}, {"sep": "|"}, {"eol": "\r"},
])
def test_bom_and_delimiters_import_the_same_samples(tmp_path: Path, dialect: dict[str, object]) -> None:
    plain = read_csv(write_worn(tmp_path / "plain.csv"), CsvLayout())
    other = read_csv(write_worn(tmp_path / "other.csv", **dialect), CsvLayout())  # type: ignore[arg-type]
    assert len(plain.block) > 1000 and len(plain.labels) > 1
    same_import(other, plain)


def test_explicit_delimiter(tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from monitor.cli.main import main

    # the delimiter given is the one used, whatever the header would suggest
    path = tmp_path / "odd.csv"
    path.write_text("t;x;y;z;note,1\n0;0;0;1;a\n0.02;0;0;1;b\n0.04;0;0;1;c\n")
    layout = CsvLayout(acc=("x", "y", "z"), gyro=None, label=None, delimiter=";")
    assert read_csv(path, layout).block.rate_hz == 50.0
    with pytest.raises(ImportFormatError, match="read with --delimiter ','"):
        read_csv(path, CsvLayout(acc=("x", "y", "z"), gyro=None, label=None, delimiter=","))
    tabbed = write_worn(tmp_path / "tabbed.csv", sep="\t")
    assert main(["import", str(tabbed), "--format", "csv", "--out", str(tmp_path / "out"),
                 "--delimiter", "tab"]) == 0
    back = open_recording(tmp_path / "out" / "tabbed.pmrec").samples()
    assert back is not None and len(back) == len(read_csv(tabbed, CsvLayout()).block)


@pytest.mark.parametrize("scale, layout, hint", [
    ({"acc_scale": 9.80665}, {}, "give --acc-unit m/s2"),  # m/s2 read as g
    ({}, {"acc_unit": "m/s2"}, "give --acc-unit g"),  # g read as m/s2
    ({"acc_scale": 1000.0}, {}, "give --acc-unit mg"),
    ({"time_scale": 1000.0}, {}, "with --time-unit ms it is 50 Hz"),  # milliseconds read as seconds
    ({}, {"time_unit": "ms"}, "with --time-unit s it is 50 Hz"),
])
def test_unit_hint_for_implausible_units(tmp_path: Path, scale: dict[str, float], layout: dict[str, str],
                                         hint: str) -> None:
    path = write_worn(tmp_path / "day.csv", **scale)  # type: ignore[arg-type]
    with pytest.raises(ImportFormatError, match=hint) as err:
        read_csv(path, CsvLayout(**layout))  # type: ignore[arg-type]
    assert "--no-unit-check" in str(err.value)
    forced = read_csv(path, CsvLayout(**layout), check_units=False)  # type: ignore[arg-type]
    assert len(forced.block) > 1000


def test_unit_check_uses_the_whole_file_not_the_first_rows(tmp_path: Path) -> None:
    path = tmp_path / "spiky.csv"
    rows = [f"{i * 0.02:.2f},0,0,{9.0 if i < 40 else 1.0}" for i in range(400)]  # 0.8 s of 9 g first
    path.write_text("t,x,y,z\n" + "\n".join(rows))
    assert len(read_csv(path, CsvLayout(acc=("x", "y", "z"), gyro=None)).block) == 400
    path.write_text("t,x,y,z\n" + "\n".join(r.replace(",1.0", ",9.81") for r in rows).replace(",9.0", ",1.0"))
    with pytest.raises(ImportFormatError, match="--acc-unit m/s2"):
        read_csv(path, CsvLayout(acc=("x", "y", "z"), gyro=None))


def test_unit_check_passes_every_shipped_hapt_file(hapt_dir: Path) -> None:
    from monitor.importers.units import check_acc_unit, check_time_unit

    files = sorted(hapt_dir.glob("*.csv.gz"))
    assert len(files) >= 40
    for path in files:
        data = read_hapt(path)
        check_acc_unit(path, data.block.acc_g, "g")
        check_time_unit(path, "t", float(np.median(np.diff(data.block.t_s))), "s")
    via_csv = read_csv(files[0], CsvLayout(gyro_unit="rad/s"))  # the generic path, checks on
    same_import(via_csv, read_hapt(files[0]))


def test_the_readme_csv_example_imports(tmp_path: Path, isolated_home: Path) -> None:
    import re
    import shlex

    from monitor.cli.main import main

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    command = re.search(r"^posture-monitor import walk\.csv.*?(?<!\\)\n", readme, re.S | re.M)
    assert command is not None
    argv = shlex.split(command.group(0).replace("\\\n", " "))[1:]
    numbers, codes = worn_rows()
    lines = ["ms,ax,ay,az,gx,gy,gz,activity"]
    for row, code in zip(numbers, codes, strict=True):
        t_ms, acc_ms2, gyro_rad = row[0] * 1000, row[1:4] * 9.80665, np.radians(row[4:7])
        lines.append(",".join(f"{v:.6f}" for v in [t_ms, *acc_ms2, *gyro_rad]) + f",{int(code)}")
    (tmp_path / "walk.csv").write_text("\n".join(lines))
    argv = [str(tmp_path / a) if a in ("walk.csv", "recordings/") else a for a in argv]
    assert main(argv) == 0
    rec = open_recording(tmp_path / "recordings" / "walk.pmrec")
    back = rec.samples()
    assert back is not None and len(back) == len(numbers)
    np.testing.assert_allclose(back.acc_g, numbers[:, 1:4], atol=1e-5)
    np.testing.assert_array_equal(rec.labels().at(back.t_s), codes)
