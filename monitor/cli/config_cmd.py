"""`posture-monitor config show|path`: the effective configuration and where each value came from."""

from __future__ import annotations

import argparse
import json
import os
from typing import Any

from monitor.cli.common import load_config, settings_parent
from monitor.config import Config, all_settings, is_tuning, setting
from monitor.sinks.mqtt.settings import PASSWORD_ENV, hide_password


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("config", help="show the effective configuration")
    csub = p.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    show_json = settings_parent("print every setting's value and source as JSON")
    show = csub.add_parser("show", parents=[show_json], help="every setting, its value and source")
    show.set_defaults(handler=cmd_show)
    path = csub.add_parser("path", parents=[parent], help="print the config file location")
    path.set_defaults(handler=cmd_path)
    keys_json = settings_parent("print the keys as a JSON list")
    keys = csub.add_parser("keys", parents=[keys_json], help="every key the config file takes: type, unit, "
                           "range, default and what it does (from the schema)")
    keys.set_defaults(handler=cmd_keys)


def _shown(key: str, value: Any) -> Any:
    """What may be printed: secrets hidden (a password written into the broker URL too), whole numbers
    as integers (30, not 30.0)."""
    known = setting(key)
    if value is not None and known is not None and known.secret:
        return "********"
    if key == "mqtt.url" and isinstance(value, str):
        return hide_password(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _json_value(value: Any) -> Any:
    return None if value is None else value if isinstance(value, bool | int | float) else str(value)


def _password_from_env(cfg: Config) -> None:
    """A password in the environment is set, not unset: say so (masked) and where it came from."""
    if cfg.values.get("mqtt.password") is None and os.environ.get(PASSWORD_ENV):
        cfg.values["mqtt.password"], cfg.sources["mqtt.password"] = "(from environment)", f"${PASSWORD_ENV}"


TUNING_NOTE = ("# engine tuning: [engine] in a config file only (what compare and tune take; "
               "`posture-monitor config keys` describes each)")


def cmd_show(args: argparse.Namespace) -> int:
    """Every setting with its value and source, then the engine tuning fields in their own section."""
    cfg = load_config(args)
    _password_from_env(cfg)
    values = {k: _shown(k, v) for k, v in cfg.values.items()}
    main = {k: v for k, v in values.items() if not is_tuning(k)}
    tuning = {k: v for k, v in values.items() if is_tuning(k)}
    if cfg["output.json"]:
        def rows(part: dict[str, Any]) -> dict[str, Any]:
            return {k: {"value": _json_value(v), "source": cfg.sources[k]} for k, v in part.items()}
        print(json.dumps({"file": str(cfg.file), "settings": rows(main), "tuning": rows(tuning)}, indent=2))
        return 0
    print(f"# config file: {cfg.file}{'' if cfg.file.exists() else ' (not present)'}")
    _print_rows(main, cfg.sources)
    print()
    print(TUNING_NOTE)
    _print_rows(tuning, cfg.sources)
    return 0


def _print_rows(values: dict[str, Any], sources: dict[str, str]) -> None:
    width = max(len(k) for k in values)
    for key, value in values.items():
        shown = "(unset)" if value is None else str(value).lower() if isinstance(value, bool) \
            else str(value)
        print(f"{key:<{width}} = {shown:<12} # from {sources[key]}")


def cmd_path(args: argparse.Namespace) -> int:
    print(load_config(args).file)
    return 0


def cmd_keys(args: argparse.Namespace) -> int:
    """The config table, generated from the schema (monitor/config.py and the settings dataclasses)."""
    cfg = load_config(args)
    rows = [{"key": s.key, "type": TYPE_NAMES[s.spec.kind], "unit": s.unit, "range": s.spec.range_text(),
             "choices": list(s.choices), "default": _json_value(_shown(s.key, s.default)),
             "flag": s.flag if s.cli else None, "help": s.help} for s in all_settings()]
    if cfg["output.json"]:
        print(json.dumps(rows, indent=2))
        return 0
    for r in rows:
        print(_key_lines(r))
    return 0


TYPE_NAMES = {"num": "number", "int": "whole number", "bool": "true/false", "str": "text", "path": "path"}


def _key_lines(r: dict[str, Any]) -> str:
    """`key = default  (type; range) [--flag]`, then its help indented."""
    default = r["default"]
    shown = "(unset)" if default is None else str(default).lower() if isinstance(default, bool) else default
    limits = r["range"] or ", ".join(r["choices"]) or r["unit"]
    kind = f"{r['type']}; {limits}" if limits else r["type"]
    flag = f" [{r['flag']}]" if r["flag"] else ""
    return f"{r['key']} = {shown}  ({kind}){flag}\n    {r['help']}"
