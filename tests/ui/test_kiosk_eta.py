"""The issued screen's estimate line: always one line, never blank."""

from __future__ import annotations

import pytest

from kiosk.i18n import STRINGS, eta_line


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
