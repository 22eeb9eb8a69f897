"""The stretch catalogue (TOML: shipped, plus the user's own) and the choice for each break."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from monitor.errors import InputError
from monitor.paths import data_dir
from monitor.schema import Spec, build, check, in_file, need, num, spec_field, text, whole

SHIPPED = Path(__file__).with_name("stretches.toml")
SAFETY = ("Stop if you feel pain (not just a pull), numbness or tingling. Move slowly and breathe normally. "
          "With a back or hip condition, ask your clinician which stretches suit you.")
POSITIONS = ("standing", "sitting", "kneeling", "lying")
SIDES = ("left", "right")
DOCUMENT = Spec("table", keys={"stretch": Spec("list", items=Spec("table"))})
STR_LIST = Spec("list", items=Spec("str"))


@dataclass(frozen=True)
class Stretch:
    """One stretch of the catalogue; each field's spec (monitor/schema.py) checks the TOML."""

    id: str = need(Spec("str", "lowercase letters, digits and -", pattern=r"^[a-z0-9][a-z0-9-]*$"))
    name: str = need(Spec("str"))
    steps: tuple[str, ...] = need(Spec("list", "what to do, in order", items=Spec("str"), min_items=1))
    position: str = need(Spec("str", choices=POSITIONS))
    sides: tuple[str, ...] = spec_field(("left", "right"), Spec("list", items=Spec("str", choices=SIDES)))
    hold_s: float = num(30.0, "s", 0, 600, "hold each rep this long", lo_open=True)
    reps: int = whole(2, 1, 20, "reps per side")
    targets: tuple[str, ...] = spec_field((), STR_LIST)
    standing_variant: str | None = spec_field(None, Spec("str", "the id of its standing variant"))
    variant_of: str | None = spec_field(None, Spec("str", "the id of the stretch it is a variant of"))
    safety: str = text(SAFETY, "what to watch for")

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


def _parse(path: Path, i: int, raw: object) -> Stretch:
    """One `[[stretch]]` table, every key checked against Stretch's specs."""
    return build(Stretch, raw, in_file(path), f"stretch[{i}]")


def load_file(path: Path, into: Catalogue) -> None:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read stretches: {e}") from None
    check(doc, DOCUMENT, "", in_file(path))
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
