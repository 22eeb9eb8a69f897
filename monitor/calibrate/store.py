"""Calibrations stored per sensor (device as given, plus profile) in the data directory: versioned
JSON with the time it was made, read automatically at the next start."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from monitor.engine.calibration import Calibration
from monitor.errors import InputError
from monitor.paths import data_dir
from monitor.privacy import private_dir, private_file

VERSION = 1


@dataclass(frozen=True)
class Stored:
    profile: str
    device: str
    calibration: dict[str, Any]
    created: str = ""
    version: int = VERSION
    preset: str | None = None
    ml_source: str = ""
    warnings: list[str] = field(default_factory=list)

    def calibration_obj(self) -> Calibration:
        return Calibration.from_dict(self.calibration)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)


class CalibrationStore:
    def __init__(self, root: Path | None = None) -> None:
        self.root = root or data_dir() / "calibrations"

    def path(self, profile: str, device: str) -> Path:
        return self.root / f"{_slug(profile)}__{_slug(device)}.json"

    def save(self, profile: str, device: str, cal: Calibration, preset: str | None = None,
             ml_source: str = "", warnings: list[str] | None = None) -> Path:
        created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        rec = Stored(profile, device, cal.to_dict(), created, VERSION, preset, ml_source, warnings or [])
        private_dir(self.root)
        path = self.path(profile, device)
        tmp = path.with_suffix(".tmp")
        tmp.touch(mode=0o600)
        private_file(tmp)
        tmp.write_text(json.dumps(asdict(rec), indent=2))
        tmp.replace(path)  # never a half-written calibration
        return path

    def load(self, profile: str, device: str) -> Stored | None:
        path = self.path(profile, device)
        return self.read(path) if path.exists() else None

    def read(self, path: Path) -> Stored:
        try:
            raw = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError, UnicodeDecodeError) as e:
            raise InputError(f"{path}: cannot read the calibration: {e}") from None
        version = raw.get("version") if isinstance(raw, dict) else None
        if version != VERSION:
            raise InputError(f"{path}: version = {version!r}: this posture-monitor reads version {VERSION}; "
                             "calibrate again")
        try:
            rec = Stored(**raw)
            rec.calibration_obj()
        except (TypeError, KeyError, ValueError) as e:
            raise InputError(f"{path}: not a valid calibration: {e}") from None
        return rec

    def all(self) -> list[Stored]:
        return [self.read(p) for p in sorted(self.root.glob("*.json"))] if self.root.is_dir() else []

    def find(self, device: str, profile: str | None = None) -> list[Stored]:
        return [s for s in self.all() if s.device == device and profile in (None, s.profile)]

    def delete(self, device: str, profile: str | None = None) -> list[Stored]:
        gone = self.find(device, profile)
        for s in gone:
            self.path(s.profile, s.device).unlink()
        return gone
