"""Colours and markers of the report, by name: postures and labels share colours (a label is drawn by its
name, whatever labels a recording has), each event type has one marker in one row of the events lane."""

from __future__ import annotations

POSTURE_COLOURS = {"sitting": "#e08a2c", "standing": "#3b9a4f", "walking": "#2f6db5", "lying": "#8e5bb5",
                   "unknown": "#d4d4d4"}
SLOUCH_COLOUR = "#d2423b"
TRANSITION_COLOUR = "#555555"
CORRECTION_COLOUR = "#222222"
OTHER_COLOURS = ("#17a2b8", "#c9b21c", "#e377c2", "#8c564b", "#7f7f7f", "#9edae5", "#2ca02c", "#1f3b73")

ROWS: tuple[tuple[str, frozenset[str]], ...] = (
    ("transitions", frozenset({"stand_to_sit", "sit_to_stand", "stand_to_lie", "lie_to_stand",
                               "sit_to_lie", "lie_to_sit"})),
    ("posture changes", frozenset({"posture_changed"})),
    ("slouch", frozenset({"slouch_started", "slouch_ended", "slouch_nudge"})),
    ("sitting bout", frozenset({"prolonged_sitting", "bout_ended"})),
    ("breaks", frozenset({"break_soon", "break_due", "break_taken", "break_snoozed", "break_skipped",
                          "snooze_refused", "break_started", "break_finished"})),
)
OTHER_ROW = "other"

MARKERS: dict[str, tuple[str, str]] = {  # kind -> (marker, colour)
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
    "gap": ("|", "#000000"), "reference_found": ("d", "#2f6db5"), "calibration_drift": ("x", SLOUCH_COLOUR),
}
DEFAULT_MARKER = ("o", "#7f7f7f")


def row_of(kind: str) -> str:
    """The events-lane row an event type is drawn in."""
    for row, kinds in ROWS:
        if kind in kinds:
            return row
    return OTHER_ROW


def colour_of(name: str, others: dict[str, str]) -> str:
    """A posture's or label's colour: postures by name (walking up or down stairs as walking),
    movements between postures grey, any other name the next unused colour (kept in `others`)."""
    if name in POSTURE_COLOURS:
        return POSTURE_COLOURS[name]
    if name.startswith("walking"):
        return POSTURE_COLOURS["walking"]
    if "_to_" in name:
        return TRANSITION_COLOUR
    if name in ("unlabelled", "upright"):
        return POSTURE_COLOURS["unknown"]
    if name in ("slouched", "slouching"):
        return SLOUCH_COLOUR
    if name.startswith("not_"):  # "that was wrong": the engine's posture denied
        return CORRECTION_COLOUR
    if name not in others:
        others[name] = OTHER_COLOURS[len(others) % len(OTHER_COLOURS)]
    return others[name]
