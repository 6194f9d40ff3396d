"""Case documents -> real TCP -> virtual printer -> PNG: readable, and the QR decodes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from printer.documents import Document, document_lines
from printer.errors import PrinterFault
from printer.profile import PrinterProfile
from printer.service import print_document
from printer.settings import PrinterSettings
from printer.status import PrinterStatus
from printer.virtual import ReceivedReceipt, VirtualPrinter
from tests.support import documents as samples

ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts" / "receipts" / "documents"
DOCS: dict[str, Document] = {
    "acceptance": samples.acceptance(), "notice": samples.notice(), "completion": samples.completion(),
}
MODES = [(w, t) for w in (58, 80) for t in ("gb18030", "raster")]


@pytest.fixture(scope="module")
def printer() -> Iterator[VirtualPrinter]:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    vp = VirtualPrinter(port=0, out_dir=ARTIFACTS / "raw", width_mm=80, prefix="doc")
    vp.start()
    try:
        yield vp
    finally:
        vp.stop()


def send(vp: VirtualPrinter, doc: Document, query: str) -> ReceivedReceipt:
    before = len(vp.receipts)
    print_document(doc, f"{vp.url}?{query}", PrinterSettings(timeout_seconds=5))
    return vp.wait_for(before + 1, timeout=10)[before]


def decode_qr(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image.convert("L"))]


@pytest.mark.parametrize("width, text", MODES)
@pytest.mark.parametrize("kind", list(DOCS))
def test_each_document_prints_at_paper_width_with_a_readable_qr(
    printer: VirtualPrinter, kind: str, width: int, text: str
) -> None:
    rec = send(printer, DOCS[kind], f"width={width}&text={text}")
    rec.image.save(ARTIFACTS / f"{kind}-{width}mm-{text}.png")
    assert rec.image.width == {58: 384, 80: 576}[width]
    assert rec.cut
    assert decode_qr(rec.image) == [samples.TRACK_URL]


@pytest.mark.parametrize("width", [58, 80])
@pytest.mark.parametrize("kind", list(DOCS))
def test_gb18030_transcript_is_exactly_the_layout(printer: VirtualPrinter, kind: str, width: int) -> None:
    rec = send(printer, DOCS[kind], f"width={width}&text=gb18030")
    printed = [ln for ln in rec.lines if not ln.startswith(("[", "---"))]
    # Equality: a line the printer had to wrap by itself would show up split.
    assert printed == [ln.rstrip() for ln in document_lines(DOCS[kind], PrinterProfile(width_mm=width))]
    assert "BJ20241008-0007" in printed


def test_acceptance_receipt_shows_the_case_number_and_the_tracking_qr(printer: VirtualPrinter) -> None:
    rec = send(printer, DOCS["acceptance"], "width=80&text=gb18030")
    assert "BJ20241008-0007" in rec.lines
    assert "2024年10月14日" in rec.lines
    assert f"[QR] {samples.TRACK_URL}" in rec.lines
    assert decode_qr(rec.image) == [samples.TRACK_URL]


def test_a_faulty_printer_refuses_the_document_and_prints_nothing(printer: VirtualPrinter) -> None:
    printer.set_status(PrinterStatus.PAPER_OUT)
    before = len(printer.receipts)
    try:
        with pytest.raises(PrinterFault) as exc:
            print_document(DOCS["completion"], f"{printer.url}?width=80", PrinterSettings(timeout_seconds=5))
        assert exc.value.status == PrinterStatus.PAPER_OUT
        assert len(printer.receipts) == before
    finally:
        printer.set_status(PrinterStatus.OK)
