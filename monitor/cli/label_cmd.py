"""`posture-monitor label RECORDING (--from T --to T LABEL | --from T --to T --clear | --list)`: the
wearer's labels edited afterwards (monitor/sessions/edits.py: an appended LABEL_EDITS record)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.cli.common import OneLineParser, load_config, say_stderr
from monitor.errors import InputError

if TYPE_CHECKING:
    from monitor.sessions.reader import Recording

USAGE = "give --list, or --from T --to T with a LABEL (or --clear)"


class Intermixed(OneLineParser):
    """A parser whose positionals may follow its options (`label REC --from T --to T LABEL`); bad
    arguments are one line, as everywhere."""

    inner = False

    def parse_known_args(  # type: ignore[override]  # the base's overloads only narrow the namespace
            self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        if self.inner:  # parse_known_intermixed_args parses through this method again
            return super().parse_known_args(args, namespace)
        self.inner = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self.inner = False


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("label", parents=[parent], help="list or edit a recording's labels")
    p.__class__ = Intermixed  # the subparsers action makes plain parsers; this one adds no state
    p.add_argument("file", type=Path, metavar="RECORDING")
    p.add_argument("label", nargs="?", metavar="LABEL",
                   help="sitting, standing, walking, lying, slouching, not_sitting, ... (none clears)")
    p.add_argument("--from", dest="from_t", metavar="T",
                   help="start: seconds from the start (754.5), +h:mm:ss, a wall-clock HH:MM[:SS], start")
    p.add_argument("--to", dest="to_t", metavar="T", help="end (inclusive), the same forms, or end")
    p.add_argument("--clear", action="store_true", help="remove the labels between --from and --to")
    p.add_argument("--list", action="store_true", help="the labels as they read now (edits applied)")
    p.set_defaults(handler=cmd_label)


def cmd_label(args: argparse.Namespace) -> int:
    from monitor.sessions import open_recording

    cfg = load_config(args)
    rec = open_recording(args.file)
    if args.list:
        if args.label or args.clear or args.from_t or args.to_t:
            raise InputError(f"label --list takes no LABEL, --from, --to or --clear; {USAGE}")
        _print_list(rec, cfg["output.json"])
        return 0
    _edit(rec, args)
    return 0


def _edit(rec: Recording, args: argparse.Namespace) -> None:
    from monitor.labels import NAMES, UNLABELLED, code_for
    from monitor.sessions.edits import append_label_edit, checked_span, hms

    if args.from_t is None or args.to_t is None:
        raise InputError(f"{rec.path}: --from and --to are both needed to label; {USAGE}")
    if args.clear == (args.label is not None):
        raise InputError(f"give either a LABEL or --clear; {USAGE}")
    code = UNLABELLED if args.clear else code_for(args.label)
    start, end = checked_span(rec, args.from_t, args.to_t)
    note = append_label_edit(rec, start, end, code)
    if note is not None:
        say_stderr(note)
    what = "cleared" if code == UNLABELLED else f"labelled {NAMES[code]}"
    print(f"{rec.path}: {what} {hms(start)}-{hms(end)}")


def _print_list(rec: Recording, as_json: bool) -> None:
    from monitor.sessions.edits import hms, spans
    from monitor.timebase import TimeBase

    rows = spans(rec)
    if as_json:
        print(json.dumps([{"start_s": r.start_s, "end_s": r.end_s, "label": r.name} for r in rows]))
        return
    timebase = TimeBase.from_header(rec.header)
    for r in rows:
        wall = f"{timebase.local(r.start_s):%H:%M:%S}-{timebase.local(r.end_s):%H:%M:%S}"
        print(f"{hms(r.start_s):>11}-{hms(r.end_s):<11} {wall}  {hms(r.end_s - r.start_s):>9}  {r.name}")
    if not rows:
        print(f"{rec.path}: no labels")
