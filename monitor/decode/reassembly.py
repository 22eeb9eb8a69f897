"""Cutting fixed-length frames out of a byte stream that may split or pack them across
notifications, re-synchronising on the frame's identifying bytes (as vendor SDKs do)."""

from __future__ import annotations

from monitor.profiles.model import StreamSpec


class Reassembler:
    """Buffers bytes of one characteristic; yields whole frames that start with the match bytes."""

    def __init__(self, spec: StreamSpec) -> None:
        assert spec.frame_bytes is not None
        self.size = spec.frame_bytes
        self.spec = spec
        self.buf = bytearray()
        self.skipped = 0  # runs of junk bytes thrown away while re-synchronising

    def push(self, data: bytes) -> list[bytes]:
        self.buf += data
        out: list[bytes] = []
        i, junk = 0, False
        while len(self.buf) - i >= self.size:
            if self.spec.carries(self.buf, i):
                out.append(bytes(self.buf[i:i + self.size]))
                i += self.size
                junk = False
            else:
                self.skipped += 0 if junk else 1
                junk = True
                i += 1
        del self.buf[:i]
        if len(self.buf) > 4 * self.size:  # never grow without bound on garbage
            del self.buf[:-self.size]
        return out

    def take_skipped(self) -> int:
        n, self.skipped = self.skipped, 0
        return n
