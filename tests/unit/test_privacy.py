"""Personal data rules: ID numbers, masks and residents' tokens."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import ric

from queue_server.domain import privacy
from queue_server.domain.privacy import (
    IdNumberError,
    id_check_digit,
    mask_id_number,
    mask_name,
    mask_phone,
    normalise_id_number,
    token_matches,
)

TODAY = date(2026, 12, 7)


def make(region: str, birth: str, order: str = "123") -> str:
    """Build a number whose check digit python-stdnum computes (an independent implementation)."""
    body = region + birth + order
    return body + ric.calc_check_digit(body + "0")


@pytest.mark.parametrize("number", [
    make("510823", "19480305"),   # 剑阁县: the code dates from 1985, the resident from 1948
    make("510823", "19300101"),
    make("510823", "19841231"),
    make("412723", "19600512"),   # a retired code (python-stdnum issue #442)
    make("510802", "19550808"),   # 广元市市中区, renamed 利州区 in 2007
    make("999999", "19900101"),   # no table may refuse a code that only has the right shape
])
def test_real_residents_with_old_or_retired_region_codes_are_accepted(number: str) -> None:
    assert normalise_id_number(number, today=TODAY) == number


def test_python_stdnum_refuses_the_old_resident_that_the_rule_accepts() -> None:
    # Why the project has its own rule: the library checks the region code against its birth year.
    number = make("510823", "19480305")
    with pytest.raises(Exception):  # noqa: B017 - stdnum raises its own InvalidComponent
        ric.validate(number)
    assert normalise_id_number(number, today=TODAY) == number


def test_a_lower_case_x_is_read_as_an_upper_case_one() -> None:
    body = "11010519491231002"
    assert id_check_digit(body) == "X"
    assert normalise_id_number(body + "x", today=TODAY) == body + "X"
    assert normalise_id_number(f"  {body}X ", today=TODAY) == body + "X"


@pytest.mark.parametrize(("number", "reason"), [
    (make("510823", "19480305")[:-1] + "0" if make("510823", "19480305")[-1] != "0"
     else make("510823", "19480305")[:-1] + "1", "校验位"),
    (make("510823", "19480230"), "出生日期"),      # 30 February
    (make("510823", "19481301"), "出生日期"),      # month 13
    (make("510823", "20261208"), "晚于今天"),      # tomorrow
    ("51082319480305123", "18 位"),
    ("5108231948030512345", "18 位"),
    ("51082A194803051234", "18 位"),
    ("51082319480305123Y", "18 位"),
    ("", "18 位"),
])
def test_a_wrong_check_digit_an_impossible_date_or_a_wrong_shape_is_refused(number: str, reason: str) -> None:
    with pytest.raises(IdNumberError) as exc:
        normalise_id_number(number, today=TODAY)
    assert reason in str(exc.value)


def test_a_birth_date_of_today_is_accepted() -> None:
    number = make("510823", "20261207")
    assert normalise_id_number(number, today=TODAY) == number


def test_the_check_digit_matches_python_stdnum_for_many_numbers() -> None:
    for n in range(0, 100_000, 997):
        body = f"5108231948{n:07d}"[:17]
        assert id_check_digit(body) == ric.calc_check_digit(body + "0")


@pytest.mark.parametrize(("name", "masked"), [
    ("王秀英", "王*英"), ("张三", "张*"), ("欧阳娜娜", "欧阳**"), ("李", "李"), ("王*英", "王*英"), (" 张三 ", "张*"),
    ("张三丰", "张*丰"),
])
def test_one_rule_masks_names_on_screens_exports_and_paper(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_phones_and_id_numbers_are_masked() -> None:
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone(None) is None and mask_phone("123") == "****"
    assert mask_id_number("510823199001011238") == "510823********1238"
    assert mask_id_number(None) is None


@pytest.mark.parametrize(("expected", "given", "ok"), [
    ("abc", "abc", True), ("abc", "abd", False), ("abc", None, False), ("abc", "", False),
    ("", "", False), (None, "x", False), ("abc", "中文", False),
])
def test_a_resident_token_matches_only_its_own(expected: str | None, given: str | None, ok: bool) -> None:
    assert token_matches(expected, given) is ok


# ---- phones ----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["13812341234", " 138 1234 1234 ", "138-1234-1234", "+8613812341234",
                                 "008613812341234", "8613812341234"])
def test_mainland_mobiles_are_normalised(raw: str) -> None:
    assert privacy.normalise_phone(raw) == "13812341234"
    assert privacy.is_mobile(raw)


@pytest.mark.parametrize("raw", ["", "1381234123", "138123412345", "23812341234", "0839-1234567",
                                 "1381234123x", "+1 415 555 0100"])
def test_other_numbers_are_refused_in_chinese(raw: str) -> None:
    with pytest.raises(privacy.PhoneError, match="11 位"):
        privacy.normalise_phone(raw)
    assert not privacy.is_mobile(raw)


def test_phones_are_masked_in_the_middle() -> None:
    assert privacy.mask_phone("13812341234") == "138****1234"
    assert privacy.mask_phone(None) is None
    assert privacy.mask_phone("123") == "****"
