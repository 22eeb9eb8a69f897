"""The calibration protocol and mounting presets, read from `calibration/*.toml` and validated."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from monitor.engine.calibration import Calibration, frame_from
from monitor.errors import FieldError, InputError
from monitor.paths import shipped
from monitor.schema import Spec, build, check, in_file, need, num, spec_field, switch, text, whole

T = TypeVar("T")
PROTOCOL = Spec("table", keys={"checks": Spec("table"), "step": Spec("list", items=Spec("table"))})
PRESETS = Spec("table", keys={"preset": Spec("list", items=Spec("table"))})


@dataclass(frozen=True)
class Checks:
    """How the guided calibration judges stillness and the sensor's orientation (`[checks]`)."""

    tile_s: float = num(0.5, "s", 0, 10, "stillness is judged on tiles of this length", lo_open=True)
    still_gyro_dev_dps: float = num(2.5, "deg/s", 0, 100, "RMS angular rate around its mean above this: "
                                    "the wearer moved", lo_open=True)
    still_acc_sd_g: float = num(0.02, "g", 0, 1, "acceleration spread above this: the wearer moved",
                                lo_open=True)
    still_turn_dps: float = num(1.0, "deg/s", 0, 100, "gravity turning faster than this from tile to "
                                "tile: moving", lo_open=True)
    gravity_g: tuple[float, float] = spec_field((0.85, 1.15), Spec(
        "list", "magnitude of the acceleration at rest (low, high)", "g",
        items=Spec("num", unit="g", lo=0, hi=4), min_items=2, max_items=2))
    upside_down_deg: float = num(120.0, "deg", 0, 180, "measured up this far from the preset's up: upside "
                                 "down")
    swapped_deg: float = num(50.0, "deg", 0, 180, "this far (and not upside down): the axes look swapped")
    settle_s: float = num(1.0, "s", 0, 30, "ignored after a step starts (the wearer reads the prompt)")


@dataclass(frozen=True)
class Step:
    """One step of the protocol (`[[step]]`): what to tell the wearer and what must be seen."""

    id: str = need(Spec("str", "lowercase letters, digits and -", pattern=r"^[a-z0-9][a-z0-9-]*$"))
    kind: str = need(Spec("str", choices=("still", "bends")))
    title: str = need(Spec("str"))
    say: str = need(Spec("str"))
    timeout_s: float = need(Spec("num", "the step fails after this long", "s", 0, 600, lo_open=True))
    required: bool = switch(True, "the calibration fails without this step (false: it may be skipped)")
    hold_s: float = num(5.0, "s", 0, 120, "still this long", lo_open=True)
    differs_from: str | None = spec_field(None, Spec("str", "an earlier step's id this one must differ "
                                                            "from"))
    min_change_deg: float = num(0.0, "deg", 0, 90, "...by at least this much")
    too_similar: str = text("", "what to say when it does not")
    count: int = whole(2, 1, 10, "forward bends to see")
    min_angle_deg: float = num(20.0, "deg", 0, 90, "a bend goes at least this far forward")


@dataclass(frozen=True)
class Protocol:
    steps: tuple[Step, ...]
    checks: Checks


UNIT_VECTOR = Spec("list", "a unit vector in sensor axes", items=Spec("num", lo=-1, hi=1), min_items=3,
                   max_items=3)


@dataclass(frozen=True)
class Preset:
    """A mounting preset (`[[preset]]` in mounting.toml): the sensor axes that point up and forward."""

    id: str = need(Spec("str", "lowercase letters, digits and -", pattern=r"^[a-z0-9][a-z0-9-]*$"))
    name: str = need(Spec("str"))
    up: tuple[float, float, float] = need(UNIT_VECTOR)
    forward: tuple[float, float, float] = need(UNIT_VECTOR)

    def calibration(self) -> Calibration:
        """A starting calibration from the preset alone (no bias, population sitting angle)."""
        up, fwd = np.array(self.up, float), np.array(self.forward, float)
        r = frame_from(up, np.cross(up, fwd))
        return Calibration(tuple(tuple(float(x) for x in row) for row in r))  # type: ignore[misc]


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read: {e}") from None


def _build(path: Path, where: str, cls: type[T], raw: object) -> T:
    """One table of the file, checked against the dataclass's field specs (monitor/schema.py)."""
    return build(cls, raw, in_file(path), where)


def load_protocol(path: Path | None = None) -> Protocol:
    path = path or shipped("calibration") / "protocol.toml"
    doc = check(_read(path), PROTOCOL, "", in_file(path))
    steps = tuple(_build(path, f"step[{i}]", Step, s) for i, s in enumerate(doc.get("step", [])))
    for i, s in enumerate(steps):
        if s.differs_from is not None and s.differs_from not in {x.id for x in steps[:i]}:
            raise InputError(f"{path}: step[{i}].differs_from = {s.differs_from!r}: "
                             "no earlier step of that id")
    if not steps or steps[0].id != "stand":
        raise InputError(f"{path}: the first step must be id = \"stand\" (it defines up)")
    checks = _build(path, "checks", Checks, doc.get("checks", {}))
    if checks.gravity_g[0] >= checks.gravity_g[1]:
        raise FieldError(path, "checks.gravity_g", list(checks.gravity_g), "the low end must be below "
                         "the high end")
    return Protocol(steps, checks)


def load_presets(path: Path | None = None) -> dict[str, Preset]:
    path = path or shipped("calibration") / "mounting.toml"
    doc = check(_read(path), PRESETS, "", in_file(path))
    presets = [_build(path, f"preset[{i}]", Preset, p) for i, p in enumerate(doc.get("preset", []))]
    for p in presets:
        up, fwd = np.array(p.up, float), np.array(p.forward, float)
        if abs(np.linalg.norm(up) - 1) > 1e-6 or abs(np.linalg.norm(fwd) - 1) > 1e-6 or abs(up @ fwd) > 1e-6:
            raise InputError(f"{path}: preset {p.id!r}: up and forward must be orthogonal unit vectors")
    return {p.id: p for p in presets}
