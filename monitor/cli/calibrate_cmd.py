"""`calibrate` (guided, against a sensor, the virtual sensor or a recording) and
`calibration show|list|delete`."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path
from typing import Any

from monitor.calibrate.guided import GuidedCalibration, Status
from monitor.calibrate.protocol import Preset, load_presets, load_protocol
from monitor.cli.common import count, load_config, seed, speed_factor
from monitor.decode import Decoder
from monitor.decode.clock import ClockSettings
from monitor.errors import CalibrationFailed, InputError
from monitor.run.sources import open_sources
from monitor.run.spec import BleSpec, ReplaySpec, SourceSpec
from monitor.samples import SampleBlock
from monitor.sources.base import Source
from monitor.sources.recorded import ReplaySource


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("calibrate", parents=[parent], help="guided calibration of a sensor, stored for it")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--device", metavar="NAME_OR_ADDRESS", help="a live sensor")
    src.add_argument("--virtual", metavar="PROFILE", help="a simulated sensor doing the protocol (no radio)")
    src.add_argument("--from", dest="recording", type=Path, metavar="RECORDING",
                     help="a recording of someone doing the protocol")
    p.add_argument("--profile", metavar="ID",
                   help="device profile (default: found by a scan, or the recording's)")
    p.add_argument("--preset", default=None, metavar="ID",
                   help=f"where the sensor is clipped: {', '.join(load_presets())} (checks its orientation)")
    p.add_argument("--retries", type=count, default=2, metavar="N",
                   help="retries of a failed step (default 2)")
    p.add_argument("--no-save", action="store_true", help="show the result, do not store it")
    p.add_argument("--speed", type=speed_factor, default=1.0, metavar="N",
                   help="--virtual only: times real time")
    p.add_argument("--seed", type=seed, default=0, help="--virtual only: the simulated wearer")
    p.set_defaults(handler=cmd_calibrate)

    c = sub.add_parser("calibration", help="stored calibrations")
    csub = c.add_subparsers(dest="calibration_command", metavar="ACTION", required=True)
    for name, helptext in (("show", "one sensor's calibration"), ("delete", "forget a sensor's calibration")):
        x = csub.add_parser(name, parents=[parent], help=helptext)
        x.add_argument("device", metavar="NAME_OR_ADDRESS")
        x.add_argument("--profile", metavar="ID")
        x.set_defaults(handler=cmd_show if name == "show" else cmd_delete)
    x = csub.add_parser("list", parents=[parent], help="every stored calibration")
    x.set_defaults(handler=cmd_list)


class Runner:
    """Feeds blocks to the guided calibration and tells the wearer what to do, step by step."""

    def __init__(self, guided: GuidedCalibration, retries: int, live_meter: bool) -> None:
        self.g, self.retries, self.meter = guided, retries, live_meter
        self.tries = 0
        self.shown: tuple[int, str] | None = None
        self.error: CalibrationFailed | None = None

    @property
    def over(self) -> bool:
        return self.g.finished or self.error is not None

    def feed(self, block: SampleBlock | None) -> None:
        if block is None or len(block) == 0 or self.over:
            return
        self.show(self.g.update(block))

    def show(self, s: Status) -> None:
        if self.shown is None or self.shown[0] != s.index:
            if s.finished:
                return
            say(f"step {s.index + 1}/{s.total}: {s.step.title}. {s.step.say}")
            self.tries = 0
        if s.state == "failed":
            self.failed(s)
        elif self.meter and s.state in ("waiting", "holding"):
            bar = "#" * round(10 * s.stillness)
            left = max(0.0, s.step.hold_s - s.held_s) if s.step.kind == "still" else 0.0
            what = f"hold {left:4.1f} s" if s.step.kind == "still" else f"bends {s.bends}/{s.step.count}"
            print(f"\r  still [{bar:<10}] {what}  time left {s.remaining_s:4.0f} s ", end="", file=sys.stderr)
        self.shown = (s.index, s.state)

    def failed(self, s: Status) -> None:
        msg = s.message or "failed"
        if self.tries < self.retries:
            self.tries += 1
            say(f"  {msg}. Again ({self.tries} of {self.retries}):")
            self.g.retry()
        elif not s.step.required:
            say(f"  {msg}. Skipping this optional step.")
            self.g.skip()
        else:
            self.error = CalibrationFailed(s.step.id, msg)


def say(text: str) -> None:
    print(f"\r{text}" if sys.stderr.isatty() else text, file=sys.stderr, flush=True)


def cmd_calibrate(args: argparse.Namespace) -> int:
    cfg = load_config(args)
    presets = load_presets()
    if args.preset is not None and args.preset not in presets:
        raise InputError(f"--preset {args.preset}: one of {', '.join(presets)}")
    preset = presets.get(args.preset) if args.preset else None
    if args.speed != 1.0 and not args.virtual:
        raise InputError(f"--speed {args.speed:g}: only --virtual can go faster than real time")
    opened = open_sources(_source_spec(args), cfg, say)
    try:
        src = opened.sources[0]
        runner = _runner(src.rate_hz, preset, args)
        _consume(src, runner, ClockSettings().scaled(args.speed))
    finally:
        opened.close()
    profile = src.profile.id if src.profile is not None else str(args.profile or "recording")
    device = _device(src, args)
    return _finish(runner, profile, device, preset, args.no_save, cfg["output.json"])


def _source_spec(args: argparse.Namespace) -> SourceSpec:
    """The recording, or the live (or virtual) sensor doing the protocol."""
    if args.recording is not None:
        return ReplaySpec(args.recording, None, args.profile)
    return BleSpec(devices=(args.device,) if args.device else (),
                   virtual=(args.virtual,) if args.virtual else (), profile_id=args.profile or args.virtual,
                   speed=args.speed, seed=args.seed, script="calibration")


def _consume(src: Source, runner: Runner, clock: ClockSettings) -> None:
    """Decoded blocks to the guided calibration until it is over or the data ends."""
    decoder = Decoder(src.profile, src.rate_hz, clock) if src.profile is not None else Decoder()
    stop = threading.Event()
    for item in src.items(stop):
        runner.feed(decoder.decode(item))
        if runner.over:
            stop.set()
    if not runner.over:
        runner.feed(decoder.flush())


def _device(src: Source, args: argparse.Namespace) -> str:
    if isinstance(src, ReplaySource):
        return str(src.rec.header.get("address") or args.recording.stem)
    return src.name


def _runner(rate_hz: float, preset: Preset | None, args: argparse.Namespace) -> Runner:
    return Runner(GuidedCalibration(load_protocol(), rate_hz, preset), args.retries, sys.stderr.isatty())


def _finish(runner: Runner, profile: str, device: str, preset: Preset | None, no_save: bool,
            as_json: bool) -> int:
    if runner.error is not None:
        raise runner.error
    g = runner.g
    if not g.finished:
        raise CalibrationFailed(g.step.id, "the data ended before the calibration finished")
    cal, source = g.result()
    for w in g.warnings:
        say(f"warning: {w}")
    saved = None
    if not no_save:
        from monitor.calibrate.store import CalibrationStore

        saved = CalibrationStore().save(profile, device, cal, preset.id if preset else None, source,
                                        g.warnings)
    out = {"device": device, "profile": profile, "steps": g.done_steps, "ml_axis_from": source,
           "sit_deg": round(cal.sit_deg, 1), "slump_deg": _r1(cal.slump_deg),
           "slouch_threshold_deg": _r1(cal.slouch_threshold_deg),
           "gyro_bias_dps": [round(b, 3) for b in cal.gyro_bias_dps], "warnings": g.warnings,
           "saved": str(saved) if saved else None}
    if as_json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:21} {v}")
    return 0


def _r1(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


def _store() -> Any:
    from monitor.calibrate.store import CalibrationStore

    return CalibrationStore()


def cmd_show(args: argparse.Namespace) -> int:
    found = _store().find(args.device, args.profile)
    if not found:
        raise InputError(f"{args.device}: no stored calibration (calibration list shows them)")
    from dataclasses import asdict

    print(json.dumps([asdict(s) for s in found], indent=2))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    rows = _store().all()
    if load_config(args)["output.json"]:
        print(json.dumps([{"device": s.device, "profile": s.profile, "created": s.created} for s in rows]))
        return 0
    print(f"{'device':24} {'profile':26} created")
    for s in rows:
        print(f"{s.device[:24]:24} {s.profile[:26]:26} {s.created}")
    if not rows:
        print("(none yet: posture-monitor calibrate --device NAME_OR_ADDRESS)")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    gone = _store().delete(args.device, args.profile)
    if not gone:
        raise InputError(f"{args.device}: no stored calibration to delete")
    for s in gone:
        print(f"deleted the calibration of {s.device} ({s.profile}, {s.created})")
    return 0
