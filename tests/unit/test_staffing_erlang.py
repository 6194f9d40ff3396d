"""Erlang C against published figures, an exact oracle, and its edges."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest

from queue_server.domain.staffing import erlang_b, erlang_c, service_level, windows_needed


def exact_erlang_c(n: int, load: Fraction) -> Fraction:
    """Erlang C by the textbook formula with factorials, in exact fractions (fine for small n)."""
    top = load ** n / math.factorial(n) * Fraction(n) / (n - load)
    return top / (sum(load ** k / math.factorial(k) for k in range(n)) + top)


def test_the_published_example_100_arrivals_180_s_80_pct_within_20_s_needs_14() -> None:
    # pyworkforce's README and the R ErlangC package: traffic 10 erlangs, 14 positions,
    # waiting probability 0.1741319, service level 0.88835, ASA 7.8359 s; with 11 agents C = 0.6821182.
    n, pct = windows_needed(100, 180, 1800, 20, 80)
    assert n == 14 and pct == pytest.approx(88.835, abs=5e-4)
    assert erlang_c(14, 10.0) == pytest.approx(0.1741319, abs=1e-7)
    assert erlang_c(11, 10.0) == pytest.approx(0.6821182, abs=1e-7)
    assert service_level(14, 100, 180, 20) == pytest.approx(0.88835, abs=1e-5)
    assert erlang_c(14, 10.0) * 180 / (14 - 10) == pytest.approx(7.83593701, abs=1e-6)  # mean wait
    assert service_level(13, 100, 180, 20) < 0.80  # 13 is not enough: 14 is the least


@pytest.mark.parametrize(("n", "load"), [(5, 1.361), (10, 4.461), (20, 12.031), (50, 37.901)])
def test_erlang_b_matches_the_published_table_at_one_percent(n: int, load: float) -> None:
    # The Erlang B table's 1 % blocking column: the load n servers carry at B = 0.01.
    assert erlang_b(n, load) == pytest.approx(0.01, abs=2e-5)


def test_erlang_c_matches_the_exact_formula() -> None:
    rng = random.Random(3)
    for _ in range(200):
        n = rng.randrange(1, 30)
        load = Fraction(rng.randrange(1, 1000 * n), 1000)  # below n
        assert erlang_c(n, float(load)) == pytest.approx(float(exact_erlang_c(n, load)), rel=1e-9)


def test_large_halls_stay_finite_where_factorials_overflow() -> None:
    with pytest.raises(OverflowError):
        float(1990.0 ** 2000 / math.factorial(2000))
    c = erlang_c(2000, 1990.0)
    assert 0 < c < 1
    n, pct = windows_needed(19_900, 180, 1800, 20, 80)  # 1990 erlangs
    assert 1990 < n < 2100 and pct >= 80
    assert service_level(n - 1, 19_900, 180, 20) < 0.80


def test_zero_arrivals_need_no_window() -> None:
    assert windows_needed(0, 300, 1800, 600, 80) == (0, 100.0)
    assert erlang_c(3, 0.0) == 0.0 and service_level(0, 0, 300, 60) == 1.0


def test_a_load_at_or_above_the_windows_means_everyone_waits() -> None:
    assert erlang_c(10, 10.0) == 1.0 and erlang_c(10, 12.5) == 1.0
    assert service_level(10, 100, 180, 600) == 0.0  # load exactly 10: the queue has no steady state
    n, _ = windows_needed(100, 180, 1800, 3600, 1)  # even a 1 % target needs more than the load
    assert n == 11


def test_a_fractional_target_is_met_by_the_least_n() -> None:
    n, pct = windows_needed(100, 180, 1800, 20, 99.5)
    assert pct >= 99.5 and 100 * service_level(n - 1, 100, 180, 20) < 99.5
    assert n == 19 and pct == pytest.approx(100 * service_level(19, 100, 180, 20))


def test_100_pct_within_0_s_is_taken_literally_and_terminates() -> None:
    # Someone always may wait, so 100 % is met only where the chance of waiting is below a double's
    # resolution (below about 1e-16): a finite n, reached because that chance falls faster than exponentially.
    n, pct = windows_needed(100, 180, 1800, 0, 100)
    assert pct == 100.0 and 100 * service_level(n - 1, 100, 180, 0) < 100
    assert 1.0 - erlang_c(n, 10.0) == 1.0 > 1.0 - erlang_c(n - 1, 10.0)
    assert erlang_c(n, 10.0) < 1e-16
    assert n == 47


def test_windows_needed_is_always_the_least_n_that_meets_the_target() -> None:
    rng = random.Random(5)
    for _ in range(300):
        arrivals = rng.uniform(0.1, 60)
        aht, wait, target = rng.uniform(30, 1500), rng.choice([0, 30, 300, 600]), rng.uniform(1, 99.9)
        n, pct = windows_needed(arrivals, aht, 1800, wait, target)
        load = arrivals * aht / 1800
        assert n > load and pct >= target and pct == pytest.approx(100 * service_level(n, arrivals, aht, wait))
        assert n - 1 <= load or 100 * service_level(n - 1, arrivals, aht, wait) < target


@pytest.mark.parametrize("args", [(10, 180, 1800, 20, 101), (10, 180, 1800, -1, 80), (-1, 180, 1800, 20, 80),
                                  (10, -5, 1800, 20, 80), (10, 180, 0, 20, 80)])
def test_bad_input_is_refused_in_chinese(args: tuple[float, float, float, float, float]) -> None:
    with pytest.raises(ValueError, match="目标比例须在 0–100 之间"):
        windows_needed(*args)
