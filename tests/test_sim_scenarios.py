"""The simulator's scenario cases (monitor.sim.scenarios): labelled as intended, seeded, with the
movements' sizes in their documented ranges. These test the simulator, not the engine."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

from monitor.labels import CODES
from monitor.sim import scenarios, styles
from monitor.sim.cases import Case, CaseRun

RATE = 20.0


@lru_cache(maxsize=8)
def runs(family: str, n: int, rate_hz: float = RATE) -> list[CaseRun]:
    make = {"short_sits": lambda: scenarios.short_sits(0, n, rate_hz),
            "chairs": lambda: scenarios.chair_transitions(0, n, rate_hz),
            "bends": lambda: scenarios.bends(0, n, rate_hz), "car": lambda: scenarios.car(0, n, rate_hz)}
    return [c.run() for c in make[family]()]


def item_mask(r: CaseRun, index: int = 0, seg: int | None = None) -> np.ndarray:
    """Samples of item `index` (or of one segment of it: `seg` counted from the item's first)."""
    item = r.case.items[index]
    lo, hi = r.item_span_s(item) if seg is None else r.span_s(item.first + seg)
    t = r.block.t_s
    return (t >= lo) & (t <= hi)


def test_every_case_opens_with_the_calibration_prelude() -> None:
    for r in runs("short_sits", 12) + runs("bends", 8) + runs("car", 2):
        assert [s.kind for s in r.case.segments[:5]] == ["standing", "stand_to_sit", "sitting",
                                                         "sit_to_stand", "standing"]
        assert r.case.prelude == 5 and r.case.items[0].first >= 5
        assert r.calibration("stand+sit").has_sit_pose  # type: ignore[union-attr]
        assert not r.calibration("stand").has_sit_pose and r.calibration("none") is None  # type: ignore[union-attr]


def test_short_sits_are_2_to_5_s_seated_between_a_sit_down_and_a_stand_up() -> None:
    cases = scenarios.short_sits(0, 200, RATE)
    assert len(cases) == 200
    seated = [c.segments[c.items[0].first + 1] for c in cases]
    assert all(s.kind == "sitting" and 2.0 <= s.duration_s <= 5.0 for s in seated)
    for r in runs("short_sits", 36):  # every chair x speed x age twice, labelled 7, 4, 8
        item = r.case.items[0]
        codes = r.labels.code[(r.labels.start_s >= r.span_s(item.first)[0] - 1e-9)
                              & (r.labels.end_s <= r.item_span_s(item)[1] + 1e-9)]
        assert codes.tolist() == [CODES["stand_to_sit"], CODES["sitting"], CODES["sit_to_stand"]]
        (start_s, end_s), = r.spans_s(item, "sitting")
        assert 2.0 - 1.0 / RATE <= end_s - start_s <= 5.0
    groups = {(c.group["chair"], c.group["speed"], c.group["age"]) for c in cases}
    assert len(groups) == len(styles.CHAIRS) * len(styles.SPEEDS) * 2


def peak_tilt(r: CaseRun, index: int) -> float:
    return float(r.tilt_deg[item_mask(r, index)].max())


def test_a_half_height_chair_takes_a_deeper_forward_lean_and_drop_than_a_standard_one() -> None:
    by: dict[tuple[str, str], list[float]] = {}
    for r in runs("chairs", 2):
        by.setdefault((r.case.group["chair"], r.case.group["age"]), []).append(peak_tilt(r, 0))
        down = r.case.segments[r.case.items[0].first]
        assert styles.CHAIRS[r.case.group["chair"]].drop_m[0] <= down.params["drop_m"] \
            <= styles.CHAIRS[r.case.group["chair"]].drop_m[1]
    for age in ("young", "older"):
        assert min(by["half", age]) > max(by["standard", age])
        assert np.mean(by["low", age]) > np.mean(by["standard", age])
    assert np.mean(by["standard", "older"]) > np.mean(by["standard", "young"]) + 4.0  # older lean further


def test_older_people_take_longer_to_stand_up() -> None:
    dur: dict[str, list[float]] = {"young": [], "older": []}
    for c in scenarios.chair_transitions(0, 6, RATE, chairs=("standard",), speeds=("normal",)):
        up = c.segments[c.items[1].first]
        dur[c.group["age"]].append(up.duration_s - up.params.get("false_start_s", 0.0))
    assert min(dur["young"]) >= 1.8 and max(dur["young"]) <= 2.6
    assert min(dur["older"]) >= 2.5 and max(dur["older"]) <= 4.5
    assert np.mean(dur["older"]) > 1.3 * np.mean(dur["young"])


def test_quick_transitions_take_1_2_to_1_8_s_for_the_young() -> None:
    for c in scenarios.chair_transitions(0, 3, RATE, chairs=("standard",), speeds=("quick",), ages=("young",)):
        assert all(1.2 <= c.segments[i.first].duration_s <= 1.8 for i in c.items)


def test_a_bend_is_labelled_standing_and_stays_in_its_style_range() -> None:
    for r in runs("bends", 16):
        style = styles.BENDS[r.case.group["style"]]
        m = item_mask(r)
        assert np.all(r.code[m] == CODES["standing"])
        assert r.case.segments[r.case.items[0].first].kind == "bend"
        assert style.peak_deg[0] - 2.0 <= r.tilt_deg[m].max() <= style.peak_deg[1] + 4.0
        after = r.block.t_s > r.item_span_s(r.case.items[0])[1] + 1.0
        assert abs(np.median(r.tilt_deg[after])) < 2.0  # back to standing
        assert not np.any(np.isin(r.code[r.block.t_s > r.scored_from_s], list(CODES[k] for k in (
            "sitting", "stand_to_sit", "sit_to_stand"))))


def test_tying_shoes_is_a_deep_squat() -> None:
    ties = [c for c in scenarios.bends(0, 16, RATE) if c.group["style"] == "tie_shoes"]
    assert ties
    for c in ties:
        p = c.segments[c.items[0].first].params
        assert 0.40 <= p["drop_m"] <= 0.50 and 15.0 <= p["peak_deg"] <= 30.0 and p["hold_s"] >= 2.0


def test_getting_into_a_car_turns_drops_and_reclines() -> None:
    for r in runs("car", 4):
        into, out = (r.case.segments[r.case.item(k).first] for k in ("car_in", "car_out"))
        assert into.kind == "stand_to_sit" and out.kind == "sit_to_stand"
        assert 80.0 <= abs(into.params["turn_deg"]) <= 100.0
        assert out.params["turn_deg"] == -into.params["turn_deg"]
        assert 0.50 <= into.params["drop_m"] <= 0.60 and -18.0 <= into.params["seat_deg"] <= -8.0
        seat = item_mask(r, 1)
        assert np.all(r.code[seat] == CODES["sitting"])
        assert np.median(r.tilt_deg[seat]) < r.case.person.sit_deg - 8.0 + 10.0 + 3.5  # the seat's recline


def blocks_of(c: Case) -> list:  # type: ignore[type-arg]
    return [ch.block for ch in c.run().chunks]


def test_cases_are_deterministic_and_do_not_depend_on_how_many_are_drawn() -> None:
    a, b = scenarios.short_sits(3, 5, RATE)[4], scenarios.short_sits(3, 40, RATE)[4]
    assert a.segments == b.segments and a.seed == b.seed
    assert all(x.same_as(y) for x, y in zip(blocks_of(a), blocks_of(b), strict=True))
    other = scenarios.short_sits(4, 5, RATE)[4]
    assert not blocks_of(other)[0].same_as(blocks_of(a)[0])


@pytest.mark.parametrize("rate_hz", [10.0, 50.0, 200.0])
def test_cases_run_at_any_rate_with_truth_for_every_sample(rate_hz: float) -> None:
    for c in (scenarios.short_sits(0, 1, rate_hz)[0], scenarios.car(0, 1, rate_hz)[0]):
        r = c.run()
        assert len(r.code) == len(r.tilt_deg) == len(r.slouch) == len(r.block)
        assert np.isclose(np.median(np.diff(r.block.t_s)), 1.0 / rate_hz)
        assert r.block.t_s[-1] == pytest.approx(r.starts_s[-1] - 1.0 / rate_hz)
        assert np.all(np.isfinite(r.block.acc_g)) and np.all(np.isfinite(r.block.gyro_dps))  # type: ignore[arg-type]


def test_the_days_have_what_they_promise() -> None:
    stand = scenarios.standing_day(0, 1.0, RATE)
    kinds = [s.kind for s in stand.segments[stand.prelude:]]
    assert "bend" in kinds and not {"sitting", "stand_to_sit"} & set(kinds)
    assert sum(s.duration_s for s in stand.segments) >= 3600
    office = scenarios.office_day(0, 2.0, RATE)
    assert sum(s.duration_s for s in office.segments) <= 2 * 3600 + 60
    assert office.segments[-1].kind not in ("stand_to_sit", "sit_to_stand")
