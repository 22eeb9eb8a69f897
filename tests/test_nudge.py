"""Nudges on the body: a profile's `[nudge]` writes, sent by the live link over the bumble stack
through bleak, arrive at the virtual sensor byte for byte; the profile checks them; the sink names them.
Every wait is bounded only to catch a hang."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from monitor.events.coach import BreakDue, BreakTaken, SlouchNudge
from monitor.events.types import SlouchStarted
from monitor.sinks.nudge import NudgeSink
from monitor.sources.ble import SensorLink
from monitor.sources.live import LiveSource
from monitor.virtual import gatt_table
from tests.live_rig import HANG_S, REG, Rig, rig
from tests.test_profiles import load_edited

RATE, SPEED = 25.0, 5.0
MW_CMD = "326a9001-85cb-9195-d9dd-464cfbbae75a"
TH = "ef68{}-9b35-4933-9b10-52ffa9740042"
MB = "e95d{}-251d-470a-a062-fa1922dfa9a8"

METAMOTION = {
    # 08 01 | f8 = 248 = 100 % duty | 96 00 = 150 ms | 00 = motor; twice (the second 300 ms later)
    "slouch": [(MW_CMD, "0801f8960000"), (MW_CMD, "0801f8960000")],
    # 02 02 01 stop and clear the LED; 02 03 | 00 green | 02 | 1f high, 00 low | rise 0, high 50 ms,
    # fall 0, pulse 500 ms | delay 0 | 0a = 10 repeats; 02 01 01 play; 08 01 f8 | f4 01 = 500 ms | motor
    "break": [(MW_CMD, "020201"), (MW_CMD, "020300021f00000032000000f40100000a"), (MW_CMD, "020101"),
              (MW_CMD, "0801f8f40100")],
}
THINGY = {
    # config 01 tones, 01 ADPCM; speaker 70 03 = 880 Hz | 96 00 = 150 ms | 1e = volume 30
    "slouch": [(TH.format("0501"), "0101"), (TH.format("0502"), "700396001e")],
    # LED 03 one breath | 02 green | 64 = 100 %; config; b8 01 = 440 Hz, f4 01 = 500 ms, 32 = volume 50;
    # then 70 03 = 880 Hz, 500 ms, volume 50
    "break": [(TH.format("0301"), "030264"), (TH.format("0501"), "0101"), (TH.format("0502"), "b801f40132"),
              (TH.format("0502"), "7003f40132")],
}
MICROBIT = {
    # rows top to bottom, bit 4 = left: ..#.. 04, .###. 0e, #.#.# 15, ..#.. 04, ..#.. 04; then all off
    "slouch": [(MB.format("7b77"), "040e150404"), (MB.format("7b77"), "0000000000")],
    # "STAND UP" in ASCII: S 53 T 54 A 41 N 4e D 44 space 20 U 55 P 50
    "break": [(MB.format("93ee"), "5354414e44205550")],
}
EXPECTED = {"mbientlab-metamotion": METAMOTION, "nordic-thingy52": THINGY, "microbit-accelerometer": MICROBIT}


def wait_for(cond: Callable[[], bool], what: str) -> None:
    end = time.monotonic() + HANG_S
    while not cond():
        assert time.monotonic() < end, f"hang waiting for {what}"
        time.sleep(0.02)


def streaming_rig(profile_id: str) -> tuple[Rig, LiveSource]:
    r = rig(profile_id, seed=6, rate_hz=RATE, speed=SPEED)
    src = r.stream.source
    assert isinstance(src, LiveSource)
    src.start()
    wait_for(lambda: r.link.status.state == "streaming" and r.sensor.streaming, "streaming")
    return r, src


def received(r: Rig, act: Callable[[], None], count: int) -> list[tuple[str, str]]:
    """The (characteristic, hex) writes the sensor gets after `act`, once there are `count` of them."""
    start = len(r.sensor.writes)
    act()
    wait_for(lambda: len(r.sensor.writes) >= start + count, f"{count} writes")
    return [(u, d.hex()) for u, d in r.sensor.writes[start:]]


@pytest.mark.parametrize("profile_id", sorted(EXPECTED))
def test_a_nudge_reaches_the_virtual_sensor_as_exactly_the_profiles_bytes(profile_id: str) -> None:
    """Coach events through the NudgeSink and LiveSource.nudge: the sensor receives each nudge's
    writes in order, byte for byte as decoded by hand above, and nothing else."""
    r, src = streaming_rig(profile_id)
    sink = NudgeSink(src.nudge)
    try:
        for event, name in ((SlouchNudge(t_s=1.0), "slouch"), (BreakDue(t_s=2.0), "break")):
            want = EXPECTED[profile_id][name]
            assert received(r, functools.partial(sink.handle, event), len(want)) == want
            nudge = REG.get(profile_id).nudge(name)
            assert nudge is not None and [(w.characteristic, w.hex) for w in nudge.writes] == want
        wait_for(lambda: r.link.status.nudges == 2, "the link to count both nudges")
        assert r.link.status.state == "streaming"  # the stream went on
    finally:
        r.close()


def test_a_profile_without_nudges_or_a_link_that_is_not_streaming_says_false() -> None:
    r, src = streaming_rig("witmotion-wt901ble")
    try:
        start = len(r.sensor.writes)
        assert src.nudge("slouch").result(HANG_S) is False
        assert r.hub.call(r.link.nudge("break"), HANG_S) is False
        assert r.sensor.writes[start:] == []
    finally:
        r.close()
    idle = SensorLink("nobody", REG.get("nordic-thingy52"))  # has nudges, never connected
    assert asyncio.run(idle.nudge("slouch")) is False
    assert src.nudge("slouch").result(HANG_S) is False  # the run's hub is closed


def test_the_virtual_gatt_table_serves_each_actuator_in_its_own_service() -> None:
    def table(profile_id: str) -> dict[str, list[str]]:
        services, _ = gatt_table.build(REG.get(profile_id), lambda _u, _d: None, lambda: 50,
                                       {"model": "m", "firmware": "f", "hardware": "h"})
        return {str(s.uuid).lower(): [str(c.uuid).lower() for c in s.characteristics] for s in services}

    thingy = table("nordic-thingy52")
    assert thingy[TH.format("0300")] == [TH.format("0301")]
    assert thingy[TH.format("0500")] == [TH.format("0501"), TH.format("0502")]
    assert table("microbit-accelerometer")[MB.format("d91d")] == [MB.format("7b77"), MB.format("93ee")]
    assert MW_CMD in table("mbientlab-metamotion")["326a9000-85cb-9195-d9dd-464cfbbae75a"]


def test_the_sink_maps_coach_events_to_nudge_names() -> None:
    sent: list[str] = []
    sink = NudgeSink(sent.append)
    for event in (BreakDue(t_s=1.0, level=1), SlouchStarted(t_s=2.0), SlouchNudge(t_s=3.0),
                  BreakTaken(t_s=4.0), BreakDue(t_s=5.0, level=2)):
        sink.handle(event)
    sink.close({})
    assert sent == ["break", "slouch", "break"]
    assert sink.sent == {"break": 2, "slouch": 1}
    warn = NudgeSink(sent.append, {"break_due": "break_warning"})
    warn.handle(BreakDue(t_s=6.0))
    assert sent[-1] == "break_warning"


MB_BREAK = 'characteristic = "e95d93ee-251d-470a-a062-fa1922dfa9a8", hex = "5354414e44205550" }'
MB_CLEAR = ('service = "e95dd91d-251d-470a-a062-fa1922dfa9a8", characteristic = '
            '"e95d7b77-251d-470a-a062-fa1922dfa9a8", hex = "0000000000"')


@pytest.mark.parametrize(("edit", "key", "reason"), [
    (("[nudge.break]", "[nudge.brake]"), "nudge.brake", "unknown key"),
    (("5354414e44205550", "5354414e4420555"), "nudge.break.writes[0].hex", "wrong format"),
    (("5354414e44205550", "53" * 21), "nudge.break.writes[0].hex", "21 bytes"),
    ((MB_BREAK, MB_BREAK.replace(" }", ", delay_ms = 5 }")), "nudge.break.writes[0].delay_ms", "first write"),
    ((MB_BREAK, MB_BREAK.replace(" }", ", delay_ms = 60000 }")), "nudge.break.writes[0].delay_ms", "must be between 0 and 10000 ms"),
    ((MB_CLEAR, MB_CLEAR.replace('service = "e95dd91d', 'service = "e95dd91e')), "nudge.slouch.writes[1].service",
     "is in service e95dd91d"),
    (("e95d93ee-251d", "e95dfb24-251d"), "nudge.break.writes[0].service", "is in service e95d0753"),
])
def test_nudge_tables_are_checked_with_file_key_and_reason(tmp_path: Path, edit: tuple[str, str], key: str,
                                                          reason: str) -> None:
    bad, error = load_edited(tmp_path, edit)
    assert str(bad) in str(error) and error.key == key and reason in str(error)


def test_a_profile_without_a_nudge_table_has_no_nudges() -> None:
    wit = REG.get("witmotion-wt901ble")
    assert wit.nudges == () and wit.nudge("slouch") is None
