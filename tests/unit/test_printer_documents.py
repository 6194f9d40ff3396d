"""The three window documents of a case, as bytes (python-escpos Dummy, no device)."""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from printer.documents import (
    AcceptanceReceipt,
    CompletionNotice,
    MaterialsNotice,
    acceptance_from_case,
    completion_from_case,
    document_lines,
    long_date,
    notice_from_case,
    render_document,
    weekday_zh,
)
from printer.layout import gb_measure
from printer.profile import PrinterProfile
from tests.support import documents as samples

GB = {w: PrinterProfile(width_mm=w, text="gb18030") for w in (58, 80)}
RASTER = {w: PrinterProfile(width_mm=w, text="raster") for w in (58, 80)}
DOCS = {"acceptance": samples.acceptance(), "notice": samples.notice(), "completion": samples.completion()}
CASE = {
    "id": 41, "number": "BJ20241008-0007", "matter": "M0101", "matter_name": "更换残疾证",
    "mode": "deferred", "status": "accepted", "applicant": {"name": "李建国", "phone": "138****1234"},
    "accepted_at": "2024-09-27T09:30:00+08:00", "promised_days": 5, "due_date": "2024-10-11",
    "completed_at": None, "result": None, "result_note": None, "delivery": None,
    "track_url": "http://hall.local/m/c/41?token=abc",
}


def joined(doc: object, profile: PrinterProfile) -> str:
    return "\n".join(document_lines(doc, profile))  # type: ignore[arg-type]


def test_documents_print_the_applicant_name_as_the_server_masked_it() -> None:
    for doc in DOCS.values():
        assert doc.applicant == "王*英"
        for profile in GB.values():
            data = render_document(doc, profile)
            assert "王*英".encode("gb18030") in data


@pytest.mark.parametrize("width", [58, 80])
def test_acceptance_receipt_names_the_case_matter_due_date_and_windows(width: int) -> None:
    text = joined(DOCS["acceptance"], GB[width])
    for must in ("受理回执", "BJ20241008-0007", "申请人：王*英", "2024年10月14日", "星期一",
                 "受理窗口：1 号窗口", "18 号窗口领取", "7 个工作日", "剑阁县普安镇便民服务中心"):
        assert must in text, must
    assert "宅基地" in text


def test_acceptance_receipt_carries_the_tracking_url_as_a_native_qr() -> None:
    data = render_document(DOCS["acceptance"], GB[58])
    url = samples.TRACK_URL.encode()
    assert b"\x1d(k" + (len(url) + 3).to_bytes(2, "little") + b"1P0" + url in data


def test_onsite_acceptance_says_done_and_promises_no_date() -> None:
    text = joined(replace(DOCS["acceptance"], mode="onsite"), GB[80])
    assert "本事项已当场办结" in text
    assert "预计办结日期" not in text


def test_notice_lists_every_missing_material_numbered_and_never_shortened() -> None:
    many = replace(DOCS["notice"], missing=[f"第{i}项材料：村委会出具的证明原件及复印件" for i in range(1, 13)])
    for profile in (*GB.values(), *RASTER.values()):
        lines = document_lines(many, profile)
        text = "".join(line.strip("　 ") for line in lines)
        for i in range(1, 13):
            assert f"{i}．第{i}项材料：村委会出具的证明原件及复印件" in text
        assert "请补齐以下 12 项材料：" in lines
        assert not any("…" in line for line in lines)


def test_notice_wraps_a_long_material_under_its_own_text() -> None:
    lines = document_lines(DOCS["notice"], GB[58])
    start = lines.index("2．宅基地申请书")
    assert lines[start + 1].startswith("　 ")  # the hanging indent, not a new item


def test_notice_says_where_to_bring_the_materials_and_the_note() -> None:
    text = joined(DOCS["notice"], GB[80])
    assert "1 号窗口" in text and "大厅东侧综合受理区" in text
    assert "说明：复印件请用A4纸" in text
    assert "一次告知" in text


def test_notice_without_a_case_prints_no_number_and_no_qr() -> None:
    bare = MaterialsNotice(hall_name="大厅", matter_name="更换残疾证", missing=["一寸照片"], window=3,
                           issued_at=datetime(2024, 9, 27, 10, 0, tzinfo=samples.TZ))
    data = render_document(bare, GB[80])
    assert "办件编号".encode("gb18030") not in data
    assert b"\x1d(k" not in data


def test_notice_needs_a_missing_material() -> None:
    with pytest.raises(ValueError):
        replace(DOCS["notice"], missing=["  "])


@pytest.mark.parametrize("result, word, other",
                         [("approved", "准予办理", "不予办理"), ("refused", "不予办理", "准予办理")])
def test_completion_notice_states_the_result(result: str, word: str, other: str) -> None:
    text = joined(samples.completion(result), GB[80])
    assert word in text and other not in text
    assert "请到以下窗口领取" in text and "18 号窗口" in text


def test_completion_by_mail_names_no_pickup_window() -> None:
    text = joined(samples.completion(delivery="mail"), GB[80])
    assert "邮寄" in text and "窗口" not in text


def test_completion_refuses_an_unknown_result() -> None:
    with pytest.raises(ValueError):
        replace(DOCS["completion"], result="maybe")


def test_times_must_be_timezone_aware() -> None:
    with pytest.raises(ValueError):
        replace(DOCS["acceptance"], accepted_at=datetime(2024, 9, 27, 9, 30))


@pytest.mark.parametrize("kind", list(DOCS))
@pytest.mark.parametrize("width", [58, 80])
def test_every_gb18030_line_fits_the_paper(kind: str, width: int) -> None:
    data = render_document(DOCS[kind], GB[width])
    assert data.startswith(b"\x1b@\x1dL\x00\x00\x1dW" + GB[width].dots.to_bytes(2, "little"))
    assert data.endswith(b"\x1dV\x00") and data.count(b"\x1dV") == 1
    size = 0
    for m in re.finditer(rb"\x1d!(.)|\x1c&(.*?)\x1c\.", data, re.S):
        if m.group(1) is not None:
            size = m.group(1)[0]
            continue
        text = m.group(2).decode("gb18030")
        assert gb_measure(text) * ((size >> 4) + 1) <= GB[width].dots, text


@pytest.mark.parametrize("kind", list(DOCS))
def test_raster_mode_sends_only_paper_wide_bitmaps(kind: str) -> None:
    data = render_document(DOCS[kind], RASTER[58])
    assert b"\x1c&" not in data
    assert "办件".encode("gb18030") not in data
    widths = {m.group(1)[0] + 256 * m.group(1)[1] for m in re.finditer(rb"\x1dv0.(..)", data, re.S)}
    assert widths == {48}


def test_documents_build_from_an_api_case() -> None:
    acc = acceptance_from_case(CASE, hall_name="大厅", window=2, pickup_window=18)
    assert isinstance(acc, AcceptanceReceipt)
    assert (acc.number, acc.applicant, acc.due_date, acc.track_url) == (
        "BJ20241008-0007", "李建国", date(2024, 10, 11), "http://hall.local/m/c/41?token=abc")
    notice = notice_from_case(CASE, hall_name="大厅", window=2, missing=["照片"],
                              issued_at=datetime(2024, 9, 28, 9, 0, tzinfo=samples.TZ))
    assert notice.missing == ("照片",) and notice.number == "BJ20241008-0007"
    done = {**CASE, "status": "completed", "completed_at": "2024-10-09T16:00:00+08:00",
            "result": "refused", "result_note": "材料不实", "delivery": "pickup", "track_url": None}
    completion = completion_from_case(done, hall_name="大厅", pickup_window=18)
    assert isinstance(completion, CompletionNotice)
    assert (completion.result, completion.note, completion.track_url) == ("refused", "材料不实", None)
    with pytest.raises(ValueError):
        completion_from_case(CASE, hall_name="大厅", pickup_window=18)
    with pytest.raises(ValueError):
        acceptance_from_case({**CASE, "track_url": None}, hall_name="大厅", window=2, pickup_window=18)


def test_dates_are_written_the_chinese_way() -> None:
    assert long_date(date(2026, 1, 5)) == "2026年1月5日"
    assert weekday_zh(date(2026, 1, 4)) == "星期日"


def test_printer_package_never_imports_the_server() -> None:
    root = Path(__file__).resolve().parents[2] / "printer"
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "queue_server" for n in names), path
