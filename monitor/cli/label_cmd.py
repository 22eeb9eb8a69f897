"""`posture-monitor label RECORDING (--from T --to T LABEL | --from T --to T --clear | --list)`: the
wearer's labels edited afterwards (monitor/sessions/edits.py: an appended LABEL_EDITS record)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.cli.common import OneLineParser, load_config, say_stderr, settings_parent
from monitor.errors import InputError

if TYPE_CHECKING:
    from monitor.sessions.reader import Recording

USAGE = "give --list, --undo, --reset, or --from T --to T with a LABEL (or --clear)"


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
    own = settings_parent("with --list: the labels as JSON (offsets and ISO wall-clock times)")
    p = sub.add_parser("label", parents=[own], help="list or edit a recording's labels")
    p.__class__ = Intermixed  # the subparsers action makes plain parsers; this one adds no state
    p.add_argument("file", type=Path, metavar="RECORDING")
    p.add_argument("label", nargs="?", metavar="LABEL",
                   help="sitting, standing, walking, lying, slouching, not_sitting, ... (none clears)")
    p.add_argument("--from", dest="from_t", metavar="T",
                   help="start: seconds from the start (754.5), +h:mm:ss, a wall-clock HH:MM[:SS], start")
    p.add_argument("--to", dest="to_t", metavar="T",
                   help="end (inclusive), the same forms, or end (later ones are clipped to the end)")
    p.add_argument("--clear", action="store_true", help="remove the labels between --from and --to")
    p.add_argument("--list", action="store_true", help="the labels as they read now (edits applied)")
    p.add_argument("--undo", action="store_true", help="drop the last edit (appended; the data is kept)")
    p.add_argument("--reset", action="store_true", help="drop every edit: the labels as recorded")
    p.set_defaults(handler=cmd_label)


def cmd_label(args: argparse.Namespace) -> int:
    from monitor.sessions.edits import open_to_label

    cfg = load_config(args)
    rec = open_to_label(args.file)
    action = [name for name in ("list", "undo", "reset") if getattr(args, name)]
    if action:
        if len(action) > 1 or args.label or args.clear or args.from_t or args.to_t:
            raise InputError(f"label --{action[0]} takes no other option or LABEL; {USAGE}")
        if args.list:
            _print_list(rec, cfg["output.json"])
        else:
            _undo(rec, everything=args.reset)
        return 0
    _edit(rec, args)
    return 0


def _edit(rec: Recording, args: argparse.Namespace) -> None:
    from monitor.labels import NAMES, UNLABELLED, code_for
    from monitor.sessions.edits import append_label_edit, checked_span, span_text

    if args.from_t is None or args.to_t is None:
        raise InputError(f"{rec.path}: --from and --to are both needed to label; {USAGE}")
    if args.clear == (args.label is not None):
        raise InputError(f"give either a LABEL or --clear; {USAGE}")
    code = UNLABELLED if args.clear else code_for(args.label)
    span = checked_span(rec, args.from_t, args.to_t)
    for note in span.notes:
        say_stderr(note)
    _say(append_label_edit(rec, span.start_s, span.end_s, code))
    what = "cleared" if code == UNLABELLED else f"labelled {NAMES[code]}"
    print(f"{rec.path}: {what} {span_text(rec, span.start_s, span.end_s)}")


def _undo(rec: Recording, everything: bool) -> None:
    from monitor.sessions.edit_log import describe, reset_all, undo_last
    from monitor.sessions.edits import append_record

    undo = reset_all(rec) if everything else undo_last(rec)
    _say(append_record(rec, undo.record))
    if everything:
        print(f"{rec.path}: dropped {len(undo.dropped)} label edit(s); the labels are as recorded")
    else:
        print(f"{rec.path}: undid {describe(undo.dropped[0])}")


def _say(note: str | None) -> None:
    if note is not None:
        say_stderr(note)


def _print_list(rec: Recording, as_json: bool) -> None:
    from monitor.sessions.edits import list_lines, list_rows

    if as_json:
        print(json.dumps(list_rows(rec)))
        return
    print("\n".join(list_lines(rec)))
