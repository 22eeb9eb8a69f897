"""One span of a simulated day: what the wearer does, for how long, and how (its drawn parameters)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Segment:
    """One activity span. `kind` is a label name (`sitting`, `stand_to_sit`, ...) or `bend` (labelled
    standing); `params` hold per-segment draws (step rate, pelvis drop, peak lean, ...); `style` says
    how it was drawn (`half/slow`, `car`, `tie_shoes`; empty for the plain default)."""

    kind: str
    duration_s: float
    params: dict[str, float] = field(default_factory=dict)
    style: str = ""
