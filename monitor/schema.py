"""One schema layer for every settings source and TOML file: a value's kind, unit, bounds, choices,
pattern and help in one `Spec`, checked the same way everywhere (config file and flags, device profiles,
stretches, the calibration protocol and presets, recording headers). nan, inf, out-of-range and
mistyped values end in one error naming the file, key and value.

Dataclasses carry their fields' specs in `field(metadata=...)` (made with `num`, `whole`, `switch`,
`text`, `spec_field`, and `need` for a field without a default), so a default, its unit, bounds and
help are written once, next to the field; `table_of(cls)` turns such a dataclass into a table spec and
`build(cls, raw, fail)` checks a TOML table against it and makes the instance."""

from __future__ import annotations

import dataclasses
import math
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from monitor.errors import FieldError, InputError

Kind = Literal["num", "int", "bool", "str", "path", "list", "table", "any"]
Fail = Callable[[str, object, str], InputError]  # (key, value, reason) -> the error to raise
T = TypeVar("T")
SPEC = "spec"  # the metadata key of a dataclass field's Spec

EXPECTED = {"num": "expected a number", "int": "expected a whole number", "bool": "expected true or false",
            "str": "expected a string", "path": "expected a path string", "list": "expected a list",
            "table": "expected a table"}


@dataclass(frozen=True)
class Spec:
    """What one value may be. `lo`/`hi` bound numbers (and whole numbers) in `unit`; `lo_open`
    excludes lo itself; `nonzero` refuses 0 (a scale factor); `choices` and `pattern` constrain
    strings; `items` is a list's element spec; `keys` a table's known keys, `values` the spec of
    every value of a table with free keys; `exists` a path that must be there."""

    kind: Kind
    help: str = ""
    unit: str = ""
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    nonzero: bool = False
    choices: tuple[object, ...] = ()
    pattern: str | None = None
    required: bool = False
    items: Spec | None = None
    keys: Mapping[str, Spec] | None = None
    values: Spec | None = None
    min_items: int = 0
    max_items: int | None = None
    exists: Literal["", "file", "dir"] = ""  # a path that must be there, as a file or a folder

    def range_text(self) -> str:
        """The bounds in words: 'between 2 and 30 deg', 'above 0 s', '' when unbounded."""
        unit = f" {self.unit}" if self.unit else ""
        lo, hi = self.lo, self.hi
        if lo is not None and hi is not None and not self.lo_open:
            return f"between {lo:g} and {hi:g}{unit}"
        low = "" if lo is None else f"above {lo:g}" if self.lo_open else f"at least {lo:g}"
        high = "" if hi is None else f"at most {hi:g}"
        return (" and ".join(x for x in (low, high) if x) + unit) if low or high else ""


def check(value: object, spec: Spec, key: str, fail: Fail) -> Any:
    """The value in its spec's type (a float for "num", a Path for "path"), or raise fail(key, value,
    reason) for the first thing wrong with it."""
    if spec.kind == "any":
        return value
    if spec.kind in ("num", "int"):
        return _number(value, spec, key, fail)
    if not _is_kind(value, spec.kind):
        raise fail(key, value, EXPECTED[spec.kind])
    if isinstance(value, dict):
        return _table(value, spec, key, fail)
    if isinstance(value, list):
        return _list(value, spec, key, fail)
    if spec.kind == "path" and isinstance(value, str | Path):
        return _path(Path(value).expanduser(), value, spec, key, fail)
    if isinstance(value, str):
        return _text(value, spec, key, fail)
    return value


def _text(value: str, spec: Spec, key: str, fail: Fail) -> str:
    if spec.choices and value not in spec.choices:
        raise fail(key, value, f"must be one of {', '.join(str(c) for c in spec.choices)}")
    if spec.pattern is not None and not re.match(spec.pattern, value):
        raise fail(key, value, f"has the wrong format ({spec.help})" if spec.help else "has the wrong format")
    return value


def _is_kind(value: object, kind: Kind) -> bool:
    types: dict[str, type | tuple[type, ...]] = {"bool": bool, "str": str, "path": (str, Path),
                                                 "list": list, "table": dict}
    return isinstance(value, types[kind])


def _path(path: Path, value: object, spec: Spec, key: str, fail: Fail) -> Path:
    """The path, when it need not exist or is there as the kind of thing it must be."""
    if spec.exists == "dir" and not path.is_dir():
        raise fail(key, value, "is not a directory" if path.exists() else "no such directory")
    if spec.exists == "file" and not path.is_file():
        raise fail(key, value, "is not a file" if path.exists() else "no such file")
    return path


def _number(value: object, spec: Spec, key: str, fail: Fail) -> float | int:
    """A finite number (a whole one for "int") within the spec's bounds; never a bool."""
    allowed = int if spec.kind == "int" else (int, float)
    if isinstance(value, bool) or not isinstance(value, allowed):
        raise fail(key, value, EXPECTED[spec.kind])
    if not math.isfinite(value):
        raise fail(key, value, "must be a finite number")
    too_low = spec.lo is not None and (value < spec.lo or (spec.lo_open and value == spec.lo))
    too_high = spec.hi is not None and value > spec.hi
    if too_low or too_high:
        raise fail(key, value, f"must be {spec.range_text()}")
    if spec.nonzero and value == 0:
        raise fail(key, value, "must not be 0")
    return value if spec.kind == "int" else float(value)


def _table(value: dict[str, object], spec: Spec, key: str, fail: Fail) -> dict[str, Any]:
    """Every key known (or checked against `values`), every required key there."""
    out: dict[str, Any] = {}
    for k, v in value.items():
        sub = f"{key}.{k}" if key else k
        if spec.keys is not None and k not in spec.keys:
            raise fail(sub, v, f"unknown key (known: {', '.join(sorted(spec.keys))})")
        inner = spec.keys[k] if spec.keys is not None else spec.values
        out[k] = check(v, inner, sub, fail) if inner is not None else v
    for k, sub_spec in (spec.keys or {}).items():
        if sub_spec.required and k not in value:
            raise fail(f"{key}.{k}" if key else k, None, "missing")
    return out


def _list(value: list[object], spec: Spec, key: str, fail: Fail) -> list[Any]:
    most = spec.max_items if spec.max_items is not None else 1 << 30
    if not spec.min_items <= len(value) <= most:
        count = f"{spec.min_items}" if spec.min_items == most else \
            f"at least {spec.min_items}" if spec.max_items is None else f"{spec.min_items} to {most}"
        raise fail(key, value, f"has the wrong number of items (needs {count})")
    if spec.items is None:
        return list(value)
    return [check(item, spec.items, f"{key}[{i}]", fail) for i, item in enumerate(value)]


def in_file(path: object) -> Fail:
    """The usual Fail for a file: `<path>: <key> = <value>: <reason>`."""
    return lambda key, value, reason: FieldError(path, key or "(document)", value, reason)


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's tables, or one line: `<file>: not valid TOML: <reason (at line L, column C)>`."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not valid TOML: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"{path}: not valid TOML: {e}") from None


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested tables as dotted keys: {"engine": {"x": 1}} -> {"engine.x": 1}."""
    out: dict[str, Any] = {}
    for k, v in data.items():
        if isinstance(v, dict):
            out.update(flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


# --- dataclass fields that carry their spec -------------------------------------------------------

def spec_field(default: T, spec: Spec) -> T:
    """A dataclass field with this default and spec (the one place both are written)."""
    return dataclasses.field(default=default, metadata={SPEC: spec})


def need(spec: Spec) -> Any:
    """A dataclass field without a default: required in a file, with this spec."""
    return dataclasses.field(metadata={SPEC: dataclasses.replace(spec, required=True)})


def num(default: float, unit: str, lo: float | None, hi: float | None, help: str,
        lo_open: bool = False) -> float:
    """A finite number field in `unit` within [lo, hi]."""
    return spec_field(default, Spec("num", help, unit, lo, hi, lo_open))


def whole(default: int, lo: int | None, hi: int | None, help: str, unit: str = "") -> int:
    """A whole-number field within [lo, hi]."""
    return spec_field(default, Spec("int", help, unit, lo, hi))


def switch(default: bool, help: str) -> bool:
    """A true/false field."""
    return spec_field(default, Spec("bool", help))


def text(default: str, help: str, choices: tuple[str, ...] = ()) -> str:
    """A string field, one of `choices` when given."""
    return spec_field(default, Spec("str", help, choices=choices))


def spec_of(cls: type, name: str) -> Spec:
    """The spec of one field of a dataclass (TypeError for a field without one: a programming error)."""
    f = next((f for f in dataclasses.fields(cls) if f.name == name), None)
    if f is None or SPEC not in f.metadata:
        raise TypeError(f"{cls.__name__}.{name} has no schema spec")
    spec: Spec = f.metadata[SPEC]
    return spec


def default_of(cls: type, name: str) -> Any:
    """A field's default (the dataclass's own, written once)."""
    f = next(f for f in dataclasses.fields(cls) if f.name == name)
    return f.default_factory() if f.default is dataclasses.MISSING and \
        f.default_factory is not dataclasses.MISSING else f.default


def table_of(cls: type) -> Spec:
    """A table spec from a dataclass: one key per field; a field without a default is required."""
    keys = {}
    for f in dataclasses.fields(cls):
        spec: Spec = f.metadata.get(SPEC) or Spec("any")
        missing = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        keys[f.name] = dataclasses.replace(spec, required=True) if missing and not spec.required else spec
    return Spec("table", keys=keys)


def build(cls: type[T], raw: object, fail: Fail, key: str = "") -> T:
    """A dataclass instance from a TOML table checked against its fields' specs (lists become tuples)."""
    checked = check(raw, table_of(cls), key, fail)
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in checked.items()})
