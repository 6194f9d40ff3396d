"""The Kivy kiosk under Xvfb, driven by real touches, against a real server and printer."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from kiosk.i18n import eta_choice, eta_line
from printer.status import PrinterStatus
from printer.virtual import VirtualPrinter
from tests.conftest import ARTIFACTS
from tests.support.kiosk import Kiosk, Xvfb
from tests.support.live import Api, LiveServer
from tests.support.wait import eventually

pytestmark = pytest.mark.ui
SHOTS = ARTIFACTS / "kiosk"
SERVICE = "pension-insurance"


@dataclass
class Hall:
    """Everything a kiosk test touches."""

    server: LiveServer
    api: Api
    printer: VirtualPrinter
    kiosk: Kiosk
    admin: dict[str, str]


@pytest.fixture(scope="module")
def hall() -> Iterator[Hall]:
    """Start Xvfb, the server, a virtual printer and the kiosk app once for the module."""
    shutil.rmtree(SHOTS, ignore_errors=True)  # assertions below count what this run saved
    SHOTS.mkdir(parents=True)
    xvfb = Xvfb()
    server = LiveServer(Path(tempfile.mkdtemp(prefix="kiosk-ui-")) / "var").start()
    api = Api(server.url)
    _headers, token = api.device("kiosk", name="大厅取号机")
    printer = VirtualPrinter(port=0, out_dir=SHOTS / "receipts").start()
    kiosk = Kiosk(xvfb.display, server.url, token, printer.url, SHOTS / "kiosk.log")
    try:
        kiosk.wait_ready()
        yield Hall(server, api, printer, kiosk, api.admin())
    finally:
        kiosk.stop()
        printer.stop()
        api.close()
        server.stop()
        xvfb.stop()


def hall_seq(hall: Hall) -> int:
    """Return the server's newest event seq."""
    return int(hall.api.http.get("/api/queue").json()["seq"])


@pytest.fixture
def k(hall: Hall) -> Kiosk:
    """Return the kiosk on its home screen, in Chinese, with a working printer."""
    hall.printer.set_status(PrinterStatus.OK)
    kiosk = hall.kiosk
    if kiosk.state()["screen"] != "home":
        kiosk.tap("home" if kiosk.state()["screen"] != "issued" else "done")
    kiosk.wait_screen("home")
    if kiosk.state()["language"] != "zh":
        kiosk.tap("language")
        kiosk.wait(lambda s: s["language"] == "zh", what="zh")
    kiosk.call("set_idle", seconds=600)
    return kiosk


def waiting(api: Api, service: str = SERVICE) -> int:
    """Return the server's waiting count for a service."""
    for cat in api.http.get("/api/catalog").json()["categories"]:
        for s in cat["services"]:
            if s["code"] == service:
                return int(s["waiting"])
    raise KeyError(service)


def service_eta(api: Api, service: str) -> float:
    """Return the catalogue's estimate for a new ticket of a service."""
    for cat in api.http.get("/api/catalog").json()["categories"]:
        for s in cat["services"]:
            if s["code"] == service:
                return float(s["eta_minutes"])
    raise KeyError(service)


def serving_open(api: Api, ticket: dict[str, Any]) -> bool:
    """Tell whether a window that serves the ticket is open or paused."""
    windows = {w["number"]: w["status"] for w in api.http.get("/api/catalog").json()["windows"]}
    return any(windows.get(n) in ("open", "paused") for n in ticket["windows"])


def shot(k: Kiosk, name: str) -> dict[str, Any]:
    """Save a screenshot and return the audit of the screen; fail on any layout problem."""
    k.call("shot", path=str(SHOTS / f"{name}.png"))
    audit = k.call("audit")
    assert audit["problems"] == [], (name, audit["problems"])
    return audit


def to_confirm(k: Kiosk, category: str = "A", service: str = SERVICE) -> None:
    """Tap a category, then a service."""
    k.tap(f"cat_{category}")
    k.wait_screen("services")
    k.tap(f"svc_{service}")
    k.wait_screen("confirm")


def issued(k: Kiosk, phase: str = "printed", timeout: float = 15) -> dict[str, Any]:
    """Wait for the issued screen in a final print phase."""
    return k.wait(lambda s: s["screen"] == "issued" and s["phase"] == phase, timeout,
                  f"issued/{phase}")


def test_three_taps_print_the_number_the_server_issued(hall: Hall, k: Kiosk) -> None:
    before, receipts = waiting(hall.api), len(hall.printer.receipts)
    to_confirm(k)
    k.tap("take")
    state = issued(k)
    ticket = state["ticket"]
    got = hall.api.http.get(f"/api/tickets/{ticket['id']}", params={"token": ticket["token"]})
    assert got.json()["number"] == ticket["number"] and got.json()["channel"] == "kiosk"
    receipt = hall.printer.wait_for(receipts + 1)[-1]
    assert ticket["number"] in receipt.lines
    assert "养老保险" in receipt.transcript
    assert waiting(hall.api) == before + 1
    assert k.call("text", id="number")["text"] == ticket["number"]
    assert k.call("text", id="print_status")["text"] == "请取走凭条"


def test_a_priority_ticket_carries_its_class(hall: Hall, k: Kiosk) -> None:
    receipts = len(hall.printer.receipts)
    to_confirm(k, "C", "veterans-benefits")
    k.tap("prio_veteran")
    k.wait(lambda s: s["priority"] == "veteran", what="priority chosen")
    k.tap("take")
    ticket = issued(k)["ticket"]
    assert ticket["priority"] == "veteran" and ticket["number"].startswith("C")
    receipt = hall.printer.wait_for(receipts + 1)[-1]
    assert ticket["number"] in receipt.lines and "退役军人" in receipt.transcript
    assert "优先" in k.call("text", id="service_name")["text"]


def test_a_double_tap_issues_exactly_one_ticket(hall: Hall, k: Kiosk) -> None:
    before, receipts = waiting(hall.api, "invoice"), len(hall.printer.receipts)
    to_confirm(k, "G", "invoice")
    sent = k.state()["issue_requests"]
    k.tap("take", count=2)  # both taps land in the same frame, before any answer
    issued(k)
    assert k.state()["issue_requests"] == sent + 1
    assert waiting(hall.api, "invoice") == before + 1
    hall.printer.wait_for(receipts + 1)
    assert k.state()["phase"] == "printed" and len(hall.printer.receipts) == receipts + 1


def test_paper_out_shows_the_qr_code_and_reports_the_fault(hall: Hall, k: Kiosk) -> None:
    hall.printer.set_status(PrinterStatus.PAPER_OUT)
    receipts = len(hall.printer.receipts)
    to_confirm(k, "H", "gas-service")
    k.tap("take")
    ticket = issued(k, "print_failed")["ticket"]
    status = k.call("text", id="print_status")["text"].replace("\n", "")
    assert status == "打印机故障，请用手机扫码保存号码"
    qr = k.call("text", id="qr")
    assert qr["opacity"] == 1 and qr["height"] >= 400
    assert k.call("text", id="number")["text"] == ticket["number"]
    shot(k, "zh-issued-paper-out")
    def reported() -> list[dict[str, Any]]:
        devices = hall.api.http.get("/api/devices", headers=hall.admin).json()
        return [d for d in devices if d["name"] == "大厅取号机" and d["status"] == "paper_out"]

    eventually(reported, 10, "paper_out reported to the server")
    assert len(hall.printer.receipts) == receipts
    # The ticket itself exists and waits: a print failure never loses it.
    got = hall.api.http.get(f"/api/tickets/{ticket['id']}", params={"token": ticket["token"]})
    assert got.json()["status"] == "waiting"


def test_idle_timeout_returns_home(k: Kiosk) -> None:
    to_confirm(k)
    k.tap("language")
    k.wait(lambda s: s["language"] == "en", what="en")
    k.call("set_idle", seconds=2)
    state = k.wait_screen("home", timeout=8)
    assert state["language"] == "zh" and state["key"] is None


def test_bursts_of_hall_events_update_counts_with_few_redraws(hall: Hall, k: Kiosk) -> None:
    headers, _ = hall.api.device("kiosk")
    k.wait(lambda s: s["hall_settled"] and s["hall_seq"] >= hall_seq(hall), what="settled")
    redraws = k.state()["redraws"]
    for _ in range(10):
        hall.api.issue(headers, "land-registration")
    expected = f"等候 {waiting(hall.api, 'land-registration')} 人"
    k.wait(lambda s: expected in k.call("text", id="cat_E")["text"], 10, expected)
    seq = hall_seq(hall)
    k.wait(lambda s: s["hall_settled"] and s["hall_seq"] >= seq, what="every event applied")
    assert k.state()["redraws"] - redraws <= 3


def test_screenshots_of_every_screen_in_both_languages(hall: Hall, k: Kiosk) -> None:
    for lang in ("zh", "en"):
        if k.state()["language"] != lang:
            k.tap("language")
            k.wait(lambda s, lang=lang: s["language"] == lang, what=lang)
        shot(k, f"{lang}-home")
        k.tap("cat_E")
        k.wait_screen("services")
        shot(k, f"{lang}-services")
        k.tap("svc_rural-housing")
        k.wait_screen("confirm")
        k.tap("prio_elderly")
        k.wait(lambda s: s["priority"] == "elderly", what="priority")
        shot(k, f"{lang}-confirm")
        k.tap("take")
        ticket = issued(k)["ticket"]
        audit = shot(k, f"{lang}-issued")
        assert audit["largest"]["id"] == "number"
        eta = k.call("text", id="eta")["text"]
        not_open = not serving_open(hall.api, ticket)
        assert eta and eta == eta_line(lang, ticket.get("eta_minutes"), not_open), (lang, eta, ticket)
        k.tap("done")
        k.wait_screen("home")
        k.tap("guide")
        k.wait_screen("guide")
        shot(k, f"{lang}-guide")
        k.tap("guide_cat_E")
        k.wait(lambda s: any(i.startswith("matter_") for i in k.call("ids")["ids"]),
               what="the category's matters")
        shot(k, f"{lang}-guide-category")
        matter = next(i for i in k.call("ids")["ids"] if i.startswith("matter_"))
        k.tap(matter)
        k.wait(lambda s: "guide_verdict" in k.call("ids")["ids"], what="matter open")
        shot(k, f"{lang}-guide-matter")
        k.tap("home")
        k.wait_screen("home")
    names = ("home", "services", "confirm", "issued", "guide", "guide-category", "guide-matter")
    for lang in ("zh", "en"):
        for name in names:
            assert (SHOTS / f"{lang}-{name}.png").stat().st_size > 10_000, (lang, name)


def test_before_its_windows_open_the_kiosk_and_the_slip_count_from_opening(hall: Hall, k: Kiosk) -> None:
    # No test in this module opens a window, and none takes a forestry ticket before this one.
    button, receipts = "svc_forestry-permit", len(hall.printer.receipts)
    k.tap("cat_D")
    k.wait_screen("services")
    assert k.call("text", id=button)["text"].endswith("等候 0 人 · 窗口还没开始办理")
    shot(k, "zh-services-before-opening")
    k.tap(button)
    k.wait_screen("confirm")
    k.tap("take")
    first = issued(k)["ticket"]
    assert round(first["eta_minutes"]) == 0, first  # every window that serves it counted as open
    assert k.call("text", id="eta")["text"] == "窗口还没开始办理，开始后按顺序叫号"
    shot(k, "zh-issued-before-opening")
    slip = hall.printer.wait_for(receipts + 1)[-1]
    assert "窗口还没开始办理，开始后按顺序叫号" in "".join(slip.lines) and "预计等候" not in slip.transcript

    assert hall.api.http.post("/api/windows/10/open", headers=hall.admin).status_code == 200
    try:
        k.tap("done")
        k.wait_screen("home")
        k.tap("cat_D")
        k.wait_screen("services")
        k.wait(lambda s: "开始办理" not in k.call("text", id=button)["text"], what="the wait once 10 opens")
        eta = service_eta(hall.api, "forestry-permit")
        assert eta > 0 and k.call("text", id=button)["text"].endswith(f"等候 1 人 · {eta_choice('zh', eta)}")
        k.tap(button)
        k.wait_screen("confirm")
        k.tap("take")
        second = issued(k)["ticket"]
        assert second["ahead"] == 1 and second["eta_minutes"] > 0, second
        assert k.call("text", id="eta")["text"] == eta_line("zh", second["eta_minutes"])
        assert "预计等候约" in hall.printer.wait_for(receipts + 2)[-1].transcript
    finally:
        hall.api.http.post("/api/windows/10/close", headers=hall.admin)


def test_server_down_shows_out_of_service_and_recovers(hall: Hall, k: Kiosk) -> None:
    hall.server.stop()
    try:
        k.wait_screen("out_of_service", timeout=15)
        shot(k, "zh-out-of-service")
        k.tap("language")
        k.wait(lambda s: s["language"] == "en", what="en")
        shot(k, "en-out-of-service")
        k.tap("language")
        with pytest.raises(httpx.HTTPError):
            httpx.get(hall.server.url + "/healthz", timeout=1)
    finally:
        hall.server.start()
    k.wait_screen("home", timeout=20)
    # Back to normal: a ticket can be taken again.
    to_confirm(k)
    k.tap("take")
    assert issued(k)["ticket"]["number"].startswith("A")
