"""Where evaluate and compare run: `--jobs 2` and `--cluster` on a local Dask cluster of two worker
processes give the serial figures, in the order the recordings were given; a worker's bad file is still
one line with its exit code; an unreachable scheduler is one line with ClusterError's exit code."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from monitor.cli.main import main
from monitor.evaluation import cluster
from monitor.evaluation.cluster import ClusterError

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A local cluster of two single-threaded worker processes; its scheduler's address."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None,
                                  processes=True) as cluster:
        yield cluster.scheduler_address


@pytest.fixture()
def recordings(hapt_dir: Path, simulated: Path) -> list[str]:
    """Three HAPT recordings (one without standing: a calibration note) and a simulated one."""
    return [str(hapt_dir / f) for f in ("subject01_exp1.csv.gz", "subject03_exp2.csv.gz",
                                        "subject10_exp3.csv.gz")] + [str(simulated)]


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[dict[str, Any], list[str]]:
    assert main([*args, "--json"]) == 0
    captured = capsys.readouterr()
    notes = [line for line in captured.err.splitlines() if line.startswith("posture-monitor:")]
    return json.loads(captured.out), notes


def test_evaluate_on_a_cluster_gives_the_serial_figures(scheduler: str, recordings: list[str],
                                                        isolated_home: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    serial, notes = run_json(capsys, "evaluate", *recordings)
    assert run_json(capsys, "evaluate", *recordings, "--cluster", scheduler) == (serial, notes)
    assert run_json(capsys, "evaluate", *recordings, "--cluster", scheduler, "--jobs", "2") == (serial, notes)
    assert [x["recording"] for x in serial["per_recording"]] == [Path(f).name for f in recordings]
    assert notes == ["posture-monitor: subject10_exp3.csv.gz: no labelled standing; ran uncalibrated"]


def test_compare_with_jobs_or_on_a_cluster_gives_the_serial_figures(
        scheduler: str, recordings: list[str], tmp_path: Path, isolated_home: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text("")
    b.write_text("[engine]\nslouch_threshold_deg = 30\ntilt_evidence_deg = 20\n")
    args = ["compare", str(a), str(b), *recordings]
    serial, notes = run_json(capsys, *args)
    assert serial["difference"]["B"]["slouch"]["episodes"]["tp"] == -2  # the settings did differ
    assert run_json(capsys, *args, "--jobs", "2") == (serial, notes)
    assert run_json(capsys, *args, "--cluster", scheduler) == (serial, notes)


def test_a_bad_file_on_a_cluster_worker_is_one_line_exit_2(scheduler: str, tmp_path: Path, hapt_dir: Path,
                                                           isolated_home: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.pmrec"
    bad.write_text("not a recording\n")
    code = main(["evaluate", str(hapt_dir / "subject01_exp1.csv.gz"), str(bad), "--cluster", scheduler])
    err = [x for x in capsys.readouterr().err.splitlines() if x.startswith("posture-monitor:")]
    assert code == 2 and len(err) == 1 and "bad.pmrec" in err[0]


@pytest.mark.parametrize("command", ["evaluate", "compare"])
def test_an_unreachable_scheduler_is_one_line_with_the_cluster_exit_code(
        command: str, simulated: Path, tmp_path: Path, isolated_home: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 0.5)
    (tmp_path / "a.toml").write_text("")
    settings = [str(tmp_path / "a.toml")] * 2 if command == "compare" else []
    code = main([command, *settings, str(simulated), "--cluster", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == ClusterError.exit_code != 0 and len(err) == 1
    assert err[0].startswith("posture-monitor: error: --cluster tcp://127.0.0.1:9: cannot reach")


@pytest.fixture()
def http_port() -> Iterator[int]:
    """Something else on the port: an HTTP server (a dashboard or a proxy), as users mistake them."""
    import http.server
    import threading

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()


@pytest.fixture()
def silent_port() -> Iterator[int]:
    """A peer that accepts and never says a word."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener.getsockname()[1]
    listener.close()


@pytest.mark.parametrize("peer", ["http_port", "silent_port"])
def test_something_else_on_the_port_is_one_line_not_a_hang_or_a_traceback(
        peer: str, request: pytest.FixtureRequest, simulated: Path, isolated_home: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 0.5)
    port = request.getfixturevalue(peer)
    code = main(["evaluate", str(simulated), "--cluster", f"tcp://127.0.0.1:{port}"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == ClusterError.exit_code and len(err) == 1, err
    assert err[0].startswith(f"posture-monitor: error: --cluster tcp://127.0.0.1:{port}: ")


@pytest.mark.parametrize("address", ["http://127.0.0.1:8786", "tcp://127.0.0.1", "tcp://127.0.0.1:",
                                     "tcp://:8786", "tcp://127.0.0.1:99999"])
def test_a_malformed_address_is_one_line_exit_2_at_once(address: str, simulated: Path, isolated_home: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(simulated), "--cluster", address]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "expected tcp://HOST:PORT" in err[0]
