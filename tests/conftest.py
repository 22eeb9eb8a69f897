"""Shared fixtures: paths to the shared HAPT data and small simulated recordings."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
HAPT_DIR = REPO.parent / "shared" / "data" / "hapt"


@pytest.fixture(scope="session")
def hapt_dir() -> Path:
    if not HAPT_DIR.is_dir():
        pytest.skip(f"shared HAPT data not found at {HAPT_DIR}")
    return HAPT_DIR


@pytest.fixture()
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config and data directories inside tmp_path, so tests never read the user's files."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("POSTURE_MONITOR_CONFIG", raising=False)
    return tmp_path


@pytest.fixture(autouse=True)
def no_real_desktop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs try desktop notifications by default: point them at a bus that is not there, so no test
    ever pops a notification on a developer's desktop (tests/test_notify.py starts its own bus)."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-such-bus")


@pytest.fixture(scope="session")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Half an hour of the simulated wearer (seed 3: stands, sits with two long slouches, lies down)."""
    from monitor.cli.main import main

    out = tmp_path_factory.mktemp("sim") / "sim3.pmrec"
    assert main(["simulate", "--hours", "0.5", "--seed", "3", "--out", str(out)]) == 0
    return out
