"""The stretch catalogue: shipped content, user extension, validation, rotation across days."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.coach.stretches import load_catalogue, suggest
from monitor.errors import InputError

REQUIRED = {"half-kneeling-hip-flexor", "figure-4-glute", "glute-max-knee-to-chest", "standing-hamstring",
            "standing-quadriceps", "glute-bridge"}


def test_shipped_catalogue_has_the_hip_and_back_stretches_with_doses_and_safety(tmp_path: Path) -> None:
    cat = load_catalogue(tmp_path / "none.toml")
    assert set(cat.by_id) >= REQUIRED
    for s in cat.by_id.values():
        assert s.steps and "pain" in s.safety
        if s.standing_variant:
            assert cat.by_id[s.standing_variant].position == "standing"
    hip = cat.by_id["half-kneeling-hip-flexor"]
    assert (hip.hold_s, hip.reps, hip.sides) == (30.0, 2, ("left", "right")) and hip.total_s == 120


def test_user_file_adds_and_replaces(tmp_path: Path) -> None:
    user = tmp_path / "stretches.toml"
    user.write_text('[[stretch]]\nid = "cat-cow"\nname = "Cat-cow"\nposition = "kneeling"\nsides = []\n'
                    'steps = ["On hands and knees, round then hollow your back slowly."]\n'
                    '[[stretch]]\nid = "standing-hamstring"\nname = "Mine"\nposition = "standing"\n'
                    'hold_s = 45\nsteps = ["x"]\n')
    cat = load_catalogue(user)
    assert cat.by_id["cat-cow"].sides == () and cat.by_id["standing-hamstring"].hold_s == 45


@pytest.mark.parametrize("body, message", [
    ('[[stretch]]\nid = "a"\nname = "A"\nsteps = ["x"]\n', "stretch[0].position: missing"),
    ('[[stretch]]\nid = "a"\nname = "A"\nposition = "upside down"\nsteps = ["x"]\n', "'upside down'"),
    ('[[stretch]]\nid = "a"\nname = "A"\nposition = "standing"\nhold_s = "long"\nsteps = ["x"]\n',
     "hold_s = 'long': expected"),
    ("[[stretch]\n", "cannot read stretches"),
])
def test_bad_user_files_name_the_field_and_value(tmp_path: Path, body: str, message: str) -> None:
    user = tmp_path / "stretches.toml"
    user.write_text(body)
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("(", r"\(")) as e:
        load_catalogue(user)
    assert str(user) in str(e.value)


def test_suggestions_rotate_so_the_same_do_not_repeat_day_after_day(tmp_path: Path) -> None:
    cat = load_catalogue(tmp_path / "none.toml")
    used: dict[str, str] = {}
    days = []
    for day in ("2026-11-23", "2026-11-24", "2026-11-25"):
        picked = suggest(cat, used, n=2, at_work=False)
        days.append({s.id for s in picked})
        used.update({s.id: day for s in picked})
    assert days[0].isdisjoint(days[1]) and days[1].isdisjoint(days[2])
    at_work = suggest(cat, {}, n=3)
    assert all(s.position == "standing" or s.standing_variant is None for s in at_work)
    assert at_work[0].id == "standing-hip-flexor"  # the hip flexor first, standing at work
