"""The report page in a real browser: headless Chromium (a hard requirement of the suite; .ci/run
installs it) opens the page from file://, logs no console message (a control page shows that console
messages are seen), and its screenshot is a real rendering with the timeline's colours."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from monitor.cli.main import main
from monitor.report.style import POSTURE_COLOURS, SLOUCH_COLOUR
from tests.test_report import write_recording

CHROMIUM = "/usr/bin/chromium"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", "--window-size=1700,1300")


def chromium() -> str:
    found = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if found is None:
        pytest.fail("chromium is required for the report page tests (apt-get install chromium; .ci/run does)")
    return found


def shoot(page: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    """A screenshot of the page and the browser's console lines (and uncaught errors)."""
    shot = tmp_path / f"{page.stem}.png"
    res = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                          f"--screenshot={shot}", page.resolve().as_uri()],
                         capture_output=True, text=True, timeout=180, check=False)
    assert res.returncode == 0, res.stderr[-2000:]
    console = [x for x in res.stderr.splitlines() if ":CONSOLE" in x or "Uncaught" in x]
    return shot, console


def share_near(pixels: np.ndarray, colour: str, tol: float = 0.06) -> float:
    """Share of the screenshot's pixels within `tol` of an HTML colour on every channel."""
    rgb = np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return float(np.mean(np.all(np.abs(pixels[..., :3] - rgb) <= tol, axis=-1)))


def test_console_messages_are_seen(tmp_path: Path) -> None:
    control = tmp_path / "control.html"
    control.write_text("<!DOCTYPE html><html><body><script>console.error('report-control')</script></body></html>")
    _, console = shoot(control, tmp_path)
    assert any("report-control" in x for x in console)


def test_the_page_renders_in_chromium_without_console_errors(tmp_path: Path, isolated_home: Path) -> None:
    from matplotlib import image

    rec = write_recording(tmp_path / "day.pmrec", 30)
    page = tmp_path / "day.html"
    assert main(["report", str(rec), "--out", str(page), "--sitting-limit-min", "10"]) == 0
    shot, console = shoot(page, tmp_path)
    assert console == []
    pixels = image.imread(shot)
    assert pixels.shape[:2] == (1300, 1700)
    assert float(pixels[..., :3].std()) > 0.05  # not a blank page
    assert share_near(pixels, POSTURE_COLOURS["sitting"]) > 0.01  # the postures and labels lanes
    assert share_near(pixels, SLOUCH_COLOUR) > 0.001  # the slouch lane, the threshold
