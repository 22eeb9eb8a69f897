"""Engine settings: every threshold in one place, with units in the names."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EngineSettings:
    """Defaults from ../shared/reference/evidence.md where it gives them; the rest tuned by
    leave-subjects-out cross-validation on UCI HAPT (`posture-monitor tune`)."""

    tick_hz: float = 10.0  # decision rate
    fusion_tau_s: float = 1.0  # complementary filter: gyro below, accelerometer above this
    acc_only_tau_s: float = 0.2  # without a gyro: a light low-pass of the accelerometer angles
    gravity_lp_hz: float = 1.0  # low-pass separating gravity from motion
    intensity_lp_hz: float = 2.0  # smoothing of the motion-intensity (RMS) signal
    still_g: float = 0.025  # motion intensity under this is "still"
    walk_g: float = 0.15  # intensity above this is vigorous (walking-like)
    walk_s: float = 4.0  # vigorous this long without a pause is walking
    confirm_s: float = 0.3  # stillness needed after a movement to judge it
    transition_window_s: float = 5.0  # a transition is timed at the middle of its movement's last this-many s
    lookback_s: float = 12.0  # a movement is judged from its start, or from this long before its end
    lie_deg: float = 55.0  # inclination from upright beyond which the wearer is lying
    lie_exit_deg: float = 40.0  # hysteresis to leave lying
    lie_dwell_s: float = 0.5
    lie_move_g: float = 0.15  # inclined as lying this long while moving no more than this: lying already
    bend_deg: float = 30.0  # ...unless tilted this far forward: a bend, not lying down
    lie_margin_deg: float = 15.0  # lying needs this much more inclination than the sitting reference
    tilt_evidence_deg: float = 12.0  # tilt change across a movement that makes it a sit/stand transition
    lean_cap_deg: float = 8.0  # ...of which a forward lean before the movement counts this much at most
    lift_min_g: float = 0.06  # lift swing (peak to dip) that shows a movement went up or down
    lift_unoriented_g: float = 0.12  # with no reference yet, a swing this big is a sit-down or getting up
    lift_stand_g: float = 0.18  # out of lying, a swing this big is standing straight up
    agree_deg: float = 3.0  # a lift-judged posture may end with tilt this far past the midpoint the other way
    correct_s: float = 12.0  # a posture contradicted by tilt this long is corrected
    correct_margin_deg: float = 25.0
    settle_s: float = 2.0  # at the start or after a gap: stillness this long before a posture is claimed
    gap_s: float = 0.5  # missing data longer than this is a gap: filters restart, posture unknown
    gap_periods: float = 2.5  # ...and longer than this many sample periods (at 5 Hz a sample is 0.2 s apart)
    min_rate_hz: float = 5.0  # slower sensors are refused: walking (about 2 steps/s) needs at least this
    slouch_threshold_deg: float = 8.0  # posterior tilt beyond upright sitting
    slouch_hysteresis_deg: float = 3.0
    slouch_dwell_s: float = 10.0
    sit_follow: bool = True  # learn upright sitting from the wearer's bouts (False: the calibration's, fixed)
    sit_level_s: float = 1.0  # tilt held this long (calm, within sit_hold_deg) is a level (its median)
    sit_hold_deg: float = 2.0
    sit_learn_s: float = 10.0  # a bout's first seconds, when any held level counts...
    sit_relearn_s: float = 30.0  # ...after which a level must be held this long to raise the reference
    sit_calm_g: float = 0.1  # ...with motion intensity under this (calmer than a sit-down, not yet still)
    sit_min_bout_s: float = 5.0  # a bout this long passes its upright sitting on to the next
    sit_max_deg: float = -3.0  # upright sitting is never taken as more anterior than this from standing
    sit_allow_deg: float = 10.0  # a bout may sit this far behind the last one's upright and not be a slouch
    adopt_grid_s: float = 5.0  # while a reference may be adopted, it takes effect on this grid of stream time
    walk_ref_s: float = 20.0  # walking this long in one bout gives an upright reference
    sit_ref_s: float = 5.0  # uncalibrated: still sitting this long (after walking) gives left-right
    drift_deg: float = 8.0  # walking up this far from the calibration's: the clip has moved (evidence 3.3)
