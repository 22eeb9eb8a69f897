"""Sources yield timestamped raw data: Frames (as notified) or SampleBlocks (imports, simulator)."""

from monitor.samples import Frames, SourceItem
from monitor.sources.pacing import Pacer

__all__ = ["Frames", "Pacer", "SourceItem"]
