"""The engine's IIR filters: scipy's lfilter output exactly, bit-identical for any chunking, and
started without importing scipy.signal."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.signal import butter, lfilter, lfilter_zi

from monitor.engine import iir
from monitor.engine.iir import Iir, butter_lowpass

DESIGNS = [(1, 2.0, 100.0), (2, 1.0, 100.0), (2, 1.0, 50.0), (1, 2.0, 25.0), (2, 20.0, 50.0)]
FUSION = (np.ones(1), np.array([1.0, -1.0 / (1.0 + 0.01)]))  # as features.py's complementary filter
ROOT = Path(__file__).resolve().parents[1]


def design(name: str) -> tuple[np.ndarray, np.ndarray]:
    return FUSION if name == "fusion" else butter_lowpass(int(name[-1]), 1.0, 100.0)


@pytest.mark.parametrize(("order", "cutoff_hz", "rate_hz"), DESIGNS)
def test_butterworth_design_matches_scipy(order: int, cutoff_hz: float, rate_hz: float) -> None:
    b, a = butter_lowpass(order, cutoff_hz, rate_hz)
    b_ref, a_ref = butter(order, min(cutoff_hz / (rate_hz / 2), 0.99))
    assert np.allclose(b, b_ref, rtol=1e-12, atol=0) and np.allclose(a, a_ref, rtol=1e-12, atol=0)


@pytest.mark.parametrize(("order", "cutoff_hz", "rate_hz"), DESIGNS)
def test_filter_is_scipy_lfilter_exactly(order: int, cutoff_hz: float, rate_hz: float) -> None:
    """Same output and final state as the public lfilter given the same start, to the last bit."""
    rng = np.random.default_rng(order)
    u = rng.normal(size=(3, 200_000)) + np.array([[0.1], [-0.3], [1.0]])
    b, a = butter_lowpass(order, cutoff_hz, rate_hz)
    f = Iir(b, a)
    f.start(u[:, 0])
    assert f.zi is not None
    zi = f.zi.copy()
    assert np.allclose(zi, lfilter_zi(b, a)[None, :] * u[:, :1], rtol=1e-13, atol=1e-15)
    ref, zf = lfilter(b, a, u, axis=1, zi=zi)
    assert np.array_equal(f(u), ref) and np.array_equal(f.zi, zf)


def test_first_order_recursion_like_the_fusion_filter() -> None:
    u = np.random.default_rng(3).normal(size=(2, 50_000))
    f = Iir(*FUSION)
    f.start(np.zeros(2))
    assert np.array_equal(f(u), lfilter(*FUSION, u, axis=1, zi=np.zeros((2, 1)))[0])


def test_the_private_kernel_is_in_use_and_matches_the_fallback() -> None:
    assert iir.KERNEL == "scipy.signal._sigtools._linear_filter"
    assert iir._checked(iir._lfilter_kernel)
    rng = np.random.default_rng(11)
    b, a = butter_lowpass(2, 1.0, 100.0)
    x, zi = rng.normal(size=(3, 5000)), rng.normal(size=(3, 2))
    fast, slow = iir.KERNEL_FN(b, a, x, 1, zi), iir._lfilter_kernel(b, a, x, 1, zi)
    assert np.array_equal(fast[0], slow[0]) and np.array_equal(fast[1], slow[1])


def test_import_does_not_pull_in_scipy_signal() -> None:
    """The start-up cost this module exists to avoid; a later ordinary import still works."""
    code = ("import sys; import monitor.engine.iir as m; print(m.KERNEL, 'scipy.signal' in sys.modules); "
            "from scipy.signal import lfilter; import numpy as np; "
            "f = m.Iir(*m.butter_lowpass(2, 1.0, 100.0)); f.start(np.zeros(1)); x = np.ones((1, 50)); "
            "print(np.array_equal(f(x), lfilter(f.b, f.a, x, axis=1, zi=np.zeros((1, 2)))[0]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT).stdout.split()
    assert out == ["scipy.signal._sigtools._linear_filter", "False", "True"]


FALLBACK_CHECK = ("import numpy as np; from scipy.signal import lfilter; "
                  "f = m.Iir(*m.butter_lowpass(2, 1.0, 100.0)); f.start(np.zeros(1)); x = np.ones((1, 50)); "
                  "print(m.KERNEL, np.array_equal(f(x), lfilter(f.b, f.a, x, axis=1, zi=np.zeros((1, 2)))[0]))")


@pytest.mark.parametrize("breakage", [
    # the extension is not where it is looked for
    "import numpy, importlib.machinery as im; im.EXTENSION_SUFFIXES[:] = ['.missing']; "
    "import monitor.engine.iir as m; ",
    # a kernel that answers the self-check wrongly (taken out again before the public import)
    "import sys, types; fake = types.ModuleType('scipy.signal._sigtools'); "
    "fake._linear_filter = lambda b, a, x, axis, zi: (x, zi); sys.modules[fake.__name__] = fake; "
    "import monitor.engine.iir as m; del sys.modules[fake.__name__]; ",
])
def test_without_the_private_entry_the_public_lfilter_filters(breakage: str) -> None:
    out = subprocess.run([sys.executable, "-c", breakage + FALLBACK_CHECK], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.split()
    assert out == ["scipy.signal.lfilter", "True"]


@settings(max_examples=60, deadline=None)
@given(cuts=st.lists(st.integers(0, 20_000), max_size=12), name=st.sampled_from(["order1", "order2",
                                                                                 "fusion"]),
       rows=st.integers(1, 3))
def test_any_chunking_is_bit_identical(cuts: list[int], name: str, rows: int) -> None:
    """Random splits, empty chunks included, give the one-call output to the last bit."""
    u = np.random.default_rng(5).normal(size=(rows, 20_000))
    whole, parts = Iir(*design(name)), Iir(*design(name))
    whole.start(u[:, 0])
    parts.start(u[:, 0])
    edges = [0, *sorted(cuts), u.shape[1]]
    joined = np.concatenate([parts(u[:, lo:hi]) for lo, hi in itertools.pairwise(edges)], axis=1)
    assert np.array_equal(joined, whole(u)) and np.array_equal(parts.zi, whole.zi)


@settings(max_examples=30, deadline=None)
@given(sizes=st.lists(st.integers(0, 10), min_size=1, max_size=300), name=st.sampled_from(["order2",
                                                                                           "fusion"]))
def test_live_chunks_of_a_few_samples_are_bit_identical(sizes: list[int], name: str) -> None:
    """The live path's 1-10 sample chunks (and empty ones) against one call over the same samples."""
    u = np.random.default_rng(9).normal(size=(3, sum(sizes)))
    whole, parts = Iir(*design(name)), Iir(*design(name))
    whole.start(np.array([0.1, -0.3, 1.0]))
    parts.start(np.array([0.1, -0.3, 1.0]))
    edges = np.cumsum([0, *sizes])
    joined = np.concatenate([parts(u[:, lo:hi]) for lo, hi in itertools.pairwise(edges)], axis=1)
    assert np.array_equal(joined, whole(u))


def test_state_round_trip_through_json_continues_exactly() -> None:
    """A snapshot taken mid-stream, through JSON, into a new filter gives the same continuation."""
    u = np.random.default_rng(7).normal(size=(3, 30_000))
    b, a = butter_lowpass(2, 1.0, 100.0)
    first = Iir(b, a)
    assert first.state is None
    first.start(u[:, 0])
    first(u[:, :12_345])
    st_json = json.loads(json.dumps({k: v.tolist() for k, v in (first.state or {}).items()}))
    second = Iir(b, a)
    second.state = {k: np.asarray(v) for k, v in st_json.items()}
    assert np.array_equal(second(u[:, 12_345:]), first(u[:, 12_345:]))
    second.state = None
    assert second.zi is None


def test_a_state_is_a_copy() -> None:
    f = Iir(*butter_lowpass(1, 2.0, 100.0))
    f.start(np.ones(2))
    snap = f.state
    assert snap is not None
    snap["zi"][:] = 99.0
    assert f.zi is not None and not np.any(f.zi == 99.0)


def test_starts_at_steady_state() -> None:
    for b, a in (butter_lowpass(2, 1.0, 100.0), butter_lowpass(1, 2.0, 100.0), FUSION):
        f = Iir(b, a)
        f.start(np.array([0.98, -3.0]))
        gain = b.sum() / a.sum()
        assert np.allclose(f(np.tile([[0.98], [-3.0]], 500)), gain * np.array([[0.98], [-3.0]]),
                           rtol=1e-12, atol=1e-12)


def test_an_empty_chunk_leaves_the_state() -> None:
    """The kernel returns an unset final state for zero samples; the filter keeps its own."""
    f = Iir(*butter_lowpass(2, 1.0, 100.0))
    f.start(np.array([1.0, 2.0, 3.0]))
    before = f.zi
    assert f(np.empty((3, 0))).shape == (3, 0) and f.zi is before


@pytest.mark.parametrize(("b", "a", "message"), [
    ([1.0], [1.0, -1.0], "unit circle"),
    ([1.0], [1.0, -2.5, 1.0], "unit circle"),
    ([1.0], [0.0, 1.0], "not a filter"),
    ([], [1.0, -0.5], "not a filter"),
])
def test_unsupported_designs_are_refused(b: list[float], a: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Iir(np.array(b), np.array(a))


def test_real_poles_and_higher_orders_run_too() -> None:
    b, a = np.array([1.0, 0.0, 0.0, 0.0]), np.convolve(np.convolve([1.0, -0.5], [1.0, -0.2]), [1.0, 0.3])
    u = np.random.default_rng(1).normal(size=(1, 1000))
    f = Iir(b, a)
    f.start(np.zeros(1))
    assert np.array_equal(f(u), lfilter(b, a, u, axis=1, zi=np.zeros((1, 3)))[0])


@pytest.mark.parametrize(("state", "message"), [
    ({"m": np.array([3.0]), "z": np.zeros((3, 2))}, "not a direct-form state"),
    ({"zi": np.zeros((3, 1))}, r"not \(channels, 2\)"),
])
def test_a_foreign_state_is_refused(state: dict[str, np.ndarray], message: str) -> None:
    f = Iir(*butter_lowpass(2, 1.0, 100.0))
    with pytest.raises(ValueError, match=message):
        f.state = state
