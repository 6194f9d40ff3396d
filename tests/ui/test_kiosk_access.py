"""The kiosk for residents who read little, under Xvfb: pictograms, speech, 长辈模式, a guide, ID card, SMS."""

from __future__ import annotations

import json
import shutil
import tempfile
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kiosk.icons import glyph
from printer.status import PrinterStatus
from printer.virtual import VirtualPrinter
from tests.conftest import ARTIFACTS
from tests.support.kiosk import Kiosk, Xvfb
from tests.support.live import Api, LiveServer
from tests.support.wait import eventually

pytestmark = pytest.mark.ui
SHOTS = ARTIFACTS / "kiosk"
FIGURES: dict[str, dict[str, Any]] = {}
IDENTITY: dict[str, Any] = {
    "identity": "opaque-test", "name_masked": "张*华",
    "appointments": [{"code": "482913", "service": "medical-insurance",
                      "start": "2026-12-08T10:00:00+08:00", "end": "2026-12-08T10:30:00+08:00"}],
    "cases_ready": [{"number": "C0042", "matter_name": "残疾人证新办", "pickup_window": 18}],
}


@dataclass
class Hall:
    """Everything these tests touch."""

    server: LiveServer
    api: Api
    printer: VirtualPrinter
    kiosk: Kiosk


@pytest.fixture(scope="module")
def hall() -> Iterator[Hall]:
    """Start Xvfb, the server, a virtual printer and the kiosk once for the module."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("access-*.png"):
        old.unlink()
    xvfb = Xvfb()
    server = LiveServer(Path(tempfile.mkdtemp(prefix="kiosk-access-")) / "var").start()
    api = Api(server.url)
    _headers, token = api.device("kiosk", name="长辈取号机")
    printer = VirtualPrinter(port=0, out_dir=SHOTS / "access-receipts").start()
    kiosk = Kiosk(xvfb.display, server.url, token, printer.url, SHOTS / "access-kiosk.log",
                  pickup_service="social-security-card")
    try:
        kiosk.wait_ready()
        yield Hall(server, api, printer, kiosk)
    finally:
        kiosk.stop()
        printer.stop()
        api.close()
        server.stop()
        xvfb.stop()
        shutil.rmtree(SHOTS / "access-receipts", ignore_errors=True)


@pytest.fixture
def k(hall: Hall) -> Kiosk:
    """Return the kiosk on home, in Chinese and the ordinary mode, with no call for a guide."""
    hall.printer.set_status(PrinterStatus.OK)
    kiosk = hall.kiosk
    if kiosk.state()["help"] is not None and kiosk.state()["help"]["id"]:
        kiosk.call("event", name="HelpUpdate", args={"help": {
            "id": kiosk.state()["help"]["id"], "status": "resolved"}}, run_effects=False)
    kiosk.call("event", name="IdleTimeout", run_effects=False)  # home, afresh
    kiosk.wait_screen("home")
    if kiosk.state()["language"] != "zh":
        kiosk.tap("language")
    if kiosk.state()["elder"]:
        kiosk.tap("elder")
    kiosk.wait(lambda s: s["language"] == "zh" and not s["elder"], what="zh, ordinary")
    # Tiles rebuilt when the mode changed are placed on the next frame: wait for their layout.
    kiosk.wait(lambda s: kiosk.call("text", id="cat_H")["height"] != 100, what="tiles laid out")
    kiosk.call("set_idle", seconds=600)
    return kiosk


def shot(k: Kiosk, name: str) -> dict[str, Any]:
    """Save a screenshot and audit it (MIIT figures too in elder mode); fail on any problem."""
    k.call("shot", path=str(SHOTS / f"access-{name}.png"))
    audit = k.call("audit")
    assert audit["problems"] == [], (name, audit["problems"])
    FIGURES[name] = audit
    return audit


def said(k: Kiosk, text: str, timeout: float = 20) -> dict[str, Any]:
    """Wait until the kiosk has played a text; return that entry."""
    state = k.wait(lambda s: any(e["text"] == text for e in k.call("speech")["spoken"]), timeout,
                   f"spoken {text!r}")
    assert state
    return next(e for e in reversed(k.call("speech")["spoken"]) if e["text"] == text)


def assert_wav(path: str) -> float:
    """Check a file is a real mono WAV with speech in it; return its seconds."""
    with wave.open(path) as w:
        assert w.getnchannels() == 1 and w.getframerate() >= 16000
        seconds = w.getnframes() / w.getframerate()
    assert seconds > 0.5, path
    return seconds


def test_every_tile_carries_its_pictogram(hall: Hall, k: Kiosk) -> None:
    catalog = hall.api.http.get("/api/catalog").json()
    for cat in catalog["categories"]:
        assert cat["icon"] and glyph(cat["icon"]) in k.call("text", id=f"cat_{cat['code']}")["text"]
    k.tap("cat_D")
    k.wait_screen("services")
    forestry = next(c for c in catalog["categories"] if c["code"] == "D")
    for service in forestry["services"]:
        assert glyph(service["icon"]) in k.call("text", id=f"svc_{service['code']}")["text"]
    assert glyph("tree") in k.call("text", id="svc_forestry-permit")["text"]


def test_every_screen_speaks_its_prompt_from_a_real_wav(hall: Hall, k: Kiosk) -> None:
    durations: dict[str, float] = {}
    k.tap("cat_A")
    k.wait_screen("services")
    durations["services"] = assert_wav(said(k, "请选择具体事项")["path"])
    k.tap("svc_pension-insurance")
    k.wait_screen("confirm")
    durations["confirm"] = assert_wav(said(k, "请按绿色的取号按钮")["path"])
    k.tap("take")
    state = k.wait(lambda s: s["screen"] == "issued" and s["phase"] == "printed", 15, "printed")
    number = state["ticket"]["number"]
    entry = said(k, state["prompt"])
    assert entry["text"].startswith("您的号码是 A ") and "窗口办理" in entry["text"], entry
    assert entry["length"] > 2, entry  # Kivy loaded it and timed it: it is playable
    durations["issued"] = assert_wav(entry["path"])
    assert number[0] in entry["text"]
    k.tap("sms")
    k.wait_screen("sms")
    durations["sms"] = assert_wav(said(k, "请输入手机号码，然后按确定")["path"])
    k.tap("home")
    k.wait_screen("home")
    durations["home"] = assert_wav(said(k, k.state()["prompt"])["path"])
    k.tap("guide")
    k.wait_screen("guide")
    durations["guide"] = assert_wav(said(k, k.state()["prompt"])["path"])
    k.tap("home")
    k.wait_screen("home")
    k.tap("appointment")
    k.wait_screen("appointment")
    durations["appointment"] = assert_wav(said(k, "请输入六位预约码")["path"])
    # 再听一遍 says it again, and the screens without a server answer render their prompts too.
    before = len(k.call("speech")["spoken"])
    k.tap("replay")
    k.wait(lambda s: len(k.call("speech")["spoken"]) > before, 10, "replayed")
    assert k.call("speech")["spoken"][-1]["text"] == "请输入六位预约码"
    for event, args in (("CardRead", {"name": "张三", "id_number": "11010519491231002X"}),
                        ("Identified", {"result": IDENTITY})):
        k.call("event", name=event, args=args, run_effects=False)
    rendered = k.call("render_prompt")
    assert rendered["text"].startswith("您有 一 个预约") and rendered["path"]
    durations["identity"] = assert_wav(rendered["path"])
    k.tap("home")
    FIGURES["speech_seconds"] = durations


def test_elder_mode_on_every_screen_meets_the_miit_figures(hall: Hall, k: Kiosk) -> None:
    normal_idle = k.state()["idle_seconds"]
    k.tap("elder")
    state = k.wait(lambda s: s["elder"], what="elder mode")
    assert state["idle_seconds"] == 2 * normal_idle
    home = shot(k, "elder-home")
    assert home["largest_text_dp"] >= 30 and len([i for i in k.call("ids")["ids"] if i.startswith("cat_")]) == 4
    k.tap("next_page")
    k.wait(lambda s: s["page"] == 1, what="page 2")
    assert sorted(i for i in k.call("ids")["ids"] if i.startswith("cat_")) == [
        "cat_E", "cat_F", "cat_G", "cat_H"]
    shot(k, "elder-home-2")
    k.tap("prev_page")
    k.wait(lambda s: s["page"] == 0, what="page 1")
    k.tap("cat_A")
    k.wait_screen("services")
    shot(k, "elder-services")
    k.tap("svc_pension-insurance")
    k.wait_screen("confirm")
    shot(k, "elder-confirm")
    k.tap("take")
    k.wait(lambda s: s["screen"] == "issued" and s["phase"] == "printed", 15, "printed")
    shot(k, "elder-issued")
    k.tap("sms")
    k.wait_screen("sms")
    for digit in "1380013":
        k.tap(f"sms_{digit}")
    k.wait(lambda s: s["phone"] == "1380013", what="digits typed")
    said(k, "三")  # in elder mode each digit is spoken
    shot(k, "elder-sms")
    k.tap("home")
    k.wait_screen("home")
    assert k.state()["elder"]
    k.tap("guide")
    k.wait_screen("guide")
    shot(k, "elder-guide")
    k.tap("guide_cat_A")
    k.wait(lambda s: any(i.startswith("matter_") for i in k.call("ids")["ids"]), what="matters")
    shot(k, "elder-guide-category")
    matter = sorted(i for i in k.call("ids")["ids"] if i.startswith("matter_"))[0]
    k.tap(matter)
    k.wait(lambda s: "guide_verdict" in k.call("ids")["ids"], what="matter open")
    shot(k, "elder-guide-matter")
    k.tap("home")
    k.wait_screen("home")
    k.tap("appointment")
    k.wait_screen("appointment")
    shot(k, "elder-appointment")
    k.tap("home")
    k.wait_screen("home")
    k.call("event", name="CardRead", args={"name": "张三", "id_number": "11010519491231002X"},
           run_effects=False)
    k.wait_screen("identity")
    shot(k, "elder-identity-reading")
    k.call("event", name="Identified", args={"result": IDENTITY}, run_effects=False)
    k.wait(lambda s: s["phase"] == "ready", what="identified")
    shot(k, "elder-identity")
    k.tap("home")
    k.wait_screen("home")
    k.call("event", name="CallGuide", run_effects=False)
    k.call("event", name="HelpRequested", args={"help": {"id": "h-test", "status": "requested"}},
           run_effects=False)
    shot(k, "elder-help-requested")
    k.call("event", name="HelpUpdate", args={"help": {"id": "h-test", "status": "acknowledged"}},
           run_effects=False)
    assert k.call("text", id="help")["text"].endswith("导办员马上就到")
    shot(k, "elder-help-acknowledged")
    k.call("event", name="HelpUpdate", args={"help": {"id": "h-test", "status": "resolved"}},
           run_effects=False)
    assert k.state()["help"] is None and k.call("text", id="help")["text"].endswith("呼叫导办员")
    k.call("event", name="ServerDown", run_effects=False)
    k.wait_screen("out_of_service")
    shot(k, "elder-out-of-service")
    k.call("event", name="ServerUp", run_effects=False)
    k.wait_screen("home")
    k.tap("elder")
    k.wait(lambda s: not s["elder"], what="ordinary mode again")
    elder = {n: f for n, f in FIGURES.items() if n.startswith("elder-")}
    (SHOTS / "access-miit.json").write_text(json.dumps(
        {n: {k: f[k] for k in ("density", "smallest_text_dp", "largest_text_dp", "smallest_target_dp")}
         for n, f in elder.items()}, indent=1), encoding="utf-8")
    assert len(elder) >= 14
    assert min(f["smallest_text_dp"] for f in elder.values()) >= 18
    assert min(f["smallest_target_dp"] for f in elder.values()) >= 60
    assert min(f["largest_text_dp"] for f in elder.values()) >= 30


def test_the_sms_keypad_takes_a_mobile_number(hall: Hall, k: Kiosk) -> None:
    k.tap("cat_G")
    k.wait_screen("services")
    k.tap("svc_invoice")
    k.wait_screen("confirm")
    k.tap("take")
    k.wait(lambda s: s["screen"] == "issued" and s["phase"] == "printed", 15, "printed")
    k.tap("sms")
    k.wait_screen("sms")
    for digit in "23800138000":
        k.tap(f"sms_{digit}")
    k.wait(lambda s: s["phone"] == "23800138000", what="typed")
    assert k.call("text", id="phone")["text"] == "238 0013 8000"
    k.call("event", name="SmsSubmit")
    k.wait(lambda s: s["sms_message"] == "phone_invalid", what="refused locally")
    assert k.call("text", id="message")["text"] == "请输入以 1 开头的 11 位手机号码"
    k.tap("sms_clear")
    for digit in "138001380001":  # the twelfth digit is ignored
        k.tap(f"sms_{digit}")
    k.wait(lambda s: s["phone"] == "13800138000", what="eleven digits")
    k.tap("sms_delete")
    k.tap("sms_0")
    k.wait(lambda s: s["phone"] == "13800138000", what="retyped")
    shot(k, "zh-sms")
    ticket = k.state()["ticket"]
    k.tap("sms_ok")
    k.wait(lambda s: s["sms_phase"] == "done", 10, "the server took the phone")
    assert k.call("text", id="message")["text"] == "已登记，叫号前会短信提醒您"
    shot(k, "zh-sms-answer")
    text = texted_when_called(hall, ticket)
    assert text["phone"] == "138****8000" and text["params"]["window"] == "1"
    k.tap("back")
    k.wait_screen("issued")


def test_the_sms_keypad_in_elder_mode_registers_the_phone_for_texts(hall: Hall, k: Kiosk) -> None:
    k.tap("elder")
    k.wait(lambda s: s["elder"], what="elder mode")
    k.tap("cat_A")
    k.wait_screen("services")
    k.tap("svc_pension-insurance")
    k.wait_screen("confirm")
    k.tap("take")
    state = k.wait(lambda s: s["screen"] == "issued" and s["phase"] == "printed", 15, "printed")
    k.tap("sms")
    k.wait_screen("sms")
    for digit in "13900139001":
        k.tap(f"sms_{digit}")
    k.wait(lambda s: s["phone"] == "13900139001", what="typed")
    assert k.call("text", id="phone")["text"] == "139 0013 9001"
    k.tap("sms_ok")
    k.wait(lambda s: s["sms_phase"] == "done", 10, "the server took the phone")
    assert k.call("text", id="message")["text"] == "已登记，叫号前会短信提醒您"
    audit = shot(k, "elder-sms-done")
    assert audit["smallest_text_dp"] >= 18 and audit["smallest_target_dp"] >= 60
    text = texted_when_called(hall, state["ticket"])
    assert text["phone"] == "139****9001"
    k.tap("home")
    k.wait_screen("home")


CLERK: dict[str, dict[str, str]] = {}


def texted_when_called(hall: Hall, ticket: dict[str, Any]) -> dict[str, Any]:
    """Call the ticket at window 1 and finish it; return its `called` text as /api/sms lists it."""
    api = hall.api
    if not CLERK:
        CLERK["headers"] = api.user("sms-clerk", display_name="短信测试")
        r = api.http.post("/api/windows/1/open", headers=CLERK["headers"])
        assert r.status_code == 200, r.text
    clerk, admin = CLERK["headers"], api.admin()
    r = api.http.post("/api/windows/1/call", headers=clerk, json={"ticket": ticket["id"]})
    assert r.status_code == 200, r.text
    r = api.http.post("/api/windows/1/finish", headers=clerk, json={"outcome": "done"})
    assert r.status_code == 200, r.text

    def text() -> dict[str, Any] | None:
        listed = api.http.get("/api/sms", headers=admin, params={"status": "logged"}).json()["messages"]
        return next((m for m in listed if m["kind"] == "called" and m["params"]["number"] == ticket["number"]), None)

    return eventually(text, 10, "the ticket's called text")


def test_calling_a_guide_reaches_the_server_and_shows_its_status(hall: Hall, k: Kiosk) -> None:
    k.tap("help")
    state = k.wait(lambda s: s["help"] is not None and s["help"]["status"] == "requested", 10, "answer")
    assert k.call("text", id="help")["text"].endswith("已呼叫导办员，请稍候")
    admin = hall.api.admin()
    calls = hall.api.http.get("/api/help", headers=admin).json()
    assert [(str(c["id"]), c["kiosk_name"], c["status"]) for c in calls] == [
        (state["help"]["id"], "长辈取号机", "requested")]
    # A second tap while the call is open asks for nothing new.
    k.tap("help")
    assert k.state()["help"] == state["help"]
    assert len(hall.api.http.get("/api/help", headers=admin).json()) == 1
    # Resolved by staff: help.resolved on /ws/hall puts the button back.
    r = hall.api.http.post(f"/api/help/{state['help']['id']}/resolve", headers=admin)
    assert r.status_code == 200, r.text
    k.wait(lambda s: s["help"] is None, 5, "the call closed on the kiosk")
    assert k.call("text", id="help")["text"].endswith("呼叫导办员")


def test_screenshots_of_the_new_screens_in_normal_mode(hall: Hall, k: Kiosk) -> None:
    shot(k, "zh-home")
    k.call("event", name="CardRead", args={"name": "张三", "id_number": "11010519491231002X"},
           run_effects=False)
    k.call("event", name="Identified", args={"result": IDENTITY}, run_effects=False)
    k.wait(lambda s: s["screen"] == "identity" and s["phase"] == "ready", what="identified")
    shot(k, "zh-identity")
    assert k.call("text", id="title")["text"] == "张*华，您好"
    assert k.call("text", id="cases_ready")["text"] == "您有 1 件已办结，请到 18 号窗口领取"
    assert k.call("text", id="checkin_482913")["text"].endswith("签到取号")
    assert k.call("text", id="pickup")["text"].endswith("取领件号")
    k.tap("other")
    state = k.wait_screen("home")
    assert state["identity"]["identity"] == "opaque-test"
    assert k.call("text", id="title")["text"] == "张*华，请选择要办理的业务"
    k.call("event", name="IdleTimeout", run_effects=False)
    k.wait(lambda s: s["identity"] is None, what="identity forgotten when idle")
    k.call("event", name="CardRead", args={"name": "张三", "id_number": "123"}, run_effects=False)
    k.call("event", name="IdentifyFailed", args={"reason": "invalid", "invalid": True},
           run_effects=False)
    k.wait(lambda s: s["phase"] == "failed", what="card refused")
    assert k.call("text", id="status")["text"] == "身份证读取失败，请重新放置"
    shot(k, "zh-identity-failed")
    k.tap("home")
    k.wait_screen("home")
    k.call("event", name="CallGuide", run_effects=False)
    k.call("event", name="HelpRequested", args={"help": {"id": "h2", "status": "requested"}},
           run_effects=False)
    shot(k, "zh-help-requested")
    k.call("event", name="HelpUpdate", args={"help": {"id": "h2", "status": "acknowledged"}},
           run_effects=False)
    shot(k, "zh-help-acknowledged")
    k.call("event", name="HelpUpdate", args={"help": {"id": "h2", "status": "resolved"}},
           run_effects=False)
    k.tap("language")
    k.wait(lambda s: s["language"] == "en", what="en")
    shot(k, "en-home")
    k.tap("elder")
    k.wait(lambda s: s["elder"], what="elder")
    shot(k, "en-elder-home")
    for name in ("zh-home", "zh-identity", "zh-identity-failed", "zh-help-requested", "en-home"):
        assert (SHOTS / f"access-{name}.png").stat().st_size > 10_000, name
