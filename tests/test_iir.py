"""The numpy-only IIR filters: same output as scipy's direct form, bit-identical for any chunking."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.signal import butter, lfilter, lfilter_zi

from monitor.engine.iir import Iir, butter_lowpass

DESIGNS = [(1, 2.0, 100.0), (2, 1.0, 100.0), (2, 1.0, 50.0), (1, 2.0, 25.0), (2, 20.0, 50.0)]


@pytest.mark.parametrize(("order", "cutoff_hz", "rate_hz"), DESIGNS)
def test_butterworth_design_matches_scipy(order: int, cutoff_hz: float, rate_hz: float) -> None:
    b, a = butter_lowpass(order, cutoff_hz, rate_hz)
    b_ref, a_ref = butter(order, min(cutoff_hz / (rate_hz / 2), 0.99))
    assert np.allclose(b, b_ref, rtol=1e-12, atol=0) and np.allclose(a, a_ref, rtol=1e-12, atol=0)


@pytest.mark.parametrize(("order", "cutoff_hz", "rate_hz"), DESIGNS)
def test_filter_matches_scipy_direct_form(order: int, cutoff_hz: float, rate_hz: float) -> None:
    """Over 200,000 samples (30 blocks of the complex pole's prefix sum), started at steady state."""
    rng = np.random.default_rng(order)
    u = rng.normal(size=(3, 200_000)) + np.array([[0.1], [-0.3], [1.0]])
    b, a = butter_lowpass(order, cutoff_hz, rate_hz)
    f = Iir(b, a)
    f.start(u[:, 0])
    ref, _ = lfilter(b, a, u, axis=1, zi=lfilter_zi(b, a)[None, :] * u[:, :1])
    assert np.max(np.abs(f(u) - ref)) < 1e-11


def test_first_order_recursion_like_the_fusion_filter() -> None:
    a = 1.0 / (1.0 + 0.01)
    u = np.random.default_rng(3).normal(size=(2, 50_000))
    f = Iir(np.ones(1), np.array([1.0, -a]))
    f.start(np.zeros(2))
    ref = lfilter([1.0], [1.0, -a], u, axis=1)
    assert np.max(np.abs(f(u) - ref)) < 1e-11


@settings(max_examples=40, deadline=None)
@given(cuts=st.lists(st.integers(0, 20_000), max_size=12), order=st.sampled_from([1, 2]))
def test_any_chunking_is_bit_identical(cuts: list[int], order: int) -> None:
    u = np.random.default_rng(5).normal(size=(3, 20_000))
    b, a = butter_lowpass(order, 1.0, 100.0)
    whole, parts = Iir(b, a), Iir(b, a)
    whole.start(u[:, 0])
    parts.start(u[:, 0])
    edges = [0, *sorted(cuts), u.shape[1]]
    joined = np.concatenate([parts(u[:, lo:hi]) for lo, hi in itertools.pairwise(edges)], axis=1)
    assert np.array_equal(joined, whole(u))


def test_state_round_trip_continues_exactly() -> None:
    """A snapshot taken mid-block and loaded into a new filter gives the same continuation."""
    u = np.random.default_rng(7).normal(size=(3, 30_000))
    b, a = butter_lowpass(2, 1.0, 100.0)
    first = Iir(b, a)
    first.start(u[:, 0])
    first(u[:, :12_345])
    second = Iir(b, a)
    second.state = first.state
    assert np.array_equal(second(u[:, 12_345:]), first(u[:, 12_345:]))


def test_starts_at_steady_state() -> None:
    f = Iir(*butter_lowpass(2, 1.0, 100.0))
    f.start(np.array([0.98]))
    assert np.allclose(f(np.full((1, 500), 0.98)), 0.98, rtol=0, atol=1e-12)


@pytest.mark.parametrize(("b", "a", "message"), [
    ([1.0], [1.0, -1.0], "unit circle"),
    ([1.0, 0.0, 0.0], [1.0, -0.5, 0.06], "real poles"),
    ([1.0], [1.0, 0.1, 0.1, 0.1], "first- or second-order"),
])
def test_unsupported_designs_are_refused(b: list[float], a: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Iir(np.array(b), np.array(a))
