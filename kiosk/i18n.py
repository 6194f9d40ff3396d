"""Screen texts in Simplified Chinese and English."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

STRINGS: dict[str, dict[str, str]] = {
    "zh": {
        "hall": "{hall}",
        "toggle": "English",
        "home_title": "请选择要办理的业务",
        "waiting": "等候 {n} 人",
        "guide_button": "能办吗？查看办事指南",
        "back": "返回",
        "home": "首页",
        "services_title": "{category}：请选择具体事项",
        "eta": "约 {m} 分钟",
        "eta_none": "无需等候",
        "eta_closed": "窗口还没开始办理",
        "eta_after_open": "开始办理后约 {m} 分钟",
        "materials": "请准备以下材料：",
        "materials_n": "请准备以下材料（共 {n} 项，可上下滑动）：",
        "no_materials": "无需特别材料，带身份证即可",
        "mode": "办理方式：{modes}",
        "mode_onsite": "现场办理",
        "mode_deferred": "承诺 {d} 个工作日办结",
        "mode_proxy": "窗口代办",
        "priority_title": "优先服务（可选）：",
        "prio_elderly": "老年人",
        "prio_disabled": "残疾人",
        "prio_veteran": "退役军人",
        "prio_pregnant": "孕产妇",
        "take": "取  号",
        "taking": "正在取号…",
        "take_failed": "取号没有成功，请再按一次「取号」",
        "your_number": "您的号码",
        "ahead": "前面还有 {n} 人",
        "ahead_none": "前面没有人，请留意叫号",
        "eta_issued": "预计等候约 {m} 分钟",
        "eta_soon": "即将叫号，请留意",
        "eta_issued_closed": "窗口还没开始办理，开始后按顺序叫号",
        "eta_issued_after_open": "开始办理后约 {m} 分钟叫到",
        "windows": "请到 {w} 号窗口办理",
        "printing": "正在打印…",
        "printed": "请取走凭条",
        "print_failed": "打印机故障，\n请用手机扫码保存号码",
        "done": "完成，返回首页",
        "priority_tag": "优先：{p}",
        "guide_title": "能办吗？办事指南",
        "guide_pick": "请选择类别",
        "guide_matters": "{category}：共 {n} 项",
        "department": "办理部门：{d}",
        "handled_here": "本镇可以办理",
        "not_here": "本镇不能直接办理，窗口可帮您代办",
        "oos_title": "暂停服务",
        "oos_body": "网络连接中断，正在自动重试…",
        "oos_hint": "请到窗口咨询工作人员",
        "windows_sep": "、",
        "appt_button": "我有预约",
        "appt_title": "请输入 6 位预约码",
        "appt_hint": "也可以把手机上的预约二维码对准扫码器",
        "appt_ok": "确认取号",
        "appt_checking": "正在签到…",
        "appt_delete": "删除",
        "appt_clear": "清空",
        "appt_walk_in": "不用预约，取普通号",
        "appt_mark": "预约 {start} 时段",
        "replay": "再听一遍",
        "help": "呼叫导办员",
        "help_calling": "已呼叫导办员，请稍候",
        "help_requested": "已呼叫导办员，请稍候",
        "help_acknowledged": "导办员马上就到",
        "help_failed": "呼叫没有成功，请再按一次",
        "elder_on": "长辈模式",
        "elder_off": "回到普通模式",
        "prev_page": "上一页",
        "next_page": "下一页",
        "page": "第 {p} 页，共 {n} 页",
        "identity_title": "{name}，您好",
        "identity_reading": "正在读取身份证，请稍候…",
        "card_invalid": "身份证读取失败，请重新放置",
        "card_failed": "网络连接失败，请稍后再试",
        "identity_appts": "您的预约，现在可以签到：",
        "identity_appt": "{service}  {start}–{end}",
        "checkin_take": "签到取号",
        "cases_ready": "您有 {n} 件已办结，请到 {w} 号窗口领取",
        "pickup_take": "取领件号",
        "other_service": "办理其他业务",
        "identity_none": "没有找到您的预约或待领取的办件",
        "card_home": "{name}，请选择要办理的业务",
        "sms_button": "短信提醒",
        "sms_title": "请输入手机号码",
        "sms_hint": "叫号前发短信提醒您",
        "sms_ok": "确  定",
        "sms_sending": "正在登记…",
        "sms_done": "已登记，叫号前会短信提醒您",
        "phone_invalid": "请输入以 1 开头的 11 位手机号码",
        "sms_failed": "网络连接失败，请稍后再试",
    },
    "en": {
        "hall": "{hall}",
        "toggle": "中文",
        "home_title": "Choose what you need",
        "waiting": "{n} waiting",
        "guide_button": "Can it be done here? Guide",
        "back": "Back",
        "home": "Home",
        "services_title": "{category}: choose a service",
        "eta": "about {m} min",
        "eta_none": "no wait",
        "eta_closed": "windows not open yet",
        "eta_after_open": "about {m} min after opening",
        "materials": "Please bring:",
        "materials_n": "Please bring ({n} items, scroll to see all):",
        "no_materials": "Just bring your ID card",
        "mode": "Handling: {modes}",
        "mode_onsite": "on the spot",
        "mode_deferred": "done within {d} working days",
        "mode_proxy": "handled for you by the window",
        "priority_title": "Priority service (optional):",
        "prio_elderly": "Elderly",
        "prio_disabled": "Disabled",
        "prio_veteran": "Veteran",
        "prio_pregnant": "Pregnant",
        "take": "Take a ticket",
        "taking": "Taking a ticket…",
        "take_failed": "That did not work. Please tap the button again.",
        "your_number": "Your number",
        "ahead": "{n} ahead of you",
        "ahead_none": "Nobody ahead. Watch the board.",
        "eta_issued": "Estimated wait about {m} min",
        "eta_soon": "You will be called shortly",
        "eta_issued_closed": "Windows not open yet; calls start in order when they open",
        "eta_issued_after_open": "Called about {m} min after opening",
        "windows": "Go to window {w}",
        "printing": "Printing…",
        "printed": "Please take your ticket",
        "print_failed": "Printer fault. Scan the code with your phone to keep your number.",
        "done": "Done, back to home",
        "priority_tag": "Priority: {p}",
        "guide_title": "Can it be done here? Guide",
        "guide_pick": "Choose a category",
        "guide_matters": "{category}: {n} matters",
        "department": "Department: {d}",
        "handled_here": "Can be handled here",
        "not_here": "Not handled here; the window can do it for you",
        "oos_title": "Out of service",
        "oos_body": "The network is down. Retrying automatically…",
        "oos_hint": "Please ask the staff at a window",
        "windows_sep": ", ",
        "appt_button": "I have an appointment",
        "appt_title": "Type your 6-digit code",
        "appt_hint": "Or hold the code's QR on your phone to the scanner",
        "appt_ok": "Check in",
        "appt_checking": "Checking in…",
        "appt_delete": "Delete",
        "appt_clear": "Clear",
        "appt_walk_in": "Take an ordinary ticket instead",
        "appt_mark": "Appointment {start}",
        "replay": "Hear it again",
        "help": "Call a guide",
        "help_calling": "A guide has been called. Please wait.",
        "help_requested": "A guide has been called. Please wait.",
        "help_acknowledged": "A guide is on the way",
        "help_failed": "The call did not go through. Tap again.",
        "elder_on": "Large text",
        "elder_off": "Standard text",
        "prev_page": "Previous",
        "next_page": "Next",
        "page": "Page {p} of {n}",
        "identity_title": "Hello, {name}",
        "identity_reading": "Reading your ID card…",
        "card_invalid": "Could not read the ID card. Please place it again.",
        "card_failed": "Network error. Please try again later.",
        "identity_appts": "Your appointments, ready to check in:",
        "identity_appt": "{service}  {start}–{end}",
        "checkin_take": "Check in",
        "cases_ready": "{n} completed case(s): collect at window {w}",
        "pickup_take": "Ticket to collect",
        "other_service": "Something else",
        "identity_none": "No appointments or completed cases found",
        "card_home": "{name}, choose what you need",
        "sms_button": "Text me",
        "sms_title": "Your mobile number",
        "sms_hint": "We text you before your number is called",
        "sms_ok": "OK",
        "sms_sending": "Saving…",
        "sms_done": "Saved. We will text you before your call.",
        "phone_invalid": "Enter an 11-digit mobile number starting with 1",
        "sms_failed": "Network error. Please try again later.",
    },
}


def t(language: str, key: str, **values: Any) -> str:
    """Return the text for key in the language, formatted with values."""
    table = STRINGS.get(language, STRINGS["zh"])
    return table.get(key, STRINGS["zh"][key]).format(**values)


def name(item: Mapping[str, Any], language: str) -> str:
    """Return a catalogue item's name in the language (Chinese when no English exists)."""
    if language == "en" and item.get("name_en"):
        return str(item["name_en"])
    return str(item.get("name", ""))


def minutes(value: float | None) -> int:
    """Round an estimate up to whole minutes."""
    return 0 if not value else max(1, math.ceil(value))


def eta_line(language: str, value: float | None, not_open: bool = False) -> str:
    """Say how long the wait is, or that the call is near when the estimate is zero.

    While no window that serves the ticket is open (not_open), the estimate counts from opening.
    """
    m = minutes(value)
    if not_open:
        return t(language, "eta_issued_after_open", m=m) if m else t(language, "eta_issued_closed")
    return t(language, "eta_issued", m=m) if m else t(language, "eta_soon")


def eta_choice(language: str, value: float | None, not_open: bool = False) -> str:
    """Give a service button's estimate: about N minutes, no wait, or counted from opening."""
    m = minutes(value)
    if not_open:
        return t(language, "eta_after_open", m=m) if m else t(language, "eta_closed")
    return t(language, "eta", m=m) if m else t(language, "eta_none")


def windows_text(language: str, windows: list[int]) -> str:
    """Join window numbers the way the language lists them."""
    return t(language, "windows_sep").join(str(w) for w in windows)


def modes_text(language: str, matters: list[Mapping[str, Any]]) -> str:
    """Describe the handling modes of a service's matters."""
    parts: list[str] = []
    modes = {str(m.get("mode")) for m in matters}
    if "onsite" in modes:
        parts.append(t(language, "mode_onsite"))
    if "deferred" in modes:
        days = max(int(m.get("promised_days") or 0) for m in matters if m.get("mode") == "deferred")
        parts.append(t(language, "mode_deferred", d=days))
    if "proxy" in modes:
        parts.append(t(language, "mode_proxy"))
    return t(language, "windows_sep").join(parts)
