"""Settings: defaults in one table, overridden by the TOML config file, then by CLI flags.

Every value remembers where it came from, so `config show` can say.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from monitor.coach.settings import CoachSettings
from monitor.engine.settings import EngineSettings
from monitor.errors import ConfigError
from monitor.paths import default_config_file
from monitor.schema import Kind, Spec, check, default_of, flatten, read_toml, spec_of

KINDS: dict[type, Kind] = {float: "num", int: "int", bool: "bool", str: "str", Path: "path"}


@dataclass(frozen=True)
class Setting:
    """One configurable value: dotted key (`section.name`), type, default, bounds in `unit`, help.
    `target` says which settings dataclass field it sets: (class, field name, field units per config
    unit); such a setting's default, bounds and help are that field's (see `from_field`)."""

    key: str
    kind: type
    default: Any
    help: str
    lo: float | None = None
    hi: float | None = None
    flag_name: str | None = None  # default: --<last part of the key>
    cli: bool = True  # False: config file only (secrets never go on a command line)
    choices: tuple[str, ...] = ()
    secret: bool = False  # never printed
    unit: str = ""
    lo_open: bool = False
    must_exist: Literal["", "file", "dir"] = ""  # a path that must be there
    target: tuple[type, str, float] | None = None

    @property
    def flag(self) -> str:
        return self.flag_name or "--" + self.key.split(".")[-1].replace("_", "-")

    @property
    def spec(self) -> Spec:
        return Spec(KINDS[self.kind], self.help, self.unit, self.lo, self.hi, self.lo_open,
                    choices=self.choices, exists=self.must_exist)


def from_field(key: str, cls: type, name: str, per: float = 1.0, unit: str = "", **kw: Any) -> Setting:
    """A setting made from a settings dataclass field: its default, bounds and help, in the config's
    unit (`per` field units to one config unit: 60 for a minutes key of a seconds field)."""
    spec = spec_of(cls, name)
    kind = {"num": float, "int": int, "bool": bool, "str": str}[spec.kind]
    default = default_of(cls, name)
    scaled = (lambda x: x) if per == 1 else (lambda x: None if x is None else x / per)
    return Setting(key, kind, scaled(default), spec.help, scaled(spec.lo), scaled(spec.hi),
                   unit=unit or spec.unit, lo_open=spec.lo_open, target=(cls, name, per), **kw)


SETTINGS: tuple[Setting, ...] = (
    Setting("paths.profiles_dir", Path, None, "extra directory of device profile TOML files (a profile "
            "there with a shipped profile's id replaces it, with a notice)", must_exist="dir"),
    from_field("engine.sitting_limit_min", CoachSettings, "sitting_limit_s", 60, "min"),
    from_field("engine.slouch_threshold_deg", EngineSettings, "slouch_threshold_deg"),
    from_field("engine.slouch_dwell_s", EngineSettings, "slouch_dwell_s"),
    from_field("coach.break_min", CoachSettings, "break_s", 60, "min"),
    from_field("coach.warn_before_min", CoachSettings, "warn_before_s", 60, "min"),
    from_field("coach.snooze_min", CoachSettings, "snooze_s", 60, "min"),
    from_field("coach.max_snoozes_per_day", CoachSettings, "max_snoozes_per_day"),
    from_field("coach.work_start_h", CoachSettings, "work_start_h"),
    from_field("coach.work_end_h", CoachSettings, "work_end_h"),
    Setting("output.json", bool, False, "print JSON instead of text (events as JSON lines; a command's "
            "results as one JSON document)"),
    Setting("notify.desktop", bool, True, "desktop notifications for break prompts and slouch nudges "
            "(live runs and the dashboard)", flag_name="--desktop-notify"),
    Setting("notify.bell", bool, False, "ring the terminal bell for break prompts and slouch nudges",
            flag_name="--bell"),
    Setting("mqtt.url", str, None, "publish to this MQTT broker: mqtt[s]://[user@]host[:port]",
            flag_name="--mqtt"),
    Setting("mqtt.username", str, None, "broker user name (or in the URL)", cli=False),
    Setting("mqtt.password", str, None, "broker password (or $POSTURE_MONITOR_MQTT_PASSWORD)", cli=False,
            secret=True),
    Setting("mqtt.ca_file", Path, None, "CA certificate file for mqtts:// (default: the system's)",
            flag_name="--mqtt-ca"),
    Setting("mqtt.protocol", str, "5", "MQTT protocol version", flag_name="--mqtt-protocol",
            choices=("5", "3.1.1")),
    Setting("mqtt.prefix", str, "posture-monitor", "topic prefix: <prefix>/<device_id>/...", cli=False),
    Setting("mqtt.device_id", str, None, "device id in topics and discovery (default: from the host name)",
            cli=False),
    Setting("mqtt.device_name", str, None, "the device's name in Home Assistant (default: Posture monitor "
            "(<host>)); entity ids are made from it", cli=False),
    Setting("mqtt.discovery_prefix", str, "homeassistant", "Home Assistant discovery prefix", cli=False),
    Setting("mqtt.tilt_rate_hz", float, 0.2, "most tilt state updates per second for small changes "
            "(0.2: one per 5 s)", 0.01, 50, cli=False, unit="Hz"),
    Setting("mqtt.tilt_jump_deg", float, 2.0, "a tilt change this big is published at once (at most once a "
            "second)", 0, 90, cli=False, unit="deg"),
    Setting("mqtt.tilt_min_change_deg", float, 0.5, "tilt change that is worth a state update",
            0, 30, cli=False, unit="deg"),
    Setting("mqtt.outbox_max", float, 10000.0, "messages kept while the broker is away (states go first)",
            100, 10_000_000, cli=False),
)
BY_KEY = {s.key: s for s in SETTINGS}


def setting(key: str) -> Setting | None:
    """A known key: one of SETTINGS, or `engine.<field>` for any other field of EngineSettings, so the
    settings `tune` chooses can be given with `--config` (file only: they are not flags)."""
    return BY_KEY.get(key) or _tuning().get(key)


@functools.cache
def _tuning() -> dict[str, Setting]:
    """`engine.<field>` for every EngineSettings field the table above does not name: its spec's
    default, bounds, unit and help."""
    out: dict[str, Setting] = {}
    for f in dataclasses.fields(EngineSettings):
        key = "engine." + f.name
        if key not in BY_KEY:
            out[key] = from_field(key, EngineSettings, f.name, cli=False)
    return out


def all_settings() -> list[Setting]:
    """Every key a config file takes: the table above, then the engine's tuning fields."""
    return [*SETTINGS, *_tuning().values()]


def is_tuning(key: str) -> bool:
    """An `engine.<field>` key beyond the table above (config file only; what `tune` searches)."""
    return key in _tuning()


def tuning(cfg: Config) -> dict[str, float | bool]:
    """The engine tuning fields' values (the defaults, or what a config file set), by field name."""
    return {k.removeprefix("engine."): v for k, v in cfg.values.items() if is_tuning(k)}


def values_for(cfg: Config, cls: type) -> dict[str, Any]:
    """The fields of settings dataclass `cls` that config keys set, in the field's unit."""
    out: dict[str, Any] = {}
    for s in SETTINGS:
        if s.target is not None and s.target[0] is cls:
            value = cfg[s.key]
            out[s.target[1]] = value * s.target[2] if s.target[2] != 1 else value
    return out


# Old keys still read from a config file: old key -> (the key that replaced it, factor to its unit).
DEPRECATED: dict[str, tuple[str, float]] = {"engine.min_stand_s": ("coach.break_min", 1 / 60.0)}


def _coerce(s: Setting, value: Any, source: str) -> Any:
    """Check type and bounds (monitor/schema.py); returns the value in the setting's type."""
    shown = str(value) if isinstance(value, Path) else value  # a flag's path, shown as typed
    return check(shown, s.spec, s.key, lambda key, v, reason: ConfigError(key, v, reason, source))


def check_together(values: dict[str, Any], sources: dict[str, str]) -> None:
    """Checks across keys: working hours that start and end at the same time are none at all (an end
    before the start is a night shift, running past midnight: monitor/timebase.py)."""
    start, end = values["coach.work_start_h"], values["coach.work_end_h"]
    if start == end:
        key = "coach.work_end_h" if sources["coach.work_end_h"] != "default" else "coach.work_start_h"
        raise ConfigError(key, values[key], f"working hours from {start:g} h to {end:g} h are empty "
                          "(0 and 24 for all day; an end before the start runs overnight)", sources[key])


@dataclass
class Config:
    """Effective settings with provenance: values[key], sources[key] in {default, file, flag}; every
    key of `all_settings()` is there."""

    values: dict[str, Any]
    sources: dict[str, str]
    file: Path
    notices: tuple[str, ...] = ()  # for the user, one line each (a deprecated key that was read)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


def read_file(path: Path, notices: list[str] | None = None) -> dict[str, Any]:
    """Validated settings from a TOML file (missing file = no settings); a deprecated key is read
    as the key that replaced it, with a line for `notices`."""
    if not path.exists():
        return {}
    out: dict[str, Any] = {}
    for key, value in flatten(read_toml(path)).items():
        if key in DEPRECATED:
            _deprecated(path, key, value, out, notices if notices is not None else [])
            continue
        known = setting(key)
        if known is None:
            raise ConfigError(key, value, unknown_reason(key, value), str(path))
        out[key] = _coerce(known, value, str(path))
    return out


def unknown_reason(key: str, value: Any) -> str:
    """Why a key is unknown, and what the file most likely meant: a tune grid file (`field = [values]`
    at the top level), or a key that belongs in a table (`tilt_evidence_deg` under [engine])."""
    top = key.split(".")[0]
    if setting("engine." + top) is not None and (isinstance(value, list) or key != top):
        return ("this looks like a tune grid file (field = [values]); a settings file sets one value "
                "each, under [engine]")
    homes = [k.split(".")[0] for k in (s.key for s in all_settings()) if k.split(".", 1)[1] == key]
    if homes:
        return f"unknown setting: put it under [{homes[0]}]"
    return "unknown setting (`posture-monitor config keys` lists every key)"


def _deprecated(path: Path, key: str, value: Any, out: dict[str, Any], notices: list[str]) -> None:
    """An old key: its value, in the new key's unit, unless the file also sets the new key."""
    new, factor = DEPRECATED[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(key, value, f"expected a number (deprecated: use {new})", str(path))
    converted = _coerce(BY_KEY[new], value * factor, f"{path} ({key} = {value})")
    out.setdefault(new, converted)
    notices.append(f"{path}: {key} is deprecated, read as {new} = {converted:g}; please rename it")


def load(path: Path | None = None, flags: dict[str, Any] | None = None, required: bool = False) -> Config:
    """Defaults < config file < flags (flags given as {key: value}, None meaning not given). A file
    `required` (given with --config) must be there; the default location may be missing."""
    path = path or default_config_file()
    if required and not path.is_file():
        reason = "is a directory, not a config file" if path.is_dir() else "no such config file"
        raise ConfigError("--config", str(path), reason)
    values = {s.key: s.default for s in all_settings()}
    sources = dict.fromkeys(values, "default")
    notices: list[str] = []
    for key, value in read_file(path, notices).items():
        values[key], sources[key] = value, str(path)
    for key, value in (flags or {}).items():
        if value is not None:
            values[key] = _coerce(BY_KEY[key], value, BY_KEY[key].flag)
            sources[key] = BY_KEY[key].flag
    check_together(values, sources)
    return Config(values, sources, path, tuple(notices))
