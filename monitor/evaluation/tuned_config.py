"""The settings `tune` chose, as a config file: a comment header saying how they were chosen, an
`[engine]` table that `--config FILE` (monitor/config.py) reads back as exactly these EngineSettings,
and every other setting of the config file the search started from, as it was (a complete config file:
using it changes only what tune chose)."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from monitor.config import Config, setting
from monitor.engine import EngineSettings
from monitor.errors import InputError
from monitor.evaluation.grid import Value, settings_at

ENGINE_FIELDS = frozenset(f.name for f in dataclasses.fields(EngineSettings))


def check_out(path: Path, force: bool) -> None:
    """Refuse, before any work, to overwrite a file without --force or to write into a missing directory."""
    if path.exists() and not force:
        raise InputError(f"--out {path}: exists (use --force to overwrite)")
    if path.is_dir():
        raise InputError(f"--out {path}: is a directory")
    if not path.parent.is_dir():
        raise InputError(f"--out {path}: no such directory {path.parent}")


def engine_fields(chosen: EngineSettings, searched: Sequence[str], cfg: Config | None = None
                  ) -> dict[str, Value]:
    """The fields to write: every searched one, and any other the config file (or a flag) set or that
    differs from the defaults, in EngineSettings order."""
    defaults = EngineSettings()
    given = {k.removeprefix("engine.") for k, v in (cfg.sources.items() if cfg else ()) if v != "default"}
    return {f.name: getattr(chosen, f.name) for f in dataclasses.fields(EngineSettings)
            if f.name in searched or f.name in given or getattr(chosen, f.name) != getattr(defaults, f.name)}


def write_chosen(path: Path, report: dict[str, Any], base: EngineSettings, searched: Sequence[str],
                 cfg: Config, sources: Sequence[str]) -> dict[str, Any]:
    """Write the best point on all subjects, with the config file's other settings; what was written."""
    fields = engine_fields(settings_at(base, report["in_sample_best"]["point"]), searched, cfg)
    kept, _ = kept_settings(cfg)
    write_tuned(path, fields, kept, header(report, sources, cfg))
    return {"file": str(path), "engine": fields, "kept": list(kept)}


def _engine_key(key: str) -> bool:
    """A config key that sets an EngineSettings field (what tune may write)."""
    return key.startswith("engine.") and key.removeprefix("engine.") in ENGINE_FIELDS


def start_name(cfg: Config) -> str:
    """What the search starts from (point 0): `defaults`, or `current settings (from FILE)` when the
    config file (or a flag) sets an engine field."""
    froms = dict.fromkeys(cfg.sources[k] for k in cfg.values
                          if _engine_key(k) and cfg.sources[k] != "default")
    return f"current settings (from {', '.join(froms)})" if froms else "defaults"


def kept_settings(cfg: Config) -> tuple[dict[str, Any], list[str]]:
    """The config file's settings that tune does not choose (to be written as they were), and the keys
    of its secrets (left out)."""
    mine = [k for k in cfg.values if cfg.sources[k] == str(cfg.file) and not _engine_key(k)]
    secret = [k for k in mine if getattr(setting(k), "secret", False)]
    return {k: cfg[k] for k in mine if k not in secret}, secret


def toml_value(value: Any) -> str:
    """A TOML literal: true/false, a whole number, the float's shortest exact repr (it reads back bit
    for bit), or a string (a path as text)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value))  # a JSON string is a TOML basic string


def header(report: dict[str, Any], sources: Sequence[str], cfg: Config) -> list[str]:
    """How the settings were chosen, and what else the file holds, one comment line each."""
    lso, best, start = report["leave_subjects_out"], report["in_sample_best"], report["current"]
    shown = ", ".join(sources[:5]) + (f" and {len(sources) - 5} more" if len(sources) > 5 else "")
    return [*_contents(cfg),
            f"recordings: {report['recordings']} ({report['subjects']} subjects) from {shown}",
            f"search: {report['search']}, {report['points']} points over {', '.join(start['point'])} "
            f"(the {start['name'].split(' (')[0]} included); calibration {report['calibration']}",
            f"objective: {report['objective']}",
            f"in-sample: chosen {best['objective']:.4f}, {start['name']} {start['objective']:.4f}",
            f"leave-subjects-out, {len(lso['folds'])} folds by subject: held-out {lso['objective']:.4f} "
            f"({headline(lso['figures'])})"]


def _contents(cfg: Config) -> list[str]:
    """What the file holds and how to use it."""
    kept, secret = kept_settings(cfg)
    if not kept and not secret:
        return ["Engine settings chosen by `posture-monitor tune` (use: --config FILE, or copy the [engine]",
                "table into your config file)."]
    lines = [f"Engine settings chosen by `posture-monitor tune`, and the other settings of {cfg.file}",
             f"as they were ({', '.join(kept) or 'none'}):",
             "a complete config file (use: --config FILE, or make it your config file)."]
    if secret:
        lines.append(f"Not copied (secret): {', '.join(secret)}; add it yourself (or use the environment).")
    return lines


def headline(figures: dict[str, Any]) -> str:
    """The four figures of the objective, named."""
    tr = figures["transitions"]
    return (f"balanced accuracy {_f(figures['static']['balanced_accuracy'])}, walking upright "
            f"{_f(figures['walking_upright'])}, stand_to_sit F1 {_f(tr['stand_to_sit']['f1'])}, "
            f"sit_to_stand F1 {_f(tr['sit_to_stand']['f1'])}")


def _f(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def render(fields: dict[str, Value], kept: dict[str, Any], comments: Sequence[str]) -> str:
    """The header, the [engine] table (tune's fields, then the file's other engine keys), then the
    file's other tables in their order."""
    tables: dict[str, list[str]] = {"engine": [f"{name} = {toml_value(v)}" for name, v in fields.items()]}
    for key, value in kept.items():
        table, name = key.split(".", 1)
        tables.setdefault(table, []).append(f"{name} = {toml_value(value)}")
    lines = [f"# {c}" for c in comments]
    for table, rows in tables.items():
        lines += ["", f"[{table}]", *rows]
    return "\n".join(lines) + "\n"


def write_tuned(path: Path, fields: dict[str, Value], kept: dict[str, Any], comments: Sequence[str]) -> None:
    """Write the file whole or not at all (a temporary file renamed over it)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(render(fields, kept, comments), encoding="utf-8")
    os.replace(tmp, path)
