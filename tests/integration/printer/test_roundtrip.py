"""Layout -> real TCP -> virtual printer -> PNG and transcript, in both modes and widths."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import zxingcpp
from escpos.image import EscposImage

from printer.layout import Line, raster_text_lines, receipt_blocks, resolve_faces
from printer.layout import printed_lines as layout_lines
from printer.profile import PrinterProfile
from printer.receipt import Receipt, sample_receipt
from printer.service import print_receipt
from printer.settings import PrinterSettings
from printer.virtual import ReceivedReceipt, VirtualPrinter, raster_fingerprint

ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts" / "receipts"
RECEIPT = sample_receipt()
CASES = [(w, t, q) for w in (58, 80) for t in ("gb18030", "raster") for q in ("native", "image")]


@pytest.fixture(scope="module")
def printer() -> Iterator[VirtualPrinter]:
    # An 80 mm mechanism: 58 mm layouts must narrow it themselves (GS W).
    vp = VirtualPrinter(port=0, out_dir=ARTIFACTS, width_mm=80, prefix="roundtrip")
    vp.start()
    try:
        yield vp
    finally:
        vp.stop()


def send(vp: VirtualPrinter, query: str, receipt: Receipt = RECEIPT) -> ReceivedReceipt:
    before = len(vp.receipts)
    print_receipt(receipt, f"{vp.url}?{query}", PrinterSettings(timeout_seconds=5))
    return vp.wait_for(before + 1, timeout=10)[before]


def decode_qr(png: Path) -> list[str]:
    from PIL import Image

    with Image.open(png) as img:
        return [r.text for r in zxingcpp.read_barcodes(img.convert("L"))]


def expected_raster_fingerprints(profile: PrinterProfile) -> dict[str, str]:
    """Map each printed text line to the fingerprint of the bitmap the layout sends for it."""
    face, bold = resolve_faces(profile)
    out = {}
    for block in receipt_blocks(RECEIPT):
        if isinstance(block, Line):
            for text, img in raster_text_lines(block, profile, face, bold):
                im = EscposImage(img)
                out[text] = raster_fingerprint(im.width_bytes, im.height, im.to_raster_format())
    return out


@pytest.mark.parametrize("width, text, qr", CASES)
def test_receipt_round_trips_to_a_png_with_a_readable_qr(
    printer: VirtualPrinter, width: int, text: str, qr: str
) -> None:
    rec = send(printer, f"width={width}&text={text}&qr={qr}")
    assert rec.png_path is not None and rec.png_path.exists()
    named = ARTIFACTS / f"receipt-{width}mm-{text}-{qr}.png"
    rec.image.save(named)
    assert rec.image.width == {58: 384, 80: 576}[width]
    assert decode_qr(rec.png_path) == [RECEIPT.track_url]
    assert rec.cut


@pytest.mark.parametrize("width", [58, 80])
def test_gb18030_transcript_holds_every_chinese_line_unwrapped(
    printer: VirtualPrinter, width: int
) -> None:
    profile = PrinterProfile(width_mm=width, text="gb18030")
    rec = send(printer, f"width={width}&text=gb18030")
    printed = [ln for ln in rec.lines if not ln.startswith(("[", "---"))]
    expected = [ln.rstrip() for ln in layout_lines(RECEIPT, profile)]
    # Equality (not containment): any line the printer had to wrap would show up split.
    assert printed == expected
    for must in ("剑阁县普安镇便民服务中心", "A007", "城乡居民养老保险", "优先：老年人",
                 "前面还有 3 人等候", "预计等候约 12 分钟", "□ 居民身份证原件", "详见二维码"):
        assert any(must in ln for ln in printed), must
    assert any("可在 3、4、5 号窗口办理" in ln for ln in printed)
    assert f"[QR] {RECEIPT.track_url}" in rec.lines


@pytest.mark.parametrize("width", [58, 80])
def test_raster_transcript_holds_the_bitmap_of_every_chinese_line(
    printer: VirtualPrinter, width: int
) -> None:
    profile = PrinterProfile(width_mm=width, text="raster")
    rec = send(printer, f"width={width}&text=raster")
    got = re.findall(r"\[raster (\d+)x\d+ #(\w+)\]", rec.transcript)
    assert {int(w) for w, _ in got} == {profile.dots}
    fingerprints = {fp for _, fp in got}
    expected = expected_raster_fingerprints(profile)
    assert any("前面还有 3 人等候" in t for t in expected)
    missing = [t for t, fp in expected.items() if fp not in fingerprints]
    assert missing == []
    # Chinese never travels as text in raster mode.
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in rec.transcript)


def test_nothing_is_drawn_beyond_the_58mm_paper(printer: VirtualPrinter) -> None:
    long = replace(RECEIPT, service_name="农村宅基地和村民自建住房审批及不动产登记",
                   hall_name="剑阁县普安镇便民服务中心（综合受理大厅）",
                   windows=list(range(1, 19)), footer="本凭条当日有效，过号请重新取号。" * 2)
    for mode in ("gb18030", "raster"):
        rec = send(printer, f"width=58&text={mode}", long)
        assert rec.image.width == 384
        rec.image.save(ARTIFACTS / f"receipt-58mm-{mode}-long.png")
        if mode == "gb18030":
            printed = [ln for ln in rec.lines if not ln.startswith(("[", "---"))]
            profile = PrinterProfile(width_mm=58)
            assert printed == [ln.rstrip() for ln in layout_lines(long, profile)]
            assert "可在 1—18 号窗口办理" in printed
        assert decode_qr(rec.png_path) == [long.track_url]  # type: ignore[arg-type]
