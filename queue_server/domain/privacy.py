"""Personal data rules: ID numbers, masking names, phones and ID numbers, and residents' tokens; pure."""

from __future__ import annotations

import re
import secrets
from datetime import date

# GB 11643-1999: weight of each of the first 17 digits, and the check character for sum mod 11.
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK = "10X98765432"


class IdNumberError(ValueError):
    """Raised when a string is not a valid resident ID number."""


def id_check_digit(first17: str) -> str:
    """Return the GB 11643 check character for the first 17 digits of an ID number."""
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalise_id_number(value: str, *, today: date) -> str:
    """Return an ID number in its stored form (upper-case X), or raise IdNumberError.

    The region code (first 6 digits) is checked for shape only: residents keep the code of the
    county that registered them, which may be younger than they are or retired since.
    """
    number = value.strip().upper()
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError("身份证号码应为 18 位：17 位数字加 1 位数字或 X")
    if id_check_digit(number[:17]) != number[17]:
        raise IdNumberError("身份证号码校验位不正确，请核对")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise IdNumberError("身份证号码中的出生日期不存在，请核对") from exc
    if born > today:
        raise IdNumberError("身份证号码中的出生日期晚于今天，请核对")
    return number


def mask_phone(phone: str | None) -> str | None:
    """Mask a phone number as 138****1234."""
    if not phone:
        return None
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


def mask_id_number(value: str | None) -> str | None:
    """Mask a resident ID number as 510823********1234."""
    if not value:
        return None
    return value[:6] + "*" * max(0, len(value) - 10) + value[-4:] if len(value) > 10 else "****"


def mask_name(name: str) -> str:
    """Mask a person's name: 张* · 王*英 · 欧阳**; a masked name stays as it is.

    The one rule for names on screens, exports and paper: the surname stays (two characters
    for a four-character name, which is most often a compound surname such as 欧阳).
    """
    name = name.strip()
    if "*" in name or len(name) < 2:
        return name
    if len(name) == 2:
        return name[0] + "*"
    if len(name) == 3:
        return name[0] + "*" + name[2]
    return name[:2] + "*" * (len(name) - 2)


def token_matches(expected: str | None, given: str | None) -> bool:
    """Tell whether a resident's token is the one expected, in constant time."""
    # Compare bytes: compare_digest refuses non-ASCII str, and a token is whatever was typed.
    return bool(expected) and bool(given) and secrets.compare_digest(str(given).encode(), str(expected).encode())


_PHONE = re.compile(r"^1\d{10}$")
_SEPARATORS = re.compile(r"[\s\-()]")


class PhoneError(ValueError):
    """Raised when a string is not a mainland mobile number."""


def normalise_phone(value: str) -> str:
    """Return a mainland mobile number as 11 digits, or raise PhoneError with a Chinese message."""
    number = _SEPARATORS.sub("", value or "")
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("0086"):
        number = number[4:]
    elif len(number) == 13 and number.startswith("86"):
        number = number[2:]
    if not _PHONE.match(number):
        raise PhoneError("手机号码应为以 1 开头的 11 位数字")
    return number


def is_mobile(value: str) -> bool:
    """Tell whether a string is a mainland mobile number."""
    try:
        normalise_phone(value)
    except PhoneError:
        return False
    return True
