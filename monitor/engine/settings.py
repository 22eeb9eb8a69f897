"""Engine settings: every threshold in one place, with units in the names and, in each field's schema
spec (monitor/schema.py), its unit, bounds and help: the config file's `[engine]` table, `config keys`
and `tune`'s grid check against them."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.schema import num, switch


@dataclass(frozen=True)
class EngineSettings:
    """Defaults from ../shared/reference/evidence.md where it gives them; the rest tuned by
    leave-subjects-out cross-validation on UCI HAPT (`posture-monitor tune`)."""

    tick_hz: float = num(10.0, "Hz", 1, 100, "decision rate")
    fusion_tau_s: float = num(1.0, "s", 0, 60, "complementary filter: gyro below, accelerometer above "
                              "this", lo_open=True)
    acc_only_tau_s: float = num(0.2, "s", 0, 60, "without a gyro: a light low-pass of the accelerometer "
                                "angles", lo_open=True)
    gravity_lp_hz: float = num(1.0, "Hz", 0, 20, "low-pass separating gravity from motion", lo_open=True)
    intensity_lp_hz: float = num(2.0, "Hz", 0, 20, "smoothing of the motion-intensity (RMS) signal",
                                 lo_open=True)
    still_g: float = num(0.025, "g", 0, 1, "motion intensity under this is still", lo_open=True)
    walk_g: float = num(0.15, "g", 0, 2, "intensity above this is vigorous (walking-like)", lo_open=True)
    walk_s: float = num(4.0, "s", 0, 60, "vigorous this long without a pause is walking")
    confirm_s: float = num(0.3, "s", 0, 10, "stillness needed after a movement to judge it")
    transition_window_s: float = num(5.0, "s", 0, 60, "a transition is timed at the middle of its "
                                     "movement's last this-many s", lo_open=True)
    lookback_s: float = num(12.0, "s", 0, 120, "a movement is judged from its start, or from this long "
                            "before its end", lo_open=True)
    lie_deg: float = num(55.0, "deg", 0, 90, "inclination from upright beyond which the wearer is lying")
    lie_exit_deg: float = num(40.0, "deg", 0, 90, "hysteresis to leave lying")
    lie_dwell_s: float = num(0.5, "s", 0, 60, "inclined as lying this long (moving little): lying")
    lie_move_g: float = num(0.15, "g", 0, 2, "...while moving no more than this: lying already")
    bend_deg: float = num(30.0, "deg", 0, 90, "...unless tilted this far forward: a bend, not lying down")
    lie_margin_deg: float = num(15.0, "deg", 0, 90, "lying needs this much more inclination than the "
                                "sitting reference")
    tilt_evidence_deg: float = num(12.0, "deg", 0, 90, "tilt change across a movement that makes it a "
                                   "sit/stand transition")
    lean_cap_deg: float = num(8.0, "deg", 0, 90, "...of which a forward lean before the movement counts "
                              "this much at most")
    lift_min_g: float = num(0.06, "g", 0, 2, "lift swing (peak to dip) that shows a movement went up "
                            "or down")
    lift_unoriented_g: float = num(0.12, "g", 0, 2, "with no reference yet, a swing this big is a "
                                   "sit-down or getting up")
    lift_stand_g: float = num(0.18, "g", 0, 2, "out of lying, a swing this big is standing straight up")
    agree_deg: float = num(3.0, "deg", 0, 90, "a lift-judged posture may end with tilt this far past "
                           "the midpoint the other way")
    correct_s: float = num(12.0, "s", 0, 3600, "a posture contradicted by tilt this long is corrected")
    correct_margin_deg: float = num(25.0, "deg", 0, 90, "...by this much tilt")
    settle_s: float = num(2.0, "s", 0, 60, "at the start or after a gap: stillness this long before a "
                          "posture is claimed")
    gap_s: float = num(0.5, "s", 0, 60, "missing data longer than this is a gap: filters restart, "
                       "posture unknown", lo_open=True)
    gap_periods: float = num(2.5, "sample periods", 1, 100, "...and longer than this many sample "
                             "periods (at 5 Hz a sample is 0.2 s apart)")
    min_rate_hz: float = num(5.0, "Hz", 0, 200, "slower sensors are refused: walking (about 2 steps/s) "
                             "needs at least this", lo_open=True)
    slouch_threshold_deg: float = num(8.0, "deg", 2, 30, "posterior tilt beyond upright sitting that "
                                      "counts as slouch")
    slouch_hysteresis_deg: float = num(3.0, "deg", 0, 30, "a slouch ends this much below the threshold")
    slouch_dwell_s: float = num(10.0, "s", 0, 600, "slouch must last this long")
    sit_follow: bool = switch(True, "learn upright sitting from the wearer's bouts (false: the "
                              "calibration's, fixed)")
    sit_level_s: float = num(1.0, "s", 0, 60, "tilt held this long (calm, within sit_hold_deg) is a "
                             "level (its median)", lo_open=True)
    sit_hold_deg: float = num(2.0, "deg", 0, 30, "how still the tilt of a level is held")
    sit_learn_s: float = num(10.0, "s", 0, 600, "a bout's first seconds, when any held level counts...")
    sit_relearn_s: float = num(30.0, "s", 0, 3600, "...after which a level must be held this long to "
                               "raise the reference")
    sit_calm_g: float = num(0.1, "g", 0, 2, "...with motion intensity under this (calmer than a "
                            "sit-down, not yet still)")
    sit_min_bout_s: float = num(5.0, "s", 0, 3600, "a bout this long passes its upright sitting on to "
                                "the next")
    sit_max_deg: float = num(-3.0, "deg", -90, 90, "upright sitting is never taken as more anterior "
                             "than this from standing")
    sit_allow_deg: float = num(10.0, "deg", 0, 90, "a bout may sit this far behind the last one's "
                               "upright and not be a slouch")
    adopt_grid_s: float = num(5.0, "s", 0, 600, "while a reference may be adopted, it takes effect on "
                              "this grid of stream time", lo_open=True)
    walk_ref_s: float = num(20.0, "s", 0, 3600, "walking this long in one bout gives an upright "
                            "reference", lo_open=True)
    sit_ref_s: float = num(5.0, "s", 0, 3600, "uncalibrated: still sitting this long (after walking) "
                           "gives left-right", lo_open=True)
    drift_deg: float = num(8.0, "deg", 0, 90, "walking up this far from the calibration's: the clip has "
                           "moved (evidence 3.3)")
