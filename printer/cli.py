"""Command-line shells: `hall virtual-printer`, `hall printer-test` and `hall print-agent`."""

from __future__ import annotations

import argparse
import os
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

    pa = subparsers.add_parser("print-agent", help="print a county server's window documents in the hall")
    pa.add_argument("--server", required=True,
                    help="the server's URL with the hall's prefix, e.g. https://county.example/h/puan")
    token = pa.add_mutually_exclusive_group()
    token.add_argument("--device-token", default=None,
                       help="the print_agent device token (or env PRINT_AGENT_DEVICE_TOKEN)")
    token.add_argument("--device-token-file", type=Path, default=None,
                       help="a file holding the token (keeps it out of the process list)")
    pa.add_argument("--printer", action="append", default=[], metavar="NAME=PRINTER_URL",
                    help="a local printer the server names agent://NAME (repeat for several)")
    pa.add_argument("--timeout", type=float, default=3.0,
                    help="seconds for each local printer's status query and connection")
    pa.add_argument("--no-status", action="store_true", help="do not ask printers for their status")
    pa.set_defaults(func=run_print_agent)


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


def _agent_token(args: argparse.Namespace) -> str:
    if args.device_token_file is not None:
        try:
            return str(args.device_token_file.read_text(encoding="utf-8").strip())
        except OSError as exc:
            raise PrinterError(f"cannot read {args.device_token_file}: {exc}",
                               message_zh=f"无法读取令牌文件 {args.device_token_file}") from exc
    return str(args.device_token or os.environ.get("PRINT_AGENT_DEVICE_TOKEN", "")).strip()


def run_print_agent(args: argparse.Namespace) -> int:
    """Run the print agent until interrupted; exit 2 on bad options, 3 if every printer was taken over."""
    import asyncio
    import logging
    import signal

    from printer.agent import AgentConfig, PrintAgent
    from printer.agentwire import printer_option

    # force: importing the `hall` command may have set up logging already; the agent's lines must show.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", force=True)
    try:
        token = _agent_token(args)
        if not token:
            raise PrinterError("no device token", message_zh="缺少设备令牌：--device-token、--device-token-file "
                               "或环境变量 PRINT_AGENT_DEVICE_TOKEN")
        if not args.printer:
            raise PrinterError("no --printer", message_zh="至少需要一个 --printer 名称=打印机地址")
        printers = dict(printer_option(p) for p in args.printer)
        if len(printers) != len(args.printer):
            raise PrinterError("a printer name is given twice", message_zh="--printer 的名称重复")
        config = AgentConfig(args.server, token, printers, printer_timeout=args.timeout,
                             check_status=not args.no_status)
    except PrinterError as exc:
        print(f"print-agent: {exc.message_zh} / {exc}", file=sys.stderr)
        return 2
    agent = PrintAgent(config)

    async def main() -> int:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, agent.stop)
        return await agent.run()

    return asyncio.run(main())


def main(argv: list[str] | None = None) -> int:
    """Run the printer subcommands standalone (`python -m printer.cli ...`)."""
    parser = argparse.ArgumentParser(prog="printer")
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
