"""Process-wide settings a started server applies: the collector's threshold."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator

import pytest

from tests.support.live import LiveServer


@pytest.fixture
def threshold() -> Iterator[tuple[int, int, int]]:
    """Give the test the collector's thresholds, and put them back afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(700, before[1], before[2])
    try:
        yield gc.get_threshold()
    finally:
        gc.set_threshold(*before)


@pytest.mark.parametrize("setting", [50_000, 1234, 0])
def test_a_started_server_sets_the_young_generation_threshold(
        threshold: tuple[int, int, int], serve: Callable[..., LiveServer], setting: int) -> None:
    server = serve(settings={"gc_young_threshold": setting})
    young, middle, oldest = gc.get_threshold()
    server.stop()
    assert young == (setting or 700)
    assert (middle, oldest) == threshold[1:]
