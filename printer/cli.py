"""Command-line shells: `hall virtual-printer` and `hall printer-test`."""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

from printer.errors import PrinterError, PrinterFault
from printer.status import PrinterStatus

_STATUSES = [s.value for s in PrinterStatus]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the virtual-printer and printer-test subcommands to the `hall` CLI."""
    vp = subparsers.add_parser("virtual-printer", help="run the ESC/POS printer emulator")
    vp.add_argument("--host", default="127.0.0.1")
    vp.add_argument("--port", type=int, default=9100, help="TCP port (0 picks a free one)")
    vp.add_argument("--out", type=Path, default=Path("var/receipts"),
                    help="directory for receipt PNGs and transcripts")
    vp.add_argument("--status", choices=_STATUSES, default="ok",
                    help="what the printer answers to DLE EOT")
    vp.add_argument("--width", type=int, choices=[58, 80], default=80,
                    help="paper width of the emulated mechanism, in mm")
    vp.add_argument("--font", default=None, help="CJK font file (default: fontconfig)")
    vp.set_defaults(func=run_virtual_printer)

    pt = subparsers.add_parser("printer-test", help="print a sample receipt")
    pt.add_argument("url", metavar="PRINTER_URL",
                    help="tcp://HOST:PORT, usb://VID:PID, serial:///dev/ttyUSB0, file:///dev/usb/lp0")
    pt.add_argument("--timeout", type=float, default=None, help="seconds (default: settings)")
    pt.set_defaults(func=run_printer_test)


def run_virtual_printer(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    """Serve the virtual printer until interrupted (or until stop is set)."""
    from printer.virtual import VirtualPrinter

    printer = VirtualPrinter(
        host=args.host, port=args.port, out_dir=args.out, status=PrinterStatus(args.status),
        width_mm=args.width, font_path=args.font,
    )
    try:
        printer.start()
    except OSError as exc:
        print(f"virtual printer: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    stop = stop or threading.Event()
    print(f"virtual printer listening on {printer.url} ({args.width} mm, status {args.status}); "
          f"receipts go to {args.out}/", flush=True)
    seen = 0
    try:
        while not stop.wait(0.2):
            for rec in printer.receipts[seen:]:
                print(f"receipt {rec.index}: {rec.png_path}", flush=True)
            seen = len(printer.receipts)
    except KeyboardInterrupt:
        pass
    finally:
        printer.stop()
    return 0


def run_printer_test(args: argparse.Namespace) -> int:
    """Print the sample receipt; exit 2 if the printer reports a fault, 1 on other failures."""
    from printer.receipt import sample_receipt
    from printer.service import print_receipt
    from printer.settings import PrinterSettings

    settings = PrinterSettings()
    if args.timeout is not None:
        settings = settings.model_copy(update={"timeout_seconds": args.timeout})
    try:
        report = print_receipt(sample_receipt(settings.footer), args.url, settings)
    except PrinterFault as exc:
        print(f"printer fault: {exc.status.value} — {exc.message_zh} ({exc})", file=sys.stderr)
        return 2
    except PrinterError as exc:
        print(f"printing failed: {exc.message_zh} ({exc})", file=sys.stderr)
        return 1
    note = f" ({report.detail})" if report.detail else ""
    print(f"sample receipt sent to {args.url}; printer status {report.status.value}{note}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the printer subcommands standalone (`python -m printer.cli ...`)."""
    parser = argparse.ArgumentParser(prog="printer")
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
