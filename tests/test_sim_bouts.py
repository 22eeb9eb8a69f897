"""The simulated day: every sitting bout has its own upright angle (the slouch truth relative to it), the
variety leaves the rest of the day alone, a varied day (the default one has none) holds the odd bend and
short sit, an older wearer rises slower and sometimes twice, and the seeded wearer stays deterministic
chunk by chunk."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from monitor.labels import CODES
from monitor.sim import SimulatedWearer
from monitor.sim.people import Person
from monitor.sim.schedule import TRANSITION_S, ScheduleSettings
from monitor.sim.wearer import SimChunk

RATE = 10.0
PLAIN = ScheduleSettings(sit_bout_s=(300, 900), first_sit_s=300)
PLAN = PLAIN.varied()
DEFAULT = Person()


@lru_cache(maxsize=16)
def day(seed: int, person: Person = DEFAULT, plan: ScheduleSettings = PLAN,
        hours: float = 8.0) -> list[SimChunk]:
    return list(SimulatedWearer(seed=seed, rate_hz=RATE, person=person, plan=plan).run(hours * 3600))


def bouts(chunks: list[SimChunk]) -> list[tuple[float, float]]:
    """(upright median, slouched median) truth tilt of each sitting bout of at least 5 min (nan: no
    slouch), leaving out the first 5 s (the glide in from the sit-down)."""
    out = []
    for c in chunks:
        if c.segment.kind == "sitting" and c.segment.duration_s >= 300:
            tilt, slouch = c.tilt_deg[int(5 * RATE):], c.slouch[int(5 * RATE):]
            out.append((float(np.median(tilt[~slouch])),
                        float(np.median(tilt[slouch])) if slouch.any() else np.nan))
    return out


def test_each_sitting_bout_has_its_own_upright_angle() -> None:
    who = Person()
    upright = np.array([u for seed in (0, 1, 2) for u, _ in bouts(day(seed))])
    assert len(upright) >= 30
    assert 2.5 < np.std(upright - who.sit_deg) < 6.0  # per-bout SD 4 deg, plus the within-bout wander
    assert np.all(np.abs(upright - who.sit_deg) <= 2.5 * who.bout_sd_deg + 3.5)
    assert np.mean(np.abs(upright - who.sit_deg) <= 8.0 + 1.0) > 0.85


def test_a_sitting_chunk_carries_its_bouts_upright_angle() -> None:
    for c in day(1):
        if c.segment.kind == "sitting" and c.segment.duration_s >= 300:
            upright = np.median(c.tilt_deg[int(5 * RATE):][~c.slouch[int(5 * RATE):]])
            assert abs(upright - c.upright_deg) < 3.5
            if c.slouch.any():
                depth = c.upright_deg - np.median(c.tilt_deg[c.slouch])
                assert Person().slouch_deg[0] - 4.0 < depth < Person().slouch_deg[1] + 4.0


def test_without_the_offset_every_bout_sits_at_the_persons_angle() -> None:
    who = Person(bout_sd_deg=0.0)
    upright = np.array([u for u, _ in bouts(day(0, who))])
    assert np.all(np.abs(upright - who.sit_deg) < 3.5)


def test_the_slouch_truth_is_relative_to_the_bouts_own_upright_sitting() -> None:
    who = Person()
    pairs = [(u, s) for seed in (0, 1, 2) for u, s in bouts(day(seed)) if not np.isnan(s)]
    assert len(pairs) >= 15
    depth = np.array([u - s for u, s in pairs])
    lo, hi = who.slouch_deg
    assert np.all((depth > lo - 4.0) & (depth < hi + 4.0))  # whatever the bout's upright angle
    chunks = day(0)
    code = np.concatenate([c.code for c in chunks])
    assert not np.concatenate([c.slouch for c in chunks])[code != CODES["sitting"]].any()


def test_the_bout_offsets_leave_the_schedule_and_the_upright_samples_as_they_were() -> None:
    varied, fixed = day(3, Person(), PLAIN, 4.0), day(3, Person(bout_sd_deg=0.0), PLAIN, 4.0)
    assert [(c.segment.kind, c.segment.duration_s) for c in varied] == \
        [(c.segment.kind, c.segment.duration_s) for c in fixed]
    for a, b in zip(varied, fixed, strict=True):
        if a.segment.kind in ("standing", "walking"):
            assert a.block.same_as(b.block)
        if a.segment.kind == "sitting":
            assert not np.array_equal(a.tilt_deg, b.tilt_deg)


def test_a_varied_day_has_an_occasional_bend_and_short_sit_labelled_as_such() -> None:
    chunks = [c for seed in (0, 1, 2, 3) for c in day(seed)]
    bends = [c for c in chunks if c.segment.kind == "bend"]
    short = [c for c in chunks if c.segment.kind == "sitting" and c.segment.duration_s <= 5.0]
    assert 2 <= len(bends) <= 40 and 1 <= len(short) <= 20
    assert all(np.all(c.code == CODES["standing"]) and c.tilt_deg.max() > 15.0 for c in bends)
    assert all(c.segment.duration_s >= 2.0 for c in short)
    plain = [c for seed in (0, 1) for c in day(seed, plan=PLAIN)]
    assert not [c for c in plain if c.segment.kind == "bend"
                or (c.segment.kind == "sitting" and c.segment.duration_s <= 5.0)]
    assert [c.segment.kind for c in day(0)[:3]] == ["standing", "stand_to_sit", "sitting"]


def test_an_older_wearer_rises_slower_and_sometimes_tries_twice() -> None:
    young, older = day(5, Person(), PLAIN), day(5, Person.older(), PLAIN)
    def rises(chunks: list[SimChunk]) -> list[SimChunk]:
        return [c for c in chunks if c.segment.kind == "sit_to_stand"]
    lo, hi = TRANSITION_S["sit_to_stand"]
    assert all(lo <= c.segment.duration_s <= hi for c in rises(young))
    retried = [c for c in rises(older) if "false_start_s" in c.segment.params]
    assert 0 < len(retried) < len(rises(older))
    for c in retried:  # leans forward, sits back to where it started (and pauses), then rises
        t = c.block.t_s - c.block.t_s[0]
        attempt = t < c.segment.params["false_start_s"]
        pause = attempt & (t > 0.8 * c.segment.params["false_start_s"])
        assert c.tilt_deg[attempt].max() > c.tilt_deg[0] + 10.0
        assert np.all(np.abs(c.tilt_deg[pause] - c.tilt_deg[0]) < 2.0) and abs(c.tilt_deg[-1]) < 0.5
    plain = [c.segment.duration_s for c in rises(older) if "false_start_s" not in c.segment.params]
    assert min(plain) >= lo * 1.45 - 1e-9


def test_the_seeded_wearer_is_deterministic_chunk_by_chunk_with_the_new_movements() -> None:
    a = SimulatedWearer(seed=2, rate_hz=25.0, plan=ScheduleSettings().varied()).chunks()
    b = SimulatedWearer(seed=2, rate_hz=25.0, plan=ScheduleSettings().varied()).chunks()
    kinds = set()
    for _ in range(60):
        x, y = next(a), next(b)
        assert x.segment == y.segment and x.block.same_as(y.block)
        assert np.array_equal(x.tilt_deg, y.tilt_deg) and np.array_equal(x.slouch, y.slouch)
        kinds.add(x.segment.kind)
    assert "bend" in kinds
