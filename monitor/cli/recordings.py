"""`import`, `info` and `simulate`: make and inspect recordings."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

from monitor.cli.common import hours, load_config, out_dir, rate_hz, seed
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
    p.add_argument("--acc-columns", default="acc_x,acc_y,acc_z", metavar="X,Y,Z")
    p.add_argument("--gyro-columns", default="gyro_x,gyro_y,gyro_z", metavar="X,Y,Z",
                   help="angular-rate columns, or 'none' for an accelerometer-only file")
    p.add_argument("--label-column", default="label", help="optional label column")
    p.add_argument("--time-unit", default="s", help="s, ms or us")
    p.add_argument("--acc-unit", default="g", help="g, m/s2 or mg")
    p.add_argument("--gyro-unit", default="deg/s", help="deg/s or rad/s")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("info", parents=[parent], help="describe a recording")
    p.add_argument("file", type=Path)
    p.set_defaults(handler=cmd_info)

    p = sub.add_parser("simulate", parents=[parent], help="write a simulated wearer's recording")
    p.add_argument("--hours", type=hours, default=1.0)
    p.add_argument("--rate", type=rate_hz, default=100.0, metavar="HZ")
    p.add_argument("--seed", type=seed, default=0)
    p.add_argument("--out", type=Path, required=True, metavar="FILE")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(handler=cmd_simulate)


def _triple(text: str) -> tuple[str, str, str]:
    parts = [c.strip() for c in text.split(",")]
    if len(parts) != 3:
        raise argparse.ArgumentTypeError(f"{text!r}: give three comma-separated column names")
    return parts[0], parts[1], parts[2]


def cmd_import(args: argparse.Namespace) -> int:
    from monitor.importers import CsvLayout, read_csv, read_hapt, write_imported
    from monitor.importers.common import recording_name

    load_config(args)
    out = out_dir(args.out)
    layout = CsvLayout(args.time_column, _triple(args.acc_columns),
                       None if args.gyro_columns == "none" else _triple(args.gyro_columns),
                       args.label_column or None, args.time_unit, args.acc_unit, args.gyro_unit)
    for path in args.files:
        data = read_hapt(path) if args.format == "hapt" else read_csv(path, layout)
        target = write_imported(data, out / recording_name(path), overwrite=args.force)
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
    if rec.damage:
        info["damage"] = {"offset": rec.damage.offset, "reason": rec.damage.reason}
    return info


def cmd_info(args: argparse.Namespace) -> int:
    cfg = load_config(args)
    info = describe(args.file)
    if cfg["output.json"]:
        print(json.dumps(info, indent=2))
        return 0
    for key, value in info.items():
        if isinstance(value, dict):
            print(f"{key}:")
            for k, v in value.items():
                print(f"  {k}: {json.dumps(v) if isinstance(v, dict | list) else v}")
        else:
            print(f"{key}: {value}")
    if "damage" in info:
        d = info["damage"]
        print(f"warning: damaged tail at byte {d['offset']} ({d['reason']}); "
              "data before it is intact")
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
