"""The issued screen's estimate line: always one line, never blank."""

from __future__ import annotations

import pytest

from kiosk.catalog import serves_now
from kiosk.i18n import STRINGS, eta_choice, eta_line


@pytest.mark.parametrize(("lang", "soon"), [("zh", "即将叫号，请留意"), ("en", "You will be called shortly")])
def test_a_zero_estimate_says_the_call_is_near(lang: str, soon: str) -> None:
    assert eta_line(lang, 0) == soon
    assert eta_line(lang, None) == soon
    assert eta_line(lang, 0.0) == soon


def test_a_positive_estimate_rounds_up_to_whole_minutes() -> None:
    assert eta_line("zh", 7) == "预计等候约 7 分钟"
    assert eta_line("zh", 0.2) == "预计等候约 1 分钟"
    assert eta_line("en", 12.4) == "Estimated wait about 13 min"


def test_both_languages_have_the_soon_line() -> None:
    assert STRINGS["zh"]["eta_soon"] and STRINGS["en"]["eta_soon"]
    assert STRINGS["zh"]["eta_soon"] != STRINGS["en"]["eta_soon"]


def test_before_its_windows_open_the_estimate_counts_from_opening() -> None:
    assert eta_line("zh", 0, not_open=True) == "窗口还没开始办理，开始后按顺序叫号"
    assert eta_line("zh", 7, not_open=True) == "开始办理后约 7 分钟叫到"
    assert eta_line("en", 0, not_open=True) == "Windows not open yet; calls start in order when they open"
    assert eta_choice("zh", 0) == "无需等候"
    assert eta_choice("zh", 0, not_open=True) == "窗口还没开始办理"
    assert eta_choice("zh", 3.2, not_open=True) == "开始办理后约 4 分钟"
    assert eta_choice("en", 3.2) == "about 4 min"


def test_the_catalogue_tells_whether_a_serving_window_is_open() -> None:
    catalog = {"windows": [{"number": 9, "status": "closed"}, {"number": 10, "status": "paused"},
                           {"number": 11, "status": "open"}]}
    assert serves_now(catalog, [9]) is False
    assert serves_now(catalog, [9, 10]) is True
    assert serves_now(catalog, [11]) is True
    assert serves_now(catalog, []) is False
    assert serves_now({}, [9]) is None
