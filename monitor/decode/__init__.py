"""Decode: source items -> SampleBlocks in g, deg/s and seconds."""

from monitor.decode.stream import Decoder, GapCounter

__all__ = ["Decoder", "GapCounter"]
