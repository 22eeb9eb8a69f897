"""The settings `tune` chose, as a config file: a comment header saying how they were chosen, and an
`[engine]` table that `--config FILE` (monitor/config.py) reads back as exactly these EngineSettings."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from monitor.engine import EngineSettings
from monitor.errors import InputError
from monitor.evaluation.grid import Value


def check_out(path: Path, force: bool) -> None:
    """Refuse, before any work, to overwrite a file without --force or to write into a missing directory."""
    if path.exists() and not force:
        raise InputError(f"--out {path}: exists (use --force to overwrite)")
    if path.is_dir():
        raise InputError(f"--out {path}: is a directory")
    if not path.parent.is_dir():
        raise InputError(f"--out {path}: no such directory {path.parent}")


def engine_fields(chosen: EngineSettings, searched: Sequence[str]) -> dict[str, Value]:
    """The fields to write: every searched one, and any other the chosen settings take from a config
    file (differs from the defaults), in EngineSettings order."""
    defaults = EngineSettings()
    return {f.name: getattr(chosen, f.name) for f in dataclasses.fields(EngineSettings)
            if f.name in searched or getattr(chosen, f.name) != getattr(defaults, f.name)}


def toml_value(value: Value) -> str:
    """A TOML literal: true/false, or the float's shortest exact repr (it reads back bit for bit)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(float(value))


def header(report: dict[str, Any], sources: Sequence[str]) -> list[str]:
    """How the settings were chosen, one comment line each."""
    lso, best, defaults = report["leave_subjects_out"], report["in_sample_best"], report["defaults"]
    shown = ", ".join(sources[:5]) + (f" and {len(sources) - 5} more" if len(sources) > 5 else "")
    return ["Engine settings chosen by `posture-monitor tune` (use: --config FILE, or copy the [engine]",
            "table into your config file).",
            f"recordings: {report['recordings']} ({report['subjects']} subjects) from {shown}",
            f"search: {report['search']}, {report['points']} points over {', '.join(defaults['point'])} "
            f"(the defaults included); calibration {report['calibration']}",
            f"objective: {report['objective']}",
            f"in-sample: chosen {best['objective']:.4f}, defaults {defaults['objective']:.4f}",
            f"leave-subjects-out, {len(lso['folds'])} folds by subject: held-out {lso['objective']:.4f} "
            f"({headline(lso['figures'])})"]


def headline(figures: dict[str, Any]) -> str:
    """The four figures of the objective, named."""
    tr = figures["transitions"]
    return (f"balanced accuracy {_f(figures['static']['balanced_accuracy'])}, walking upright "
            f"{_f(figures['walking_upright'])}, stand_to_sit F1 {_f(tr['stand_to_sit']['f1'])}, "
            f"sit_to_stand F1 {_f(tr['sit_to_stand']['f1'])}")


def _f(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def render(fields: dict[str, Value], comments: Sequence[str]) -> str:
    lines = [f"# {c}" for c in comments] + ["", "[engine]"]
    lines += [f"{name} = {toml_value(v)}" for name, v in fields.items()]
    return "\n".join(lines) + "\n"


def write_tuned(path: Path, fields: dict[str, Value], comments: Sequence[str]) -> None:
    """Write the file whole or not at all (a temporary file renamed over it)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(render(fields, comments), encoding="utf-8")
    os.replace(tmp, path)
