"""What the dashboard shows, as one immutable value published by the stream a few times a second."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class GuideView:
    stretch: str
    steps: tuple[str, ...]
    safety: str
    side: str | None
    rep: int
    reps: int
    hold_s: float
    remaining_s: float
    up: bool
    step_index: int
    step_count: int
    upcoming: tuple[str, ...] = ()


@dataclass(frozen=True)
class FinishedView:
    """The last guided break that ended (`t_s`): what was done, for the break screen's summary."""

    t_s: float
    completed: bool
    stretches: tuple[str, ...]
    steps_done: int
    steps: int
    up_s: float


@dataclass(frozen=True)
class CalibrationView:
    """The guided calibration in progress: the step, its stillness meter (0-1) and clocks."""

    title: str
    prompt: str
    index: int
    total: int
    kind: str  # still | bends
    required: bool
    state: str  # waiting | holding | failed | finished
    stillness: float
    held_s: float
    hold_s: float
    remaining_s: float
    bends: int
    count: int
    message: str | None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class LiveView:
    t_s: float = 0.0
    posture: str = "unknown"
    tilt_deg: float | None = None  # from upright sitting while sitting, else from standing (tilt_from)
    tilt_from: str = "standing"  # the reference tilt_deg is measured from: sitting | standing
    slouch: bool = False
    slouch_since_s: float | None = None  # start of the slouch under way, for the live Today panel
    slouch_threshold_deg: float = 8.0
    calibrated: bool = False
    bout_s: float = 0.0
    limit_s: float = 1800.0
    prompt_level: int = 0
    prompt_active: bool = False
    quiet: str | None = None
    link_state: str = "streaming"
    rate_hz: float | None = None
    dropped_frames: int = 0
    battery_pct: int | None = None
    tilt_history: tuple[float, ...] = ()  # one value per second, the last few minutes
    today: dict[str, float] = field(default_factory=dict)
    day: str | None = None  # the local day (ISO) `today` is for
    stats: bool = False  # the run keeps a statistics store (the week view has days to show)
    week_rows: dict[str, dict[str, float]] | None = None  # the store's days of `day`'s week (None: unread)
    timeline: tuple[tuple[float, str], ...] = ()  # (start t_s, posture) spans
    clock_s: float | None = None  # local time of day at t_s, seconds after midnight (the timeline's hours)
    snoozes_today: int = 0
    skips_today: int = 0
    suggested: tuple[str, ...] = ()  # stretch names for the next break
    guide: GuideView | None = None
    prompt_s: float | None = None  # when the prompt now showing was given (a new one opens the screen)
    snoozed_until_s: float = 0.0  # a snoozed prompt comes back then (0: not snoozed)
    finished_break: FinishedView | None = None
    calibration: CalibrationView | None = None
    finished: bool = False
