"""Byte-level tests of the receipt layout (python-escpos Dummy, no device)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from printer.layout import (
    Line,
    format_windows,
    gb_measure,
    printed_lines,
    receipt_blocks,
    render_receipt,
    wrap,
)
from printer.profile import PrinterProfile
from printer.receipt import sample_receipt

RECEIPT = sample_receipt()
GB = {w: PrinterProfile(width_mm=w, text="gb18030", qr="native") for w in (58, 80)}
RASTER = {w: PrinterProfile(width_mm=w, text="raster", qr="native") for w in (58, 80)}


def gb(text: str) -> bytes:
    return b"\x1c&" + text.encode("gb18030") + b"\x1c."


def raster_headers(data: bytes) -> list[tuple[int, int]]:
    """Return (width_bytes, height) of every GS v 0 in data."""
    return [
        (m.group(2)[0] + 256 * m.group(2)[1], m.group(3)[0] + 256 * m.group(3)[1])
        for m in re.finditer(rb"\x1dv0(.)(..)(..)", data, re.S)
    ]


@pytest.mark.parametrize("width, dots", [(58, 384), (80, 576)])
def test_receipt_starts_with_init_and_print_area_and_ends_with_cut(width: int, dots: int) -> None:
    data = render_receipt(RECEIPT, GB[width])
    assert data.startswith(b"\x1b@\x1dL\x00\x00\x1dW" + dots.to_bytes(2, "little"))
    assert data.endswith(b"\x1bd\x06\x1dV\x00")
    assert data.count(b"\x1dV") == 1


def test_gb18030_mode_sends_chinese_lines_inside_fs_ampersand() -> None:
    data = render_receipt(RECEIPT, GB[80])
    for text in (
        "剑阁县普安镇便民服务中心", "前面还有 3 人等候", "预计等候约 12 分钟",
        "请留意叫号，可在 3、4、5 号窗口办理", "优先：老年人", "取号时间：2024-06-13 09:05",
    ):
        assert text.encode("gb18030") in data
    assert gb("剑阁县普安镇便民服务中心") + b"\n" in data


def test_ticket_number_is_printed_as_code_page_text_at_the_largest_size_that_fits() -> None:
    # 58 mm: (384 - 24) // (4 * 12) = 7 -> GS ! 0x66; 80 mm caps at 8 -> GS ! 0x77.
    assert b"\x1d!\x66A007\n" in render_receipt(RECEIPT, GB[58])
    assert b"\x1d!\x77A007\n" in render_receipt(RECEIPT, GB[80])


def test_native_qr_stores_the_track_url_and_prints_it() -> None:
    data = render_receipt(RECEIPT, GB[58])
    url = RECEIPT.track_url.encode()
    store = b"\x1d(k" + (len(url) + 3).to_bytes(2, "little") + b"1P0" + url
    assert store in data
    assert b"\x1d(k\x03\x001Q0" in data
    assert b"\x1dv0" not in data


def test_image_qr_is_a_paper_wide_raster_and_no_native_qr() -> None:
    data = render_receipt(RECEIPT, replace(GB[58], qr="image"))
    assert b"\x1d(k" not in data
    assert raster_headers(data) and all(wb == 48 for wb, _ in raster_headers(data))


@pytest.mark.parametrize("width, width_bytes", [(58, 48), (80, 72)])
def test_raster_mode_sends_no_hanzi_bytes_only_paper_wide_bitmaps(
    width: int, width_bytes: int
) -> None:
    data = render_receipt(RECEIPT, RASTER[width])
    assert b"\x1c&" not in data
    assert "剑阁".encode("gb18030") not in data
    headers = raster_headers(data)
    assert len(headers) >= 15
    assert {wb for wb, _ in headers} == {width_bytes}
    assert data.count(b"\x1d(k") == 5  # the QR stays native


@pytest.mark.parametrize("profile", [*GB.values(), *RASTER.values()], ids=str)
def test_rendering_is_deterministic(profile: PrinterProfile) -> None:
    assert render_receipt(RECEIPT, profile) == render_receipt(RECEIPT, profile)


@pytest.mark.parametrize("width", [58, 80])
def test_every_gb18030_line_fits_the_paper_at_its_size(width: int) -> None:
    # Any line wider than the paper would be wrapped by the printer mid-word.
    data = render_receipt(RECEIPT, GB[width])
    dots = GB[width].dots
    size = 0
    for m in re.finditer(rb"\x1d!(.)|\x1c&(.*?)\x1c\.", data, re.S):
        if m.group(1) is not None:
            size = m.group(1)[0]
            continue
        mult = (size >> 4) + 1
        text = m.group(2).decode("gb18030")
        assert gb_measure(text) * mult <= dots, text


def test_priority_mark_is_shown_only_for_a_priority_ticket() -> None:
    assert "优先：老年人".encode("gb18030") in render_receipt(RECEIPT, GB[58])
    plain = render_receipt(replace(RECEIPT, priority=None), GB[58])
    assert "优先".encode("gb18030") not in plain
    veteran = render_receipt(replace(RECEIPT, priority="veteran"), GB[58])
    assert "优先：退役军人".encode("gb18030") in veteran


def test_long_material_list_is_cut_to_five_lines_with_a_pointer_to_the_qr() -> None:
    lines = printed_lines(RECEIPT, GB[58])
    items = [line for line in lines if line.startswith("□")]
    assert len(items) == 4
    assert "……另有 2 项，详见二维码" in lines
    assert items[3].endswith("…")  # too long for 58 mm, shortened rather than wrapped


def test_short_material_list_is_printed_whole_and_points_to_the_qr() -> None:
    lines = printed_lines(replace(RECEIPT, materials=["居民身份证", "社会保障卡"]), GB[58])
    assert [line for line in lines if line.startswith("□")] == ["□ 居民身份证", "□ 社会保障卡"]
    assert "完整材料清单详见二维码" in lines


def test_unknown_eta_leaves_out_the_wait_line_but_keeps_the_count() -> None:
    lines = printed_lines(replace(RECEIPT, eta_minutes=None, ahead=0), GB[80])
    assert "前面还有 0 人等候" in lines
    assert not any("预计" in line for line in lines)


def test_eta_is_rounded_to_whole_minutes_and_never_zero() -> None:
    assert "预计等候约 1 分钟" in printed_lines(replace(RECEIPT, eta_minutes=0.2), GB[80])
    assert "预计等候约 13 分钟" in printed_lines(replace(RECEIPT, eta_minutes=12.5), GB[80])


def test_window_list_breaks_after_the_comma_on_58mm() -> None:
    lines = printed_lines(RECEIPT, GB[58])
    assert lines[lines.index("请留意叫号，") + 1] == "可在 3、4、5 号窗口办理"


def test_windows_fold_long_runs_only() -> None:
    assert format_windows([5, 3, 4]) == "3、4、5"
    assert format_windows(range(1, 19)) == "1—18"
    assert format_windows([1, 2, 3, 4, 7, 9, 10]) == "1—4、7、9、10"


def test_wrap_keeps_lines_within_width_and_punctuation_off_line_starts() -> None:
    text = "委托他人代办的，需提供代办人身份证原件、委托书，以及被委托人的联系电话13800000000。"
    for width in (120, 200, 300):
        lines = wrap(text, gb_measure, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert all(gb_measure(line) <= width for line in lines)
        assert not any(line[0] in "，。、" for line in lines)


def test_blocks_follow_the_reading_order_of_the_slip() -> None:
    texts = [b.text for b in receipt_blocks(RECEIPT) if isinstance(b, Line)]
    order = ["剑阁县普安镇便民服务中心", "A007", "城乡居民养老保险", " 优先：老年人 ",
             "前面还有 3 人等候", "请备齐以下材料：", "取号时间：2024-06-13 09:05"]
    assert [texts.index(t) for t in order] == sorted(texts.index(t) for t in order)


def test_appointment_mark_names_the_slot_only_for_a_checked_in_appointment() -> None:
    assert "预约".encode("gb18030") not in render_receipt(RECEIPT, GB[58])
    start = RECEIPT.issued_at.replace(hour=9, minute=30)
    booked = render_receipt(replace(RECEIPT, appointment_start=start), GB[58])
    assert "预约 09:30 时段".encode("gb18030") in booked


@pytest.mark.parametrize("width", [58, 80])
def test_before_its_windows_open_the_wait_counts_from_opening(width: int) -> None:
    # The estimate assumes every window that serves it is open until one is (API.md).
    first = "".join(printed_lines(replace(RECEIPT, windows_open=False, eta_minutes=0.0, ahead=0), GB[width]))
    assert "窗口还没开始办理，开始后按顺序叫号" in first
    assert "预计等候" not in first
    later = "".join(printed_lines(replace(RECEIPT, windows_open=False, eta_minutes=12.4), GB[width]))
    assert "开始办理后约 12 分钟叫到" in later and "预计等候" not in later
    assert "预计等候约 12 分钟" in "".join(printed_lines(replace(RECEIPT, eta_minutes=12.4), GB[width]))
