"""The virtual printer's ESC/POS decoder, fed directly (no sockets)."""

from __future__ import annotations

from printer.layout import printed_lines, render_receipt
from printer.profile import PrinterProfile
from printer.receipt import sample_receipt
from printer.status import STATUS_QUERY, PrinterStatus
from printer.virtual import EscPosInterpreter

RECEIPT = sample_receipt()


def test_decodes_gb18030_and_code_page_lines_into_the_transcript() -> None:
    profile = PrinterProfile(width_mm=58)
    interp = EscPosInterpreter(dots=576)
    interp.feed(render_receipt(RECEIPT, profile))
    [(image, transcript, cut)] = interp.finished
    assert cut and transcript.endswith("[cut]\n")
    lines = [line for line in transcript.splitlines() if not line.startswith(("[", "---"))]
    # The same lines, none wrapped again by the printer.
    assert lines == [line.rstrip() for line in printed_lines(RECEIPT, profile)]
    assert image.width == 384  # GS W narrowed the 80 mm mechanism to the 58 mm layout
    assert f"[QR] {RECEIPT.track_url}" in transcript


def test_byte_by_byte_delivery_gives_the_same_receipt() -> None:
    data = render_receipt(RECEIPT, PrinterProfile(width_mm=80, qr="image"))
    whole = EscPosInterpreter()
    whole.feed(data)
    trickle = EscPosInterpreter()
    for i in range(len(data)):
        trickle.feed(data[i : i + 1])
    assert trickle.finished[0][1] == whole.finished[0][1]
    assert trickle.finished[0][0].tobytes() == whole.finished[0][0].tobytes()


def test_answers_dle_eot_with_the_configured_status() -> None:
    interp = EscPosInterpreter(status=PrinterStatus.COVER_OPEN)
    assert interp.feed(STATUS_QUERY) == bytes([0x1A, 0x16, 0x12, 0x12])


def test_two_cuts_make_two_receipts_and_text_without_cut_is_kept_on_close() -> None:
    interp = EscPosInterpreter()
    interp.feed(b"\x1b@one\n\x1dV\x00two\n\x1dV\x00three")
    interp.close()
    assert [t.splitlines()[0] for _, t, _ in interp.finished] == ["one", "two", "three"]
    assert [cut for _, _, cut in interp.finished] == [True, True, False]


def test_over_long_line_wraps_at_the_print_area_like_a_real_printer() -> None:
    interp = EscPosInterpreter(dots=384)
    interp.feed(b"\x1c&" + ("汉" * 20).encode("gb18030") + b"\x1c.\n\x1dV\x00")
    lines = interp.finished[0][1].splitlines()
    assert lines[:2] == ["汉" * 16, "汉" * 4]
