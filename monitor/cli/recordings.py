"""`import`, `info` and `simulate`: make and inspect recordings."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

from monitor.cli.common import hours, load_config, rate_hz, seed
from monitor.decode import GapCounter
from monitor.errors import InputError
from monitor.sessions import open_recording


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("import", parents=[parent], help="convert labelled CSV data to recordings")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--format", choices=["hapt", "csv"], required=True)
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    p.add_argument("--force", action="store_true", help="overwrite existing recordings")
    p.add_argument("--time-column", default="t")
    p.add_argument("--acc-columns", type=_triple, default=("acc_x", "acc_y", "acc_z"), metavar="X,Y,Z")
    p.add_argument("--gyro-columns", type=_triple_or_none, default=("gyro_x", "gyro_y", "gyro_z"),
                   metavar="X,Y,Z", help="angular-rate columns, or 'none' for an accelerometer-only file")
    p.add_argument("--label-column", help="label column (default: 'label' when there is one; 'none' to "
                                          "ignore labels)")
    p.add_argument("--delimiter", type=_delimiter, help="',', ';', 'tab' or '|' (default: sniffed from "
                                                        "the header line)")
    p.add_argument("--time-unit", default="s", help="s, ms or us")
    p.add_argument("--acc-unit", default="g", help="g, m/s2 or mg")
    p.add_argument("--gyro-unit", default="deg/s", help="deg/s or rad/s")
    p.add_argument("--no-unit-check", dest="unit_check", action="store_false",
                   help="import even when median |acc| is not about 1 g or the sample rate is implausible")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("info", parents=[parent], help="describe a recording")
    p.add_argument("file", type=Path)
    p.set_defaults(handler=cmd_info)

    p = sub.add_parser("simulate", parents=[parent], help="write a simulated wearer's recording")
    p.add_argument("--hours", type=hours, default=1.0, metavar="H",
                   help="length of the simulated day in hours (default 1; at most 744)")
    p.add_argument("--rate", type=rate_hz, default=100.0, metavar="HZ", help="sample rate (default 100 Hz)")
    p.add_argument("--seed", type=seed, default=0,
                   help="random seed: the same seed gives the same wearer and recording (default 0)")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="the recording to write (.pmrec)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(handler=cmd_simulate)


def _triple(text: str) -> tuple[str, str, str]:
    """Three distinct, non-empty column names, comma-separated (X,Y,Z)."""
    parts = [c.strip() for c in text.split(",")]
    if len(parts) != 3 or not all(parts):
        raise argparse.ArgumentTypeError(f"{text!r}: give three comma-separated column names (X,Y,Z), "
                                         f"got {len([p for p in parts if p])}")
    if len(set(parts)) != 3:
        raise argparse.ArgumentTypeError(f"{text!r}: the three column names must differ")
    return parts[0], parts[1], parts[2]


def _triple_or_none(text: str) -> tuple[str, str, str] | None:
    return None if text.strip().lower() == "none" else _triple(text)


DELIMITERS = {",": ",", ";": ";", "tab": "\t", "\\t": "\t", "\t": "\t", "|": "|"}


def _delimiter(text: str) -> str:
    if text.lower() not in DELIMITERS:
        raise argparse.ArgumentTypeError(f"{text!r}: choose one of , ; tab |")
    return DELIMITERS[text.lower()]


def _label_column(text: str | None) -> tuple[str | None, bool]:
    """--label-column: not given -> 'label' if present; 'none' -> no labels; a name -> required."""
    if text is None:
        return "label", False
    return (None, False) if text.strip().lower() in ("", "none") else (text, True)


def import_folder(path: Path) -> Path:
    """--out of `import`: a folder, made when missing; one line naming it when it cannot be."""
    blocker = next((p for p in (path, *path.parents) if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        where = "" if blocker == path else f": {blocker} is a file"
        raise InputError(f"--out {path}: not a directory{where}")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"--out {path}: cannot create the directory: {e.strerror}") from None
    return path


def cmd_import(args: argparse.Namespace) -> int:
    from monitor.importers import CsvLayout, import_targets, read_csv, read_hapt, write_imported

    load_config(args)
    label, required = _label_column(args.label_column)
    layout = CsvLayout(args.time_column, args.acc_columns, args.gyro_columns, label, args.time_unit,
                       args.acc_unit, args.gyro_unit, required, args.delimiter)
    targets = import_targets(args.files, import_folder(args.out))
    for path, target in targets:
        data = (read_hapt(path) if args.format == "hapt"
                else read_csv(path, layout, check_units=args.unit_check))
        write_imported(data, target, overwrite=args.force)
        print(f"{path} -> {target}: {len(data.block)} samples at {data.block.rate_hz:g} Hz, "
              f"{len(data.labels)} labelled segments")
    return 0


def describe(path: Path) -> dict[str, Any]:
    """Header, duration, sample and frame counts, gaps and label summary of a recording."""
    rec = open_recording(path)
    block, frames = rec.samples(), rec.frames()
    t = block.t_s if block is not None else frames.t_s
    rate = float(rec.header.get("sample_rate_hz") or 0) or (block.rate_hz if block else 1.0)
    gaps = GapCounter(rate)
    if block is not None:
        gaps.update(block.t_s)
    info: dict[str, Any] = {
        "file": str(path), "header": rec.header,
        "duration_s": round(float(t[-1] - t[0]), 3) if len(t) else 0.0,
        "samples": len(block) if block is not None else 0, "frames": len(frames),
        "gyro": bool(block is not None and block.has_gyro),
        "gaps": gaps.count, "missing_s": round(gaps.missing_s, 3),
        "labels_s": {k: round(v, 2) for k, v in rec.labels().summary().items()},
        "ground_truth": rec.truth_arrays() is not None,
    }
    undeclared = frames.undeclared()
    if undeclared:
        info["undeclared_characteristic_frames"] = undeclared
    if rec.damaged:
        info["damage"] = [{"offset": d.offset, "length": d.length, "reason": d.reason,
                           "lost_s": None if d.lost_s is None else round(d.lost_s, 3)} for d in rec.damaged]
    return info


def warnings(info: dict[str, Any]) -> list[str]:
    """What `info` says about a recording's damage and frames a replay will drop, one line each."""
    out = [f"warning: {n} frames on characteristic index {i}, which no META record declares: "
           "a replay drops them" for i, n in info.get("undeclared_characteristic_frames", {}).items()]
    for d in info.get("damage", []):
        lost = "time unknown" if d["lost_s"] is None else f"about {d['lost_s']:.1f} s lost"
        out.append(f"warning: damaged at byte {d['offset']}, {d['length']} bytes ({lost}): {d['reason']}")
    if len(info.get("damage", [])) > 1:
        lost_s = sum(d["lost_s"] or 0.0 for d in info["damage"])
        out.append(f"warning: {len(info['damage'])} damaged spans, about {lost_s:.1f} s lost; "
                   "every intact record is read")
    return out


def cmd_info(args: argparse.Namespace) -> int:
    cfg = load_config(args)
    info = describe(args.file)
    if cfg["output.json"]:
        print(json.dumps(info, indent=2))
        return 0
    for key, value in info.items():
        if key in ("damage", "undeclared_characteristic_frames"):
            continue
        if isinstance(value, dict):
            print(f"{key}:")
            for k, v in value.items():
                print(f"  {k}: {json.dumps(v) if isinstance(v, dict | list) else v}")
        else:
            print(f"{key}: {value}")
    print("\n".join(warnings(info)) or "damage: none")
    return 0


SIM_BYTES_PER_SAMPLE = 34.0  # a simulated recording with truth (measured: 33.0 at 100 Hz)


def room_for(path: Path, size_bytes: float) -> None:
    """Refuse to start a file that cannot fit on its disk (better than filling it)."""
    folder = path.resolve().parent
    if not folder.is_dir():
        raise InputError(f"--out {path}: {folder} is not a directory")
    free = shutil.disk_usage(folder).free
    if size_bytes > 0.9 * free:
        raise InputError(f"--out {path}: would take about {size_bytes / 1e9:.1f} GB, "
                         f"{free / 1e9:.1f} GB free there; fewer --hours or a lower --rate")


def cmd_simulate(args: argparse.Namespace) -> int:
    from monitor.labels import LabelSegments
    from monitor.sessions import RecordingWriter
    from monitor.sessions.writer import base_header
    from monitor.sim import SimulatedWearer

    load_config(args)
    room_for(args.out, args.hours * 3600 * args.rate * SIM_BYTES_PER_SAMPLE)
    wearer = SimulatedWearer(seed=args.seed, rate_hz=args.rate)
    header = base_header(sample_rate_hz=args.rate, kind="samples", source={"format": "simulator"},
                         simulation=wearer.describe())
    n = 0
    with RecordingWriter(args.out, header, overwrite=args.force) as w:
        for c in wearer.run(args.hours * 3600):
            if len(c.block) == 0:
                continue
            w.write_samples(c.block, c.tilt_deg, c.slouch)
            w.write_labels(LabelSegments.from_per_sample(c.block.t_s, c.code))
            n += len(c.block)
    print(f"{args.out}: {n} samples, {args.hours:g} h at {args.rate:g} Hz, seed {args.seed}, "
          f"{args.out.stat().st_size / 1e6:.1f} MB")
    return 0
