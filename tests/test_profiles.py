"""Device profiles: every shipped profile decodes captured bytes exactly as worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from monitor.cli.main import main
from monitor.decode.frames import FrameDecoder
from monitor.errors import ProfileError
from monitor.profiles import Registry, fill, load_profile
from monitor.samples import Frames

REG = Registry.load()


def decode(profile_id: str, *frames: tuple[str, str], rate_hz: float | None = None) -> tuple:
    """Decode (characteristic, hex) notifications arriving 0.1 s apart."""
    p = REG.get(profile_id)
    dec = FrameDecoder(p, rate_hz)
    t = np.arange(len(frames)) * 0.1 + 1.0
    block = dec.decode(Frames(t, [c for c, _ in frames], [bytes.fromhex(h) for _, h in frames]))
    return block, dec


def test_witmotion_frame() -> None:
    """55 61 | acc 10 00, 00 00, 00 08 | gyro 00 00, 00 00, 9c ff | angles (unused).
    acc x = 0x0010 = 16 -> 16 * 16/32768 = 0.0078125 g; acc z = 0x0800 = 2048 -> 1.0 g;
    gyro z = 0xff9c = -100 -> -100 * 2000/32768 = -6.103515625 deg/s."""
    ch = REG.get("witmotion-wt901ble").streams[0].characteristic
    block, _ = decode("witmotion-wt901ble", (ch, "5561" "1000" "0000" "0008" "0000" "0000" "9cff" + "00" * 6))
    assert block.acc_g.tolist() == [[0.0078125, 0.0, 1.0]]
    assert block.gyro_dps.tolist() == [[0.0, 0.0, -6.103515625]]


def test_witmotion_frames_split_and_packed_across_notifications() -> None:
    """Two frames cut 7 + 25 + 8 bytes, with 3 junk bytes before the first: both come out, the junk
    is counted once as a header error."""
    ch = REG.get("witmotion-wt901ble").streams[0].characteristic
    f = bytes.fromhex("5561" "1000" "0000" "0008" + "00" * 12)
    stream = bytes.fromhex("0102ff") + f + f
    parts = [stream[:10], stream[10:35], stream[35:]]
    block, dec = decode("witmotion-wt901ble", *[(ch, p.hex()) for p in parts])
    assert len(block) == 2 and block.acc_g[:, 2].tolist() == [1.0, 1.0]
    assert dec.dropped["header"] == 1


def test_microbit_frame() -> None:
    """f6 ff | 14 00 | e8 03: x = 0xfff6 = -10 mg, y = 0x0014 = 20 mg, z = 0x03e8 = 1000 mg. No gyro."""
    ch = REG.get("microbit-accelerometer").streams[0].characteristic
    block, _ = decode("microbit-accelerometer", (ch, "f6ff1400e803"))
    assert block.acc_g.tolist() == [[-0.01, 0.02, 1.0]]
    assert block.gyro_dps is None


def test_thingy52_frame() -> None:
    """acc 00 00 | 00 fe | 76 03 (Q6.10): 0, -512/1024 = -0.5, 886/1024 = 0.865234375 g;
    gyro 40 00 | 00 00 | e0 ff (Q11.5): 64/32 = 2.0, 0, -32/32 = -1.0 deg/s; compass ignored."""
    ch = REG.get("nordic-thingy52").streams[0].characteristic
    block, _ = decode("nordic-thingy52", (ch, "000000fe7603" "40000000e0ff" "112233445566"))
    assert block.acc_g.tolist() == [[0.0, -0.5, 0.865234375]]
    assert block.gyro_dps.tolist() == [[2.0, 0.0, -1.0]]


def test_sensortag_frame() -> None:
    """Gyro first: 80 00 = 128 -> 128 * 500/65536 = 0.9765625 deg/s; acc z 00 40 = 16384 ->
    16384 * 2/32768 = 1.0 g (2 g range); magnetometer ignored."""
    ch = REG.get("ti-sensortag-cc2650").streams[0].characteristic
    block, _ = decode("ti-sensortag-cc2650", (ch, "800000000000" "000000000040" "000000000000"))
    assert block.gyro_dps.tolist() == [[0.9765625, 0.0, 0.0]]
    assert block.acc_g.tolist() == [[0.0, 0.0, 1.0]]


def test_metamotion_acc_and_gyro_notifications_merge() -> None:
    """From the MetaWear SDK tests: 03 04 16 c4 94 a2 2a d0 at +-4 g -> 0xc416 = -15338 / 8192 =
    -1.872, 0xa294 = -23916 / 8192 = -2.919, 0xd02a = -12246 / 8192 = -1.495 g;
    13 05 3e 43 ff 7f 00 80 at 500 deg/s -> 17214 / 65.6 = 262.409, 32767 / 65.6 = 499.497,
    -32768 / 65.6 = -499.512. The gyro arrives first, so the accelerometer sample carries it."""
    ch = REG.get("mbientlab-metamotion").streams[0].characteristic
    block, _ = decode("mbientlab-metamotion", (ch, "13053e43ff7f0080"), (ch, "030416c494a22ad0"))
    assert np.round(block.acc_g, 3).tolist() == [[-1.872, -2.919, -1.495]]
    assert np.round(block.gyro_dps, 3).tolist() == [[262.409, 499.497, -499.512]]


def test_movesense_planar_frame() -> None:
    """02 63 | a0 86 01 00 (t = 100000 ms) | acc (0, 0, 9.80665) (0.980665, 0, 9.80665) m/s^2
    (0ae81c41 = 9.80665, dd0c7b3f = 0.980665) | gyro (1.5, 0, 0) (0, -3, 0) deg/s (0000c03f = 1.5,
    000040c0 = -3). N = (54 - 6) / 24 = 2 samples: acc 1 g up, then 0.1 g forward."""
    ch = REG.get("movesense-imu6").streams[0].characteristic
    hexa = ("0263a0860100" "00000000" "00000000" "0ae81c41" "dd0c7b3f" "00000000" "0ae81c41"
            "0000c03f" "00000000" "00000000" "00000000" "000040c0" "00000000")
    block, _ = decode("movesense-imu6", (ch, hexa), rate_hz=52)
    assert np.allclose(block.acc_g, [[0, 0, 1], [0.1, 0, 1]], atol=1e-6)
    assert np.allclose(block.gyro_dps, [[1.5, 0, 0], [0, -3, 0]])
    assert block.t_s[1] - block.t_s[0] == pytest.approx(1 / 52)


def test_polar_h10_frame() -> None:
    """02 | u64 timestamp | 01 (raw ACC) | f4 ff 05 00 eb 03 | f6 ff 04 00 e6 03:
    (-12, 5, 1003) and (-10, 4, 998) milli-g -> two samples, accelerometer only."""
    ch = REG.get("polar-h10-acc").streams[0].characteristic
    block, _ = decode("polar-h10-acc", (ch, "020080758c5313500801" "f4ff0500eb03" "f6ff0400e603"))
    assert np.allclose(block.acc_g, [[-0.012, 0.005, 1.003], [-0.01, 0.004, 0.998]], rtol=0, atol=1e-12)
    assert block.gyro_dps is None


def test_arduino_blesense_separate_characteristics() -> None:
    """acc 00000000 0000003f 0000403f = (0, 0.5, 0.75) g; gyro 00002041 000020c0 00000000 =
    (10, -2.5, 0) deg/s on its own characteristic, merged onto the accelerometer sample after it."""
    p = REG.get("arduino-blesense")
    acc_ch, gyro_ch = p.streams[0].characteristic, p.streams[1].characteristic
    block, _ = decode("arduino-blesense", (gyro_ch, "00002041000020c000000000"),
                      (acc_ch, "000000000000003f0000403f"))
    assert block.acc_g.tolist() == [[0.0, 0.5, 0.75]]
    assert block.gyro_dps.tolist() == [[10.0, -2.5, 0.0]]


def test_malformed_frames_are_counted_per_reason_and_dropped() -> None:
    ch = REG.get("nordic-thingy52").streams[0].characteristic
    good = "0000" "0000" "0004" + "00" * 12  # 1 g
    far = "0000" "0000" "ff7f" + "00" * 12  # 32 g: beyond the 16 g sensor
    block, dec = decode("nordic-thingy52", (ch, good), (ch, good[:-2]), (ch, far),
                        ("00000000-0000-1000-8000-00805f9b34fb", good))
    assert len(block) == 1
    assert dec.counts() == {"frames_ok": 1, "dropped_length": 1, "dropped_header": 0,
                            "dropped_range": 1, "dropped_characteristic": 1}


def test_rate_writes_fill_their_placeholders() -> None:
    wit = REG.get("witmotion-wt901ble")
    assert [fill(w, 50, wit.rate).hex() for w in wit.rate.writes] == ["ffaa6988b5", "ffaa030800", "ffaa000000"]
    mb = REG.get("microbit-accelerometer")
    assert fill(mb.rate.writes[0], 50, mb.rate).hex() == "1400"  # 20 ms
    ms = REG.get("movesense-imu6")
    assert fill(ms.start[0], 52, ms.rate) == b"\x01\x63/Meas/IMU6/52"


def test_profile_from_a_temporary_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Adding a sensor is writing a TOML file: copy one, change id and layout, and it is listed and decodes."""
    text = REG.get("microbit-accelerometer").path.read_text()
    text = text.replace('id = "microbit-accelerometer"', 'id = "my-sensor"').replace('"i16"', '"u16"')
    (tmp_path / "my-sensor.toml").write_text(text)
    assert main(["profiles", "list", "--json", "--profiles-dir", str(tmp_path)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"id", "name", "version"} <= set(rows[0]) and "my-sensor" in [r["id"] for r in rows]
    mine = Registry.load(tmp_path).get("my-sensor")
    block = FrameDecoder(mine).decode(Frames(np.array([0.0]), [mine.streams[0].characteristic],
                                             [bytes.fromhex("e8030000e803")]))
    assert block is not None and block.acc_g.tolist() == [[1.0, 0.0, 1.0]]


@pytest.mark.parametrize(("edit", "key"), [
    (('type = "i16"', 'type = "i17"'), "streams[0].fields[0].type"),
    (('default_hz = 50', 'default_hz = 51'), "rate.default_hz"),
    (('frame_bytes = 6', 'frame_bytes = "six"'), "streams[0].frame_bytes"),
    (('service = "e95d0753', 'service = "zz5d0753'), "gatt.service"),
    (('[limits]', '[limitz]'), "limitz"),
    (('offset = 4, ', 'offset = 5, '), "streams[0].fields[2].offset"),
])
def test_validator_names_file_key_and_value(tmp_path: Path, edit: tuple[str, str], key: str) -> None:
    bad, error = load_edited(tmp_path, edit)
    assert str(bad) in str(error) and error.key == key


def load_edited(tmp_path: Path, edit: tuple[str, str]) -> tuple[Path, ProfileError]:
    """The micro:bit profile with one edit, loaded: the file and the ProfileError it must raise."""
    text = REG.get("microbit-accelerometer").path.read_text()
    assert edit[0] in text
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(edit[0], edit[1], 1))
    with pytest.raises(ProfileError) as e:
        load_profile(bad)
    return bad, e.value


def test_check_command_reports_one_line_and_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "x.toml"
    bad.write_text('id = "x"\nname = 3\n')
    assert main(["profiles", "check", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "name = 3" in err
    good = REG.get("nordic-thingy52").path
    assert main(["profiles", "check", str(good)]) == 0


def test_replay_decodes_a_recording_of_raw_frames(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A live recording keeps raw notifications; replay decodes them with the profile in its header."""
    from monitor.decode.layout import encode_frames
    from monitor.sessions.writer import RecordingWriter, base_header

    p = REG.get("nordic-thingy52")
    spec, n = p.streams[0], 500
    values = {f.name: np.zeros(n) for f in spec.fields} | {"acc_z": np.ones(n)}
    path = tmp_path / "frames.pmrec"
    w = RecordingWriter(path, base_header(profile=p.id, sample_rate_hz=50))
    for i, frame in enumerate(encode_frames(spec, values, 1)):
        w.add_frame(i / 50, spec.characteristic, frame)
    w.add_frame(n / 50, spec.characteristic, b"\x01\x02")  # one truncated notification
    w.close()
    assert main(["replay", str(path), "--json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    summary = json.loads(out[-1])
    assert summary["samples"] == n
    assert summary["frames"]["frames_ok"] == n and summary["frames"]["dropped_length"] == 1
