"""Colours and markers of the report, by name: postures and labels share colours (a label is drawn by its
name, whatever labels a recording has), related names in related hues but no two alike (walking up and
down stairs as lighter and darker walking, each movement between postures its own muted colour, your
`slouching` label a lighter red than the engine's `slouched`, a `not_X` correction hatched in X's colour
on white), and each event type has its own marker and colour in one row of the events lane."""

from __future__ import annotations

from dataclasses import dataclass

POSTURE_COLOURS = {"sitting": "#e08a2c", "standing": "#3b9a4f", "walking": "#2f6db5", "lying": "#8e5bb5",
                   "unknown": "#d4d4d4"}
SLOUCH_COLOUR = "#d2423b"
NAMED_COLOURS = {  # labels and lanes beyond the postures
    "walking_upstairs": "#7fb0e6", "walking_downstairs": "#163a70",
    "stand_to_sit": "#8c564b", "sit_to_stand": "#9c9a2a", "sit_to_lie": "#4f7f86",
    "lie_to_sit": "#c47a9c", "stand_to_lie": "#6e6e6e", "lie_to_stand": "#2b2b2b",
    "slouched": SLOUCH_COLOUR, "slouching": "#f29a93", "unlabelled": POSTURE_COLOURS["unknown"],
    "upright": POSTURE_COLOURS["unknown"],
}
OTHER_COLOURS = ("#17a2b8", "#c9b21c", "#e377c2", "#a6761d", "#1b9e77", "#9edae5", "#666699", "#b15928")
HATCH = "////"

ROWS: tuple[tuple[str, frozenset[str]], ...] = (
    ("transitions", frozenset({"stand_to_sit", "sit_to_stand", "stand_to_lie", "lie_to_stand",
                               "sit_to_lie", "lie_to_sit"})),
    ("posture changes", frozenset({"posture_changed"})),
    ("slouch", frozenset({"slouch_started", "slouch_ended", "slouch_nudge"})),
    ("sitting bout", frozenset({"prolonged_sitting", "bout_ended"})),
    ("breaks", frozenset({"break_soon", "break_due", "break_taken", "break_snoozed", "break_skipped",
                          "snooze_refused", "break_started", "break_finished", "request_refused"})),
)
OTHER_ROW = "other"

MARKERS: dict[str, tuple[str, str]] = {  # kind -> (marker, colour); no two kinds alike
    "stand_to_sit": ("v", POSTURE_COLOURS["sitting"]), "sit_to_stand": ("^", POSTURE_COLOURS["standing"]),
    "stand_to_lie": ("<", POSTURE_COLOURS["lying"]), "lie_to_stand": (">", POSTURE_COLOURS["lying"]),
    "sit_to_lie": ("<", "#5b3a78"), "lie_to_sit": (">", "#5b3a78"),
    "posture_changed": ("|", "#666666"),
    "slouch_started": ("o", SLOUCH_COLOUR), "slouch_ended": ("o", "#f2b8b4"),
    "slouch_nudge": ("P", "#8b1a14"),
    "prolonged_sitting": ("s", "#b35c00"), "bout_ended": ("D", "#888888"),
    "break_soon": ("d", "#c9b21c"), "break_due": ("*", SLOUCH_COLOUR), "break_taken": ("o", "#2ca02c"),
    "break_snoozed": ("h", "#8e5bb5"), "break_skipped": ("X", "#222222"), "snooze_refused": ("x", "#8e5bb5"),
    "break_started": (">", "#2ca02c"), "break_finished": ("s", "#2ca02c"),
    "request_refused": ("x", "#444444"),
    "gap": ("|", "#000000"), "reference_found": ("d", "#2f6db5"), "calibration_drift": ("x", SLOUCH_COLOUR),
    "calibration_requested": ("p", "#17a2b8"), "do_not_disturb": ("8", "#666699"),
}
OTHER_MARKERS = "opshD8<>^v"


@dataclass(frozen=True)
class Look:
    """How a name is drawn in a lane: a fill colour, or (a correction) a hatch in `edge` on white."""

    face: str
    edge: str | None = None
    hatch: str | None = None


def row_of(kind: str) -> str:
    """The events-lane row an event type is drawn in."""
    for row, kinds in ROWS:
        if kind in kinds:
            return row
    return OTHER_ROW


def colour_of(name: str, others: dict[str, str]) -> str:
    """A posture's or label's colour by name; any other name the next unused colour (kept in `others`)."""
    if name in POSTURE_COLOURS:
        return POSTURE_COLOURS[name]
    if name in NAMED_COLOURS:
        return NAMED_COLOURS[name]
    if name not in others:
        others[name] = OTHER_COLOURS[len(others) % len(OTHER_COLOURS)]
    return others[name]


def look_of(name: str, others: dict[str, str]) -> Look:
    """A lane's look of a name: `not_X` (that was wrong: the engine's X denied) hatched in X's colour."""
    if name.startswith("not_") and len(name) > 4:
        return Look("#ffffff", colour_of(name[4:], others), HATCH)
    return Look(colour_of(name, others))


def marker_of(kind: str, others: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """An event type's (marker, colour); a type without one gets the next unused pair (kept in `others`)."""
    if kind in MARKERS:
        return MARKERS[kind]
    if kind not in others:
        n = len(others)
        others[kind] = (OTHER_MARKERS[n % len(OTHER_MARKERS)], OTHER_COLOURS[n % len(OTHER_COLOURS)])
    return others[kind]
