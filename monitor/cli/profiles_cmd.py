"""`posture-monitor profiles list [--json] | show ID | check FILE`: the sensors we can read."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from monitor.cli.common import load_config
from monitor.profiles import Profile, Registry, load_profile


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("profiles", help="list, show and check device profiles")
    psub = p.add_subparsers(dest="profiles_command", metavar="ACTION", required=True)
    ls = psub.add_parser("list", parents=[parent], help="every known profile")
    ls.set_defaults(handler=cmd_list)
    show = psub.add_parser("show", parents=[parent], help="one profile in full")
    show.add_argument("id")
    show.set_defaults(handler=cmd_show)
    check = psub.add_parser("check", parents=[parent], help="validate a profile TOML file")
    check.add_argument("file", type=Path)
    check.set_defaults(handler=cmd_check)


def summary(p: Profile) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "version": p.version, "gyro": p.has_gyro,
            "rates_hz": list(p.rate.supported_hz), "path": str(p.path)}


def details(p: Profile) -> dict[str, Any]:
    return {**summary(p), "service": p.service, "name_patterns": list(p.name_patterns),
            "service_uuids": list(p.service_uuids), "default_hz": p.rate.default_hz,
            "streams": [{"characteristic": s.characteristic, "provides": sorted(s.provides),
                         "frame_bytes": s.frame_bytes, "samples_per_frame": s.samples_per_frame or "auto",
                         "fields": [f.name for f in s.fields]} for s in p.streams],
            "battery": p.battery_characteristic, "axes": list(p.axes),
            "limits": {"acc_g": p.acc_range_g, "gyro_dps": p.gyro_range_dps},
            "notes": p.notes, "unverified": list(p.unverified)}


def cmd_list(args: argparse.Namespace) -> int:
    cfg = load_config(args)
    rows = [summary(p) for p in Registry.load(cfg["paths.profiles_dir"])]
    if cfg["output.json"]:
        print(json.dumps(rows))
        return 0
    for r in rows:
        rates = ", ".join(f"{x:g}" for x in r["rates_hz"])
        print(f"{r['id']:<24} v{r['version']}  {'acc+gyro' if r['gyro'] else 'acc only':<9} "
              f"{rates:<26} {r['name']}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    cfg = load_config(args)
    d = details(Registry.load(cfg["paths.profiles_dir"]).get(args.id))
    if cfg["output.json"]:
        print(json.dumps(d, indent=2))
        return 0
    for key in ("id", "name", "version", "path", "service", "name_patterns", "service_uuids",
                "rates_hz", "default_hz", "battery", "axes", "limits"):
        print(f"{key + ':':<15} {d[key]}")
    for s in d["streams"]:
        print(f"stream:         {s['characteristic']} -> {', '.join(s['fields'])}")
    print(f"\n{d['notes']}")
    for u in d["unverified"]:
        print(f"UNVERIFIED: {u}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    p = load_profile(args.file)
    print(f"{args.file}: ok ({p.id} v{p.version}, {len(p.streams)} stream(s))")
    return 0
