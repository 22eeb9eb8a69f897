"""`posture-monitor compare`: the same settings twice differ in nothing, a settings change that must move
a figure moves it, the differences are B - A of two separate `evaluate` runs, the JSON and text shapes,
and one-line errors for settings files that are missing or bad."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from monitor.cli.main import main
from monitor.evaluation.compare import HEADLINE, flatten, headline, pooled


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def settings_file(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text)
    return path


@pytest.fixture()
def recordings(hapt_dir: Path, simulated: Path) -> list[str]:
    return [str(hapt_dir / "subject01_exp1.csv.gz"), str(hapt_dir / "subject03_exp2.csv.gz"), str(simulated)]


def numbers(tree: dict[str, Any]) -> dict[str, float]:
    return {k: v for k, v in flatten(tree).items() if isinstance(v, int | float) and not isinstance(v, bool)}


def test_the_same_settings_twice_differ_in_nothing(tmp_path: Path, recordings: list[str], isolated_home: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    a = settings_file(tmp_path, "a.toml", "[engine]\ntilt_evidence_deg = 10\n")
    r = run_json(capsys, "compare", str(a), str(a), *recordings)
    assert r["reports"]["A"] == r["reports"]["B"]
    deltas = flatten(r["difference"]["B"])
    assert len(numbers(r["difference"]["B"])) > 30 and set(deltas.values()) <= {0, None}
    assert all(x["change"] == 0 and set(x["delta"]["B"].values()) <= {0, None} for x in r["per_recording"])


def test_a_huge_slouch_threshold_removes_the_slouch_episodes(tmp_path: Path, simulated: Path,
                                                             isolated_home: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    a = settings_file(tmp_path, "a.toml", "")
    b = settings_file(tmp_path, "b.toml", "[engine]\nslouch_threshold_deg = 30\n[coach]\nbreak_min = 5\n")
    r = run_json(capsys, "compare", str(a), str(b), str(simulated))
    assert r["reports"]["A"]["slouch"]["episodes"]["tp"] == 2
    assert r["reports"]["B"]["slouch"]["episodes"]["tp"] == 0
    assert r["difference"]["B"]["slouch"]["episodes"]["tp"] == -2
    assert r["difference"]["B"]["slouch"]["episodes"]["f1"] == -1.0
    assert r["difference"]["B"]["static"]["balanced_accuracy"] == 0  # slouching is not a posture
    assert r["settings"][1] == {"label": "B", "file": str(b), "engine_changed": {"slouch_threshold_deg": 30.0},
                                "inert": ["coach.break_min"]}  # accepted, and said to change nothing here
    assert r["settings"][0]["engine_changed"] == {} and r["settings"][0]["inert"] == []


def test_differences_are_b_minus_a_of_two_evaluate_runs(tmp_path: Path, recordings: list[str],
                                                        isolated_home: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    a = settings_file(tmp_path, "a.toml", "[engine]\nslouch_dwell_s = 5\n")
    b = settings_file(tmp_path, "b.toml", "[engine]\ntilt_evidence_deg = 30\nsit_follow = false\n")
    r = run_json(capsys, "compare", str(a), str(b), *recordings)
    ev_a = run_json(capsys, "evaluate", *recordings, "--config", str(a))
    ev_b = run_json(capsys, "evaluate", *recordings, "--config", str(b))
    assert r["reports"] == {"A": ev_a, "B": ev_b}
    fig_a, fig_b, delta = numbers(pooled(ev_a)), numbers(pooled(ev_b)), numbers(r["difference"]["B"])
    assert set(delta) == set(fig_a) & set(fig_b)
    assert delta == {k: pytest.approx(fig_b[k] - fig_a[k], abs=1e-9) for k in delta}
    assert any(v != 0 for v in delta.values())
    by_name = {x["recording"]: x for x in r["per_recording"]}
    for row_a, row_b in zip(ev_a["per_recording"], ev_b["per_recording"], strict=True):
        mine = by_name[row_a["recording"]]
        assert mine["figures"] == {"A": headline(row_a), "B": headline(row_b)}
        for k in HEADLINE:
            x, y = headline(row_a)[k], headline(row_b)[k]
            assert mine["delta"]["B"][k] == (None if x is None or y is None else pytest.approx(y - x))


def test_json_and_text_shape(tmp_path: Path, recordings: list[str], isolated_home: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    files = [settings_file(tmp_path, f"{n}.toml", f"[engine]\n{line}\n")
             for n, line in (("base", ""), ("tolerant", "slouch_threshold_deg = 30"),
                             ("fixed", "sit_follow = false"))]
    r = run_json(capsys, "compare", *map(str, files), *recordings)
    assert set(r) == {"calibration", "against", "settings", "reports", "difference", "per_recording"}
    assert (r["calibration"], r["against"]) == ("stand+sit", "A")
    assert [s["label"] for s in r["settings"]] == ["A", "B", "C"] == list(r["reports"])
    assert list(r["difference"]) == ["B", "C"]  # each against the first
    assert sorted(x["recording"] for x in r["per_recording"]) == sorted(Path(f).name for f in recordings)
    changes = [x["change"] for x in r["per_recording"]]
    assert changes == sorted(changes, reverse=True) and changes[0] > 0
    for x in r["per_recording"]:
        assert list(x["figures"]) == ["A", "B", "C"] and list(x["delta"]) == ["B", "C"]
        assert list(x["figures"]["A"]) == list(HEADLINE)

    assert main(["compare", *map(str, files), *recordings]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == f"  A = {files[0]} (engine: defaults)"
    assert out[3] == f"  C = {files[2]} (engine: sit_follow = false)"
    header = next(line for line in out if line.startswith("figure"))
    assert header.split() == ["figure", "A", "B", "C", "B-A", "C-A"]
    tp = next(line for line in out if line.startswith("transitions.stand_to_sit.tp ")).split()
    pooled_tp = [r["reports"][k]["transitions"]["stand_to_sit"]["tp"] for k in "ABC"]
    assert tp[1:4] == [str(n) for n in pooled_tp]
    assert "per recording, C - A, biggest change first:" in out
    at = out.index("per recording, B - A, biggest change first:")
    assert out[at + 1].split() == ["recording", "balacc", "sit", "stand", "lie", "walk", "stand>sit", "sit>stand",
                                   "slouchF1", "sit_time%"]
    biggest = max(r["per_recording"], key=lambda x: abs(x["delta"]["B"]["slouch_f1"] or 0))
    assert biggest["recording"] == "sim3.pmrec"  # the only one with slouch truth
    assert out[at + 2].split() == ["sim3.pmrec", *(table_value(v) for v in biggest["delta"]["B"].values())]


def table_value(x: float | None) -> str:
    return "-" if x is None else "0" if x == 0 else f"{x:+.4f}"


@pytest.mark.parametrize("text, named", [
    (None, "no such settings file"),
    ("[engine]\nno_such_field = 1\n", "engine.no_such_field"),
    ("[engine]\ntilt_evidence_deg = 'x'\n", "expected a number"),
    ("[engine\n", "b.toml: not valid TOML: Expected ']' at the end of a table declaration (at line 1"),
    ("tilt_evidence_deg = 8\n", "tilt_evidence_deg = 8: unknown setting: put it under [engine]"),
    ("tilt_evidence_deg = [8, 10]\n", "tilt_evidence_deg = [8, 10]: this looks like a tune grid file"),
    ("[engine]\nbogus = 1\n", "engine.bogus = 1: unknown setting (`posture-monitor config keys` lists")])
def test_a_missing_or_bad_settings_file_is_one_line_exit_2(
        tmp_path: Path, simulated: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str],
        text: str | None, named: str) -> None:
    a = settings_file(tmp_path, "a.toml", "")
    b = tmp_path / "b.toml"
    if text is not None:
        b.write_text(text)
    code = main(["compare", str(a), str(b), str(simulated)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert err[0].startswith("posture-monitor: error: ") and "b.toml" in err[0] and named in err[0]


@pytest.mark.parametrize("given, says", [(["a.toml"], "two or more settings files"),
                                         (["a.toml", "a.toml"], "needs recordings")])
def test_compare_needs_two_settings_files_and_recordings(
        tmp_path: Path, simulated: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str],
        given: list[str], says: str) -> None:
    settings_file(tmp_path, "a.toml", "")
    paths = [str(tmp_path / g) for g in given] + ([str(simulated)] if len(given) == 1 else [])
    code = main(["compare", *paths])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and says in err[0]
