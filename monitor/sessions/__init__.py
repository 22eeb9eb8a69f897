"""Recording files: an append-only, crash-safe container of raw frames or sample blocks."""

from monitor.sessions.reader import Recording, open_recording
from monitor.sessions.writer import RecordingWriter

__all__ = ["Recording", "RecordingWriter", "open_recording"]
