"""What the kiosk says aloud: each screen's prompt, the number and windows, pure text.

The words are chosen for espeak-ng's Mandarin voice: a ticket number is read letter then digit
by digit (「A 零 零 七 号」, as the board calls it), window numbers as numbers (「十八 号」).
"""

from __future__ import annotations

import re
from typing import Any

from kiosk.flow import State

DIGITS = "零一二三四五六七八九"
MAX_WINDOWS_SAID = 4  # more would keep a resident listening for half a minute
_NUMBER = re.compile(r"^([A-Z]?)(\d{1,4})$")

PROMPTS = {
    "home": "请选择要办理的业务，点图片就可以",
    "services": "请选择具体事项",
    "confirm": "请按绿色的取号按钮",
    "guide": "请选择类别，看看能不能在这里办",
    "appointment": "请输入六位预约码",
    "out_of_service": "暂停服务，请到窗口找工作人员",
    "identifying": "正在读取身份证，请稍候",
    "card_invalid": "身份证读取失败，请重新放置",
    "card_failed": "网络连接失败，请稍后再试",
    "identity_none": "没有找到您的预约和待领取的办件，请选择要办理的业务",
    "sms": "请输入手机号码，然后按确定",
    "sms_done": "已登记，叫号前会短信提醒您",
    "sms_invalid": "手机号码不对，请输入一开头的十一位号码",
    "help_calling": "已呼叫导办员，请稍候",
    "help_acknowledged": "导办员马上就到",
    "help_failed": "呼叫没有成功，请到窗口找工作人员",
}


def chinese_number(n: int) -> str:
    """Say 0..99 the way a window number is said: 3 → 三, 10 → 十, 18 → 十八, 20 → 二十."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    if n >= 100:
        return "".join(DIGITS[int(d)] for d in str(n))
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def spoken_ticket(number: str) -> str:
    """Return a ticket number as words: A007 → 「A 零 零 七」."""
    m = _NUMBER.match(number)
    if m is None:
        return number
    digits = " ".join(DIGITS[int(d)] for d in m[2])
    return f"{m[1]} {digits}" if m[1] else digits


def spoken_windows(windows: list[int]) -> str:
    """Return 「三 号、五 号窗口」 for [3, 5]; a long list is cut to its first few with 「等」."""
    said = [f"{chinese_number(int(w))} 号" for w in windows[:MAX_WINDOWS_SAID]]
    more = "等" if len(windows) > MAX_WINDOWS_SAID else ""
    return "、".join(said) + more + "窗口"


def issued_prompt(ticket: dict[str, Any]) -> str:
    """Return 「您的号码是 A 零 零 七 号，请到 三 号、五 号窗口办理」."""
    text = f"您的号码是 {spoken_ticket(str(ticket.get('number', '')))} 号"
    windows = ticket.get("preferred_windows") or ticket.get("windows") or []
    if windows:
        text += f"，请到 {spoken_windows([int(w) for w in windows])}办理"
    return text


def identity_prompt(identity: dict[str, Any]) -> str:
    """Say what the card found: appointments to check in, cases to collect."""
    parts: list[str] = []
    booked = identity.get("appointments") or []
    if booked:
        parts.append(f"您有 {chinese_number(len(booked))} 个预约，请按签到取号")
    cases = identity.get("cases_ready") or []
    if cases:
        windows = sorted({int(c.get("pickup_window") or 0) for c in cases} - {0})
        where = f"，请到 {spoken_windows(windows)}领取" if windows else ""
        parts.append(f"您有 {chinese_number(len(cases))} 件已办结{where}")
    return "。".join(parts) if parts else PROMPTS["identity_none"]


def prompt(state: State) -> str:
    """Return what the current screen says when it opens (and when 再听一遍 is tapped)."""
    screen = state.screen
    if screen == "issued":
        return issued_prompt(state.ticket or {})
    if screen == "identity":
        if state.phase == "identifying":
            return PROMPTS["identifying"]
        if state.phase == "failed":
            return PROMPTS["card_invalid" if state.error == "card_invalid" else "card_failed"]
        return identity_prompt(state.identity or {})
    if screen == "sms":
        if state.sms_phase == "done":
            return PROMPTS["sms_done"]
        if state.sms_message == "phone_invalid":
            return PROMPTS["sms_invalid"]
        return PROMPTS["sms"]
    return PROMPTS.get(screen, PROMPTS["home"])


def help_prompt(state: State) -> str | None:
    """Return what the call-for-a-guide banner says, if it shows."""
    if state.help is None:
        return None
    return PROMPTS.get(f"help_{state.help.status}")


def spoken(old: State, new: State) -> str | None:
    """Return what to say after an event took old to new, or None to stay quiet."""
    if new.help is not None and (old.help is None or old.help.status != new.help.status):
        return help_prompt(new)
    if (old.screen, old.phase, old.sms_phase, old.sms_message) != (
            new.screen, new.phase, new.sms_phase, new.sms_message):
        if new.screen == "issued" and old.screen == "issued":
            return None  # printing finished: the number was said as the screen opened
        if new.screen in ("confirm", "appointment") and old.screen == new.screen:
            return None  # issuing, or a refusal the screen shows in red
        if new.screen == "identity" and new.phase == "issuing":
            return None
        if new.screen == "sms" and old.screen == "sms" and new.sms_phase == "sending":
            return None
        return prompt(new)
    if new.elder and new.screen == "sms" and len(new.phone) == len(old.phone) + 1:
        return DIGITS[int(new.phone[-1])]  # 长辈模式: each digit is said as it is typed
    return None
