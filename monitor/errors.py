"""One exception root for everything a user can cause; the CLI turns it into one line and an exit code."""

from __future__ import annotations


class MonitorError(Exception):
    """Root of all posture-monitor errors. `exit_code` is what the CLI returns."""

    exit_code = 1


class InputError(MonitorError):
    """Bad input from the user: a file, a flag, a config value. Exit code 2."""

    exit_code = 2


class ConfigError(InputError):
    """A configuration key or value is wrong; names the key, the value and where it came from."""

    def __init__(self, key: str, value: object, reason: str, source: str = "") -> None:
        where = f" in {source}" if source else ""
        super().__init__(f"config{where}: {key} = {value!r}: {reason}")
        self.key, self.value, self.source = key, value, source


class RecordingError(InputError):
    """A recording file that cannot be read: not a recording, newer format, corrupt header."""

    def __init__(self, path: object, reason: str, offset: int | None = None) -> None:
        at = f" at byte {offset}" if offset is not None else ""
        super().__init__(f"{path}{at}: {reason}")
        self.path, self.offset = path, offset


class ImportFormatError(InputError):
    """An input file for `import` that does not match its declared format."""

    def __init__(self, path: object, reason: str, line: int | None = None) -> None:
        at = f" line {line}" if line is not None else ""
        super().__init__(f"{path}{at}: {reason}")
        self.path, self.line = path, line


class FieldError(InputError):
    """A value in a file that breaks its schema (monitor/schema.py); names the file, key and value."""

    def __init__(self, path: object, key: str, value: object, reason: str) -> None:
        shown = "" if value is None else f" = {value!r}"
        super().__init__(f"{path}: {key}{shown}: {reason}")
        self.path, self.key, self.value = path, key, value


class ProfileError(FieldError):
    """A device profile that does not validate; names the file, key and value."""


class DeviceError(MonitorError):
    """The Bluetooth side: no adapter, sensor not found, sensor never streamed. Exit code 3."""

    exit_code = 3

    def __init__(self, device: object, reason: str) -> None:
        super().__init__(f"{device}: {reason}")
        self.device = device


class CalibrationFailed(MonitorError):
    """A calibration step failed its checks (after any retries). Exit code 4."""

    exit_code = 4

    def __init__(self, step: str, reason: str) -> None:
        super().__init__(f"calibration step {step!r}: {reason}")
        self.step, self.reason = step, reason
