"""Settings: defaults in one table, overridden by the TOML config file, then by CLI flags.

Every value remembers where it came from, so `config show` can say.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor.errors import ConfigError
from monitor.paths import default_config_file


@dataclass(frozen=True)
class Setting:
    """One configurable value: dotted key (`section.name`), type, default, bounds, help."""

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

    @property
    def flag(self) -> str:
        return self.flag_name or "--" + self.key.split(".")[-1].replace("_", "-")


SETTINGS: tuple[Setting, ...] = (
    Setting("paths.profiles_dir", Path, None, "extra directory of device profile TOML files"),
    Setting("engine.sitting_limit_min", float, 30.0, "prolonged-sitting limit (min)", 1, 480),
    Setting("engine.slouch_threshold_deg", float, 8.0,
            "posterior tilt beyond upright sitting that counts as slouch (deg)", 2, 30),
    Setting("engine.slouch_dwell_s", float, 10.0, "slouch must last this long (s)", 0, 600),
    Setting("coach.break_min", float, 2.0, "up (standing or walking) this long is a break and ends the "
            "sitting bout; shorter stands keep it (min)", 0.5, 30),
    Setting("coach.warn_before_min", float, 1.0, "a warning this long before the first break prompt "
            "(min; 0: none)", 0, 30),
    Setting("coach.snooze_min", float, 5.0, "a snooze delays the prompt this long (min)", 1, 60),
    Setting("coach.max_snoozes_per_day", float, 3.0, "snoozes allowed per day", 0, 50),
    Setting("coach.work_start_h", float, 9.0, "working hours start, local time (h); quiet before", 0, 24),
    Setting("coach.work_end_h", float, 18.0, "working hours end, local time (h); quiet after", 0, 24),
    Setting("output.json", bool, False, "print events as JSON lines"),
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
            "(0.2: one per 5 s)", 0.01, 50, cli=False),
    Setting("mqtt.tilt_jump_deg", float, 2.0, "a tilt change this big is published at once (at most once a "
            "second)", 0, 90, cli=False),
    Setting("mqtt.tilt_min_change_deg", float, 0.5, "tilt change that is worth a state update (deg)",
            0, 30, cli=False),
    Setting("mqtt.outbox_max", float, 10000.0, "messages kept while the broker is away (states go first)",
            100, 10_000_000, cli=False),
)
BY_KEY = {s.key: s for s in SETTINGS}
TUNING_HELP = "engine tuning: a field of monitor/engine/settings.py (what `tune` writes)"


def setting(key: str) -> Setting | None:
    """A known key: one of SETTINGS, or `engine.<field>` for any other field of EngineSettings, so the
    settings `tune` chooses can be given with `--config` (file only: they are not flags)."""
    return BY_KEY.get(key) or _tuning().get(key)


@functools.cache
def _tuning() -> dict[str, Setting]:
    from monitor.engine.settings import EngineSettings  # only when a file names one: the engine is heavy

    out: dict[str, Setting] = {}
    for f in dataclasses.fields(EngineSettings):
        key = "engine." + f.name
        if key not in BY_KEY:
            kind = bool if isinstance(f.default, bool) else float
            out[key] = Setting(key, kind, f.default, TUNING_HELP, -1e6, 1e6, cli=False)
    return out


def tuning(cfg: Config) -> dict[str, float | bool]:
    """The engine tuning fields a config file set, by field name."""
    return {k.removeprefix("engine."): v for k, v in cfg.values.items() if k not in BY_KEY}
# Old keys still read from a config file: old key -> (the key that replaced it, factor to its unit).
DEPRECATED: dict[str, tuple[str, float]] = {"engine.min_stand_s": ("coach.break_min", 1 / 60.0)}


def _coerce(s: Setting, value: Any, source: str) -> Any:
    """Check type and bounds; returns the value in the setting's type."""
    if s.kind is bool:
        if not isinstance(value, bool):
            raise ConfigError(s.key, value, "expected true or false", source)
        return value
    if s.kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(s.key, value, "expected a number", source)
        if not math.isfinite(value):
            raise ConfigError(s.key, value, "must be a finite number", source)
        if (s.lo is not None and value < s.lo) or (s.hi is not None and value > s.hi):
            raise ConfigError(s.key, value, f"must be between {s.lo:g} and {s.hi:g}", source)
        return float(value)
    if s.kind is str:
        if not isinstance(value, str):
            raise ConfigError(s.key, value, "expected a string", source)
        if s.choices and value not in s.choices:
            raise ConfigError(s.key, value, f"one of {', '.join(s.choices)}", source)
        return value
    if not isinstance(value, str | Path):
        raise ConfigError(s.key, value, "expected a path string", source)
    return Path(value).expanduser()


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in data.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


@dataclass
class Config:
    """Effective settings with provenance: values[key], sources[key] in {default, file, flag}."""

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
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as e:
        raise ConfigError("(file)", str(path), f"cannot parse: {e}") from None
    out: dict[str, Any] = {}
    for key, value in _flatten(data).items():
        if key in DEPRECATED:
            _deprecated(path, key, value, out, notices if notices is not None else [])
            continue
        known = setting(key)
        if known is None:
            raise ConfigError(key, value, "unknown setting", str(path))
        out[key] = _coerce(known, value, str(path))
    return out


def _deprecated(path: Path, key: str, value: Any, out: dict[str, Any], notices: list[str]) -> None:
    """An old key: its value, in the new key's unit, unless the file also sets the new key."""
    new, factor = DEPRECATED[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(key, value, f"expected a number (deprecated: use {new})", str(path))
    converted = _coerce(BY_KEY[new], value * factor, f"{path} ({key} = {value})")
    out.setdefault(new, converted)
    notices.append(f"{path}: {key} is deprecated, read as {new} = {converted:g}; please rename it")


def load(path: Path | None = None, flags: dict[str, Any] | None = None) -> Config:
    """Defaults < config file < flags (flags given as {key: value}, None meaning not given)."""
    path = path or default_config_file()
    values = {s.key: s.default for s in SETTINGS}
    sources = dict.fromkeys(values, "default")
    notices: list[str] = []
    for key, value in read_file(path, notices).items():
        values[key], sources[key] = value, str(path)
    for key, value in (flags or {}).items():
        if value is not None:
            values[key] = _coerce(BY_KEY[key], value, BY_KEY[key].flag)
            sources[key] = BY_KEY[key].flag
    return Config(values, sources, path, tuple(notices))
