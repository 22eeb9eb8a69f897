"""The stretch catalogue (TOML: shipped, plus the user's own) and the choice for each break."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.errors import InputError
from monitor.paths import data_dir

SHIPPED = Path(__file__).with_name("stretches.toml")
SAFETY = ("Stop if you feel pain (not just a pull), numbness or tingling. Move slowly and breathe normally. "
          "With a back or hip condition, ask your clinician which stretches suit you.")
POSITIONS = ("standing", "sitting", "kneeling", "lying")


@dataclass(frozen=True)
class Stretch:
    id: str
    name: str
    steps: tuple[str, ...]
    position: str
    sides: tuple[str, ...] = ("left", "right")
    hold_s: float = 30.0
    reps: int = 2
    targets: tuple[str, ...] = ()
    standing_variant: str | None = None
    variant_of: str | None = None
    safety: str = SAFETY

    @property
    def total_s(self) -> float:
        return self.hold_s * self.reps * max(1, len(self.sides))


@dataclass
class Catalogue:
    by_id: dict[str, Stretch] = field(default_factory=dict)

    def primary(self) -> list[Stretch]:
        """Stretches that are not just a variant of another, in catalogue order."""
        return [s for s in self.by_id.values() if s.variant_of is None]

    def standing(self, s: Stretch) -> Stretch:
        """The stretch to do at work: its standing variant where one exists."""
        v = self.by_id.get(s.standing_variant or "")
        return v if v is not None else s


def _field(path: Path, i: int, raw: Mapping[str, Any], key: str, kind: type, default: Any = ...) -> Any:
    value = raw.get(key, default)
    if value is ...:
        raise InputError(f"{path}: stretch[{i}].{key}: missing")
    ok = isinstance(value, kind) and not (kind is not bool and isinstance(value, bool))
    if value is not None and not ok:
        name = getattr(kind, "__name__", "number")
        raise InputError(f"{path}: stretch[{i}].{key} = {value!r}: expected {name}")
    return value


def _parse(path: Path, i: int, raw: Mapping[str, Any]) -> Stretch:
    f = lambda key, kind, default=...: _field(path, i, raw, key, kind, default)  # noqa: E731
    position = f("position", str)
    if position not in POSITIONS:
        raise InputError(f"{path}: stretch[{i}].position = {position!r}: one of {', '.join(POSITIONS)}")
    hold = f("hold_s", int | float, 30.0)
    reps = f("reps", int, 2)
    if hold <= 0 or reps <= 0:
        raise InputError(f"{path}: stretch[{i}]: hold_s and reps must be positive")
    return Stretch(id=f("id", str), name=f("name", str), steps=tuple(f("steps", list)), position=position,
                   sides=tuple(f("sides", list, ["left", "right"])), hold_s=float(hold), reps=reps,
                   targets=tuple(f("targets", list, [])), standing_variant=f("standing_variant", str, None),
                   variant_of=f("variant_of", str, None), safety=f("safety", str, SAFETY))


def load_file(path: Path, into: Catalogue) -> None:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise InputError(f"{path}: cannot read stretches: {e}") from None
    for i, raw in enumerate(doc.get("stretch", [])):
        s = _parse(path, i, raw)
        into.by_id[s.id] = s


def load_catalogue(user_file: Path | None = None) -> Catalogue:
    """Shipped stretches, then the user's file (default <data dir>/stretches.toml) on top."""
    cat = Catalogue()
    load_file(SHIPPED, cat)
    user = user_file or data_dir() / "stretches.toml"
    if user.is_file():
        load_file(user, cat)
    return cat


def suggest(cat: Catalogue, last_used: Mapping[str, str], n: int = 3, at_work: bool = True) -> list[Stretch]:
    """`n` stretches, least recently used first (ISO times, a stretch and its standing variant count as
    one; never used first of all), so the same ones do not come back day after day; at work each is
    replaced by its standing variant."""
    order = {s.id: i for i, s in enumerate(cat.primary())}

    def last(s: Stretch) -> str:
        return max(last_used.get(s.id, ""), last_used.get(s.standing_variant or "", ""))

    ranked = sorted(cat.primary(), key=lambda s: (last(s), order[s.id]))
    return [cat.standing(s) if at_work else s for s in ranked[:n]]
