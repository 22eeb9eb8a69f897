"""The calibration protocol and mounting presets, read from `calibration/*.toml` and validated."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from monitor.engine.calibration import Calibration, frame_from
from monitor.errors import InputError
from monitor.paths import shipped


@dataclass(frozen=True)
class Checks:
    tile_s: float = 0.5
    still_gyro_dev_dps: float = 2.5
    still_acc_sd_g: float = 0.02
    still_turn_dps: float = 1.0  # gravity direction turning faster than this (tile to tile): moving
    gravity_g: tuple[float, float] = (0.85, 1.15)
    upside_down_deg: float = 120.0
    swapped_deg: float = 50.0
    settle_s: float = 1.0


@dataclass(frozen=True)
class Step:
    id: str
    kind: str  # "still" or "bends"
    title: str
    say: str
    timeout_s: float
    required: bool = True
    hold_s: float = 5.0
    differs_from: str | None = None
    min_change_deg: float = 0.0
    too_similar: str = ""
    count: int = 2
    min_angle_deg: float = 20.0


@dataclass(frozen=True)
class Protocol:
    steps: tuple[Step, ...]
    checks: Checks


@dataclass(frozen=True)
class Preset:
    id: str
    name: str
    up: tuple[float, float, float]
    forward: tuple[float, float, float]

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


def _build(path: Path, where: str, cls: type, raw: dict[str, Any]) -> Any:
    try:
        obj = cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})
    except TypeError as e:
        raise InputError(f"{path}: {where}: {e}") from None
    return obj


def load_protocol(path: Path | None = None) -> Protocol:
    path = path or shipped("calibration") / "protocol.toml"
    doc = _read(path)
    steps = tuple(_build(path, f"step[{i}]", Step, s) for i, s in enumerate(doc.get("step", [])))
    for i, s in enumerate(steps):
        if s.kind not in ("still", "bends"):
            raise InputError(f"{path}: step[{i}].kind = {s.kind!r}: one of still, bends")
        if s.differs_from is not None and s.differs_from not in {x.id for x in steps[:i]}:
            raise InputError(f"{path}: step[{i}].differs_from = {s.differs_from!r}: "
                             "no earlier step of that id")
    if not steps or steps[0].id != "stand":
        raise InputError(f"{path}: the first step must be id = \"stand\" (it defines up)")
    return Protocol(steps, _build(path, "checks", Checks, doc.get("checks", {})))


def load_presets(path: Path | None = None) -> dict[str, Preset]:
    path = path or shipped("calibration") / "mounting.toml"
    presets = [_build(path, f"preset[{i}]", Preset, p) for i, p in enumerate(_read(path).get("preset", []))]
    for p in presets:
        up, fwd = np.array(p.up, float), np.array(p.forward, float)
        if abs(np.linalg.norm(up) - 1) > 1e-6 or abs(np.linalg.norm(fwd) - 1) > 1e-6 or abs(up @ fwd) > 1e-6:
            raise InputError(f"{path}: preset {p.id!r}: up and forward must be orthogonal unit vectors")
    return {p.id: p for p in presets}
