"""Command-line shell: `hall virtual-id-reader`."""

from __future__ import annotations

import argparse
import sys
import threading


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the virtual-id-reader subcommand to the `hall` CLI."""
    vr = subparsers.add_parser("virtual-id-reader", help="run the 二代证 ID-card reader emulator")
    vr.add_argument("--host", default="127.0.0.1")
    vr.add_argument("--port", type=int, default=9300, help="TCP port for readers (0 picks a free one)")
    vr.add_argument("--control-port", type=int, default=None,
                    help="loopback port for present/remove/status/fault lines (default: port + 1)")
    vr.add_argument("--card", default=None, metavar="NAME,ID_NUMBER[,key=value…]",
                    help="the card on the reader at start, e.g. 张三,510823198001011234")
    vr.set_defaults(func=run_virtual_id_reader)


def run_virtual_id_reader(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    """Serve the virtual reader until interrupted (or until stop is set)."""
    from idreader.virtual import VirtualIdReader, card_from_spec

    try:
        card = card_from_spec(args.card) if args.card else None
    except ValueError as exc:
        print(f"virtual-id-reader: {exc}", file=sys.stderr)
        return 2
    control = args.control_port if args.control_port is not None else (args.port + 1 if args.port else 0)
    reader = VirtualIdReader(port=args.port, host=args.host, control_port=control, card=card)
    try:
        reader.start()
    except OSError as exc:
        reader.stop()
        print(f"virtual-id-reader: 无法监听 cannot listen on {args.host}:{args.port}/{control}: {exc}",
              file=sys.stderr)
        return 1
    print(f"virtual ID-card reader listening on {reader.url}; control on 127.0.0.1:{reader.control_port} "
          f"(present 姓名,身份证号 | remove | status | fault NAME|none); card: {card!r}", flush=True)
    stop = stop or threading.Event()
    seen = 0
    try:
        while not stop.wait(0.2):
            if reader.cards_read != seen:
                seen = reader.cards_read
                print(f"card read ({seen}): {reader.card!r}", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        reader.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the reader subcommands standalone (`python -m idreader.cli ...`)."""
    parser = argparse.ArgumentParser(prog="idreader")
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
