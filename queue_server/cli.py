"""The `hall` command."""

from __future__ import annotations

import argparse
import sys


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the queue server."""
    import uvicorn

    from queue_server.settings import ServerSettings

    settings = ServerSettings()
    if args.workers > 1 and settings.resolved_database_url().startswith("sqlite"):
        print("多个工作进程需要 PostgreSQL：请设置 HALL_DATABASE_URL=postgresql+psycopg://...\n"
              "More than one worker needs PostgreSQL (set HALL_DATABASE_URL).", file=sys.stderr)
        return 2
    if args.workers > 1:
        uvicorn.run("queue_server.asgi:app", host=args.host, port=args.port,
                    workers=args.workers, log_level="info")
        return 0
    from queue_server.app import create_app

    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="hall", description="乡镇便民服务中心排队叫号系统")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the queue server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the hall command line."""
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
