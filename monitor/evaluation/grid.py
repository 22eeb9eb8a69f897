"""What `tune` searches: engine settings (the `engine.*` keys of `posture-monitor config keys`: fields of
monitor/engine/settings.py) and the values to try.

A grid file is TOML, one line per setting: `field = [values]` (numbers, or true/false for a switch such
as `sit_follow`) or, for random search only, `field = {min = .., max = ..}` (drawn uniformly). Values
are checked as the config file would check them in `[engine]`, so whatever is chosen can be written
there and read back exactly."""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from monitor.config import all_settings, setting
from monitor.engine.settings import EngineSettings
from monitor.errors import InputError
from monitor.schema import check, read_toml

Value = float | bool
Point = dict[str, Value]  # field name -> value, in the grid file's order
FIELDS = {f.name: f for f in dataclasses.fields(EngineSettings)}
DEFAULT_GRID: dict[str, list[Value]] = {  # the judge settings the defaults were tuned over
    "tilt_evidence_deg": [8.0, 10.0, 12.0, 15.0],
    "correct_margin_deg": [15.0, 20.0, 25.0, 30.0],
    "lift_min_g": [0.04, 0.06, 0.08],
    "agree_deg": [3.0, 6.0, 10.0],
    "lift_stand_g": [0.12, 0.18],
}


@dataclass(frozen=True)
class Range:
    """A number range for random search: drawn uniformly from [lo_value, hi_value]."""

    lo_value: float
    hi_value: float


@dataclass(frozen=True)
class SearchSpace:
    """Per setting, the values to try (a list) or a range to draw from (random search only)."""

    choices: dict[str, list[Value] | Range]

    @property
    def names(self) -> list[str]:
        return list(self.choices)


def is_switch(name: str) -> bool:
    return isinstance(FIELDS[name].default, bool)


def load_grid(path: Path) -> SearchSpace:
    """A grid file, every key and value checked; errors name the file, key and value."""
    try:
        data = read_toml(path)
    except InputError as e:
        raise InputError(f"--grid {e}") from None
    if not data:
        raise InputError(f"--grid {path}: names no setting to search")
    return SearchSpace({key: _choice(path, key, value) for key, value in data.items()})


def from_dict(grid: dict[str, list[Value]]) -> SearchSpace:
    """A grid given in code (checked the same way; errors name the key)."""
    return SearchSpace({k: _choice(Path("(grid)"), k, v) for k, v in grid.items()})


def _bad(path: Path, key: str, value: object, reason: str) -> InputError:
    return InputError(f"--grid {path}: {key} = {value!r}: {reason}")


def _choice(path: Path, key: str, value: object) -> list[Value] | Range:
    if key not in FIELDS:
        raise _bad(path, key, value, _not_a_field(key, value))
    if isinstance(value, dict):
        return _range(path, key, value)
    if not isinstance(value, list) or not value:
        raise _bad(path, key, value, "expected a non-empty list of values, or {min = .., max = ..}")
    return [_value(path, key, v) for v in value]


def _not_a_field(key: str, value: object) -> str:
    """Why a key is no engine setting, with a hint when the file is a settings (config) file."""
    if isinstance(value, dict) and any(s.key.startswith(key + ".") for s in all_settings()):
        return "this looks like a settings file; a grid lists field = [values] at the top level"
    return "not an engine setting (`posture-monitor config keys` lists them: the engine.* keys)"


def _value(path: Path, key: str, value: object) -> Value:
    """One value in the setting's type and within the bounds the config file allows (the same schema
    check: monitor/schema.py)."""
    known = setting("engine." + key)
    assert known is not None  # every EngineSettings field is a config key
    checked: Value = check(value, known.spec, key, lambda k, v, reason: _bad(path, k, v, reason))
    return checked


def _range(path: Path, key: str, table: dict[str, object]) -> Range:
    if is_switch(key):
        raise _bad(path, key, table, "a switch takes a list: [true, false]")
    if set(table) != {"min", "max"}:
        raise _bad(path, key, table, "a range is {min = .., max = ..}")
    lo, hi = _value(path, key, table["min"]), _value(path, key, table["max"])
    if lo > hi:
        raise _bad(path, key, table, "min is above max")
    return Range(float(lo), float(hi))


def defaults_of(space: SearchSpace, base: EngineSettings) -> Point:
    """The base settings' values of the searched fields: always scored, always the first point."""
    return {name: getattr(base, name) for name in space.names}


def grid_points(space: SearchSpace, base: EngineSettings) -> list[Point]:
    """The defaults, then every combination of the listed values (without repeating the defaults)."""
    ranged = [k for k, v in space.choices.items() if isinstance(v, Range)]
    if ranged:
        raise InputError(f"--grid: {ranged[0]} is a range; ranges need --random N")
    lists = [v for v in space.choices.values() if isinstance(v, list)]
    combos = (dict(zip(space.names, vs, strict=True)) for vs in itertools.product(*lists))
    return _unique([defaults_of(space, base), *combos])


def random_points(space: SearchSpace, n: int, seed: int, base: EngineSettings) -> list[Point]:
    """The defaults, then `n` points drawn with `seed` (a repeat is kept once): a listed value
    uniformly from its list, a range uniformly from it (to 4 significant digits)."""
    rng = np.random.default_rng(seed)
    drawn = [{k: _draw(rng, v) for k, v in space.choices.items()} for _ in range(n)]
    return _unique([defaults_of(space, base), *drawn])


def _draw(rng: np.random.Generator, choice: list[Value] | Range) -> Value:
    if isinstance(choice, Range):
        drawn = float(f"{rng.uniform(choice.lo_value, choice.hi_value):.4g}")
        return min(max(drawn, choice.lo_value), choice.hi_value)
    return choice[int(rng.integers(len(choice)))]


def _unique(points: list[Point]) -> list[Point]:
    seen: dict[tuple[Value, ...], Point] = {}
    for p in points:
        seen.setdefault(tuple(p.values()), p)
    return list(seen.values())


def settings_at(base: EngineSettings, point: Point) -> EngineSettings:
    """The base settings with the point's fields replaced."""
    return dataclasses.replace(base, **point)  # type: ignore[arg-type]  # types checked by load_grid
