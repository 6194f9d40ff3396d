"""What the kiosk says, when, and the quiet hours; the ID card poller's new-card rule."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import time
from pathlib import Path

import pytest

from kiosk import flow, prompts
from kiosk.card_reader import NewCards
from kiosk.flow import Help
from kiosk.speech import Renderer, Speaker, SpeechConfigError, cache_name, is_quiet, parse_quiet_hours


def test_the_issued_prompt_reads_the_number_digit_by_digit_and_the_windows() -> None:
    text = prompts.issued_prompt({"number": "A007", "windows": [3, 5]})
    assert text == "您的号码是 A 零 零 七 号，请到 三 号、五 号窗口办理"
    assert prompts.issued_prompt({"number": "B120", "preferred_windows": [18], "windows": [1]}) == (
        "您的号码是 B 一 二 零 号，请到 十八 号窗口办理")


def test_a_long_window_list_is_cut() -> None:
    assert prompts.spoken_windows(list(range(1, 19))) == "一 号、二 号、三 号、四 号等窗口"


@pytest.mark.parametrize(("n", "words"), [(0, "零"), (3, "三"), (10, "十"), (18, "十八"), (20, "二十"),
                                          (35, "三十五")])
def test_window_numbers_are_said_as_numbers(n: int, words: str) -> None:
    assert prompts.chinese_number(n) == words


def test_every_screen_has_a_prompt() -> None:
    for screen in flow.SCREENS:
        state = replace(flow.initial(), screen=screen, ticket={"number": "A001", "windows": [1]})
        assert prompts.prompt(state), screen


def test_the_card_screen_says_what_it_found() -> None:
    found = {"appointments": [{"code": "1"}], "cases_ready": [{"pickup_window": 18}]}
    assert prompts.identity_prompt(found) == "您有 一 个预约，请按签到取号。您有 一 件已办结，请到 十八 号窗口领取"
    assert prompts.identity_prompt({}) == prompts.PROMPTS["identity_none"]


def test_a_screen_change_speaks_once_and_printing_does_not_repeat_the_number() -> None:
    home = flow.initial()
    services = replace(home, screen="services")
    assert prompts.spoken(home, services) == "请选择具体事项"
    assert prompts.spoken(services, services) is None
    issued = replace(home, screen="issued", phase="printing", ticket={"number": "A001", "windows": [2]})
    assert prompts.spoken(replace(home, screen="confirm"), issued).startswith("您的号码是 A 零 零 一")
    assert prompts.spoken(issued, replace(issued, phase="printed")) is None


def test_the_guide_banner_is_spoken_when_its_status_changes() -> None:
    home = flow.initial()
    calling = replace(home, help=Help("calling"))
    assert prompts.spoken(home, calling) == "已呼叫导办员，请稍候"
    acked = replace(home, help=Help("acknowledged", "h"))
    assert prompts.spoken(replace(home, help=Help("requested", "h")), acked) == "导办员马上就到"


def test_elder_mode_says_each_digit_typed() -> None:
    sms = replace(flow.initial(), screen="sms", phone="13")
    assert prompts.spoken(sms, replace(sms, phone="138")) is None
    elder = replace(sms, elder=True)
    assert prompts.spoken(elder, replace(elder, phone="138")) == "八"


def test_quiet_hours() -> None:
    spans = parse_quiet_hours("12:00-13:30, 21:00-08:00")
    assert is_quiet(spans, time(12, 0)) and is_quiet(spans, time(13, 29))
    assert not is_quiet(spans, time(13, 30)) and not is_quiet(spans, time(9, 0))
    assert is_quiet(spans, time(23, 0)) and is_quiet(spans, time(7, 59))
    assert parse_quiet_hours("") == [] and not is_quiet([], time(12, 0))
    with pytest.raises(SpeechConfigError, match="12-13"):
        parse_quiet_hours("12-13")


def test_cache_names_differ_by_text_voice_and_speed() -> None:
    names = {cache_name("请取号", "cmn", 150), cache_name("请取号", "cmn", 160),
             cache_name("请取号", "yue", 150), cache_name("请取票", "cmn", 150)}
    assert len(names) == 4 and all(n.endswith(".wav") for n in names)


class FakeRenderer(Renderer):
    """A renderer that records texts and returns a path without running espeak-ng."""

    def __init__(self) -> None:
        super().__init__(Path("/nonexistent"))
        self.texts: list[str] = []
        self.gate = threading.Event()

    def render(self, text: str) -> Path | None:
        self.gate.wait(5)
        self.texts.append(text)
        return Path(f"/x/{text}.wav")


def test_quiet_hours_silence_prompts_but_not_a_deliberate_replay() -> None:
    played: list[str] = []
    done = threading.Event()
    renderer = FakeRenderer()
    renderer.gate.set()

    def play(text: str, _path: Path) -> None:
        played.append(text)
        if text == "再听":
            done.set()

    speaker = Speaker(renderer, play, quiet_hours=parse_quiet_hours("00:00-23:59"),
                      clock=lambda: time(12, 0))
    speaker.say("自动")
    speaker.say("再听", deliberate=True)
    assert done.wait(5)
    speaker.stop()
    assert played == ["再听"]


@dataclass
class Card:
    """What a card gives the kiosk."""

    name: str
    id_number: str


def test_a_card_counts_once_until_it_is_lifted_or_swapped() -> None:
    cards = NewCards()
    a, b = Card("张三", "1"), Card("李四", "2")
    assert [cards.seen(c) for c in (None, a, a, a, None, a, b, b)] == [
        False, True, False, False, False, True, True, False]
