"""The one sitting bout. Computed here, once, from the engine's posture changes and gaps, on the
coach's grid of stream time; the coach's prompts, the `prolonged_sitting` and `bout_ended` events,
the dashboard, the MQTT `bout_s` and the statistics' longest bout all read it.

Rules: sitting adds to the bout. Being up (standing or walking; during a guided break also lying,
for floor stretches) for `break_s` without interruption ends it. Anything else (lying, an unknown
posture, a shorter stand) pauses it: neither adds nor ends. A gap in the data is not sitting; a gap
of `reset_after_gap_s` or more ends the bout without a break (sleep, the sensor off overnight)."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.events import BoutEnded, Event, ProlongedSitting

UPRIGHT = frozenset({"standing", "walking"})
OUT_OF_CHAIR = UPRIGHT | {"lying"}  # counts during a guided break (bridges, floor stretches)


@dataclass
class BoutState:
    start_s: float | None = None  # when the bout began; None: no bout
    sat_s: float = 0.0  # sitting in the bout's closed spells
    sitting_since_s: float | None = None  # the spell of sitting under way
    up_since_s: float | None = None  # out of the chair without interruption since
    prolonged_sent: bool = False


class SittingBout:
    """Fed in time order: `posture` at each change, `gap` for missing data, `check` on the grid."""

    def __init__(self, limit_s: float, break_s: float, reset_after_gap_s: float) -> None:
        self.limit_s, self.break_s, self.reset_after_gap_s = limit_s, break_s, reset_after_gap_s
        self.st = BoutState()

    @property
    def active(self) -> bool:
        return self.st.start_s is not None

    def seconds(self, t_s: float) -> float:
        """Sitting time in the bout up to `t_s` (0 without a bout)."""
        st = self.st
        running = 0.0 if st.sitting_since_s is None else max(0.0, t_s - st.sitting_since_s)
        return st.sat_s + running if st.start_s is not None else 0.0

    def up_for_s(self, t_s: float) -> float:
        """How long the wearer has been up without interruption (0 when not up)."""
        return 0.0 if self.st.up_since_s is None else max(0.0, t_s - self.st.up_since_s)

    def posture(self, t_s: float, posture: str, up: bool) -> None:
        """The posture changed at `t_s`; `up`: it counts as being out of the chair now."""
        st = self._close(t_s)
        if posture == "sitting":
            if st.start_s is None:
                st.start_s, st.sat_s, st.prolonged_sent = t_s, 0.0, False
            st.sitting_since_s = t_s
        st.up_since_s = (st.up_since_s if st.up_since_s is not None else t_s) if up else None

    def recount(self, t_s: float, up: bool) -> None:
        """What counts as up changed (a guided break began or ended): the posture now does or does not."""
        st = self.st
        st.up_since_s = (st.up_since_s if st.up_since_s is not None else t_s) if up else None

    def gap(self, start_s: float, end_s: float) -> list[Event]:
        """No data from `start_s` to `end_s`: sitting stops counting at `start_s`; a gap of
        `reset_after_gap_s` or more ends the bout."""
        st = self._close(start_s)
        st.up_since_s = None
        if end_s - start_s >= self.reset_after_gap_s and st.start_s is not None:
            return [self.end(end_s)]
        return []

    def check(self, t_s: float) -> list[Event]:
        """On the grid: `prolonged_sitting` once the bout reaches the limit."""
        st = self.st
        if st.start_s is None or st.prolonged_sent or self.seconds(t_s) < self.limit_s:
            return []
        st.prolonged_sent = True
        return [ProlongedSitting(t_s, self.seconds(t_s), self.limit_s)]

    def end(self, t_s: float) -> BoutEnded:
        """The bout is over (a break, or a long gap): its sitting time and when it began."""
        st = self._close(t_s)
        assert st.start_s is not None
        ended = BoutEnded(t_s, st.start_s, st.sat_s)
        self.st = BoutState()
        return ended

    def _close(self, t_s: float) -> BoutState:
        """End the spell of sitting under way at `t_s`, adding it to the bout."""
        st = self.st
        if st.sitting_since_s is not None:
            st.sat_s += max(0.0, t_s - st.sitting_since_s)
            st.sitting_since_s = None
        return st
