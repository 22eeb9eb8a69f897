"""The calibration a replay starts from (`replay --calibration FILE|DEVICE|none`): the recording's header
by default, so a replay is the live run again; or a file, a stored calibration, or none, to see what the
same data gives with another calibration. Every failure is one InputError naming the value."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from monitor.calibrate.store import CalibrationStore, Stored
from monitor.engine.calibration import Calibration
from monitor.errors import InputError
from monitor.run.spec import ReplayCalibration

Say = Callable[[str], None]


def replay_calibration(choice: ReplayCalibration, header: dict[str, Any], profile_id: str | None,
                       say: Say) -> Calibration | None:
    """The calibration `choice` asks for; `profile_id` (given or the header's) picks among a sensor's
    stored calibrations when it has several."""
    if choice.source == "none":
        return None
    if choice.source == "file":
        assert choice.path is not None
        return from_file(choice.path)
    if choice.source == "device":
        assert choice.device is not None
        return from_store(choice.device, profile_id or header.get("profile"), say)
    cal = header.get("calibration")
    return Calibration.from_dict(cal) if isinstance(cal, dict) else None


def from_file(path: Path) -> Calibration:
    """A file `calibrate` stored (a `Stored` record, version checked) or a bare `Calibration.to_dict()`."""
    if not path.is_file():
        raise InputError(f"--calibration {path}: no such file")
    try:
        raw = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(f"--calibration {path}: not a JSON file: {e}") from None
    if isinstance(raw, dict) and isinstance(raw.get("calibration"), dict):
        return checked(CalibrationStore().read(path).calibration_obj(), path)
    if not isinstance(raw, dict) or "rotation" not in raw:
        raise InputError(f"--calibration {path}: not a calibration (neither a stored calibration with a "
                         "`calibration` object nor calibration fields such as `rotation`)")
    try:
        return checked(Calibration.from_dict(raw), path)
    except (TypeError, KeyError, ValueError) as e:
        raise InputError(f"--calibration {path}: not a valid calibration: {e!r}") from None


def checked(cal: Calibration, path: Path) -> Calibration:
    """A calibration whose rotation is a finite 3 x 3 matrix and whose bias has three values."""
    r = np.asarray(cal.rotation, dtype=np.float64)
    if r.shape != (3, 3) or not np.isfinite(r).all() or len(cal.gyro_bias_dps) != 3:
        raise InputError(f"--calibration {path}: not a valid calibration: rotation must be 3 x 3 "
                         "and gyro_bias_dps three numbers")
    return cal


def from_store(device: str, profile_id: object, say: Say) -> Calibration:
    """The calibration `calibrate` stored for this sensor name; with several profiles, the replay's."""
    found = CalibrationStore().find(device)
    if not found:
        raise InputError(f"--calibration {device}: no such file, and no calibration stored for a sensor "
                         "of that name (posture-monitor calibration list shows them)")
    stored = pick(device, found, profile_id)
    say(f"{device}: using the calibration stored for profile {stored.profile} ({stored.created})")
    return stored.calibration_obj()


def pick(device: str, found: list[Stored], profile_id: object) -> Stored:
    """The only one, or the one of the recording's (or the given) profile."""
    if len(found) == 1:
        return found[0]
    mine = [s for s in found if s.profile == profile_id]
    if mine:
        return mine[0]
    profiles = ", ".join(s.profile for s in found)
    raise InputError(f"--calibration {device}: calibrations stored for several profiles ({profiles}); "
                     "give --profile ID")
