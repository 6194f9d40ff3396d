"""The `hall` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the queue server."""
    import uvicorn

    from queue_server.core.logs import log_config
    from queue_server.core.settings import ServerSettings

    settings = ServerSettings()
    if args.workers > 1 and settings.resolved_database_url().startswith("sqlite"):
        print("多个工作进程需要 PostgreSQL：请设置 HALL_DATABASE_URL=postgresql+psycopg://…\n"
              "More than one worker needs PostgreSQL (set HALL_DATABASE_URL).", file=sys.stderr)
        return 2
    if args.workers > 1:
        uvicorn.run("queue_server.asgi:app", host=args.host, port=args.port,
                    workers=args.workers, log_level="info", ws_max_size=settings.ws_max_size,
                    access_log=settings.access_log,
                    log_config=log_config(), forwarded_allow_ips=args.forwarded_allow_ips)
        return 0
    from queue_server.app.factory import create_app

    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info",
                ws_max_size=settings.ws_max_size, log_config=log_config(), access_log=settings.access_log,
                forwarded_allow_ips=args.forwarded_allow_ips)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """Write a consistent copy of the live database to FILE."""
    from queue_server.core.settings import ServerSettings
    from queue_server.jobs.backup import BackupError, backup

    try:
        backup(ServerSettings().resolved_database_url(), Path(args.file))
    except BackupError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"已备份到 {args.file}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore FILE into the stopped server's database."""
    from queue_server.core.settings import ServerSettings
    from queue_server.jobs.backup import BackupError, restore

    try:
        restore(ServerSettings().resolved_database_url(), Path(args.file))
    except BackupError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"已从 {args.file} 恢复；请启动服务 (start the server)")
    return 0


def _command(name: str) -> Any:
    """Return a command of app/commands.py, imported only when it runs (the CLI starts fast)."""
    def run(args: argparse.Namespace) -> int:
        from queue_server.app import commands

        result: int = getattr(commands, name)(args)
        return result

    return run


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand."""
    from queue_server.devtools import demo

    parser = argparse.ArgumentParser(prog="hall", description="乡镇便民服务中心排队叫号系统")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the queue server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--forwarded-allow-ips", default=None,
                       help="proxies whose X-Forwarded-For is believed (docs/deployment.md)")
    serve.set_defaults(func=cmd_serve)

    demo.register(sub)

    users = sub.add_parser("users", help="manage staff users").add_subparsers(dest="users",
                                                                              required=True)
    add = users.add_parser("add", help="add a staff user")
    add.add_argument("name")
    add.add_argument("--role", choices=["clerk", "manager", "admin", "agent"], required=True)
    add.add_argument("--station", help="an agent's village station code, e.g. V07")
    add.add_argument("--display-name", default="")
    add.add_argument("--hall", help="the hall's code (default: the default hall); '*' for county-wide")
    add.set_defaults(func=_command("users_add"))
    passwd = users.add_parser("passwd", help="set a user's password; ends their sessions")
    passwd.add_argument("name")
    passwd.set_defaults(func=_command("users_passwd"), hall=None)
    disable = users.add_parser("disable", help="disable a user; ends their sessions")
    disable.add_argument("name")
    disable.set_defaults(func=_command("users_disable"), hall=None)

    halls = sub.add_parser("halls", help="the county's halls").add_subparsers(dest="halls", required=True)
    hadd = halls.add_parser("add", help="add a hall to the county")
    hadd.add_argument("code", help="2–32 lower-case letters, digits and -")
    hadd.add_argument("--name", required=True)
    hadd.add_argument("--short-name", dest="short_name")
    source = hadd.add_mutually_exclusive_group()
    source.add_argument("--copy-from", dest="copy_from", help="copy this hall's catalogue and settings")
    source.add_argument("--config", help="a hall YAML file")
    hadd.set_defaults(func=_command("halls_add"))
    hlist = halls.add_parser("list", help="list the county's halls")
    hlist.set_defaults(func=_command("halls_list"))

    for name, func, text in (("backup", cmd_backup, "copy the live database to FILE"),
                             ("restore", cmd_restore, "restore FILE into the stopped database")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("file")
        cmd.set_defaults(func=func)

    config = sub.add_parser("config", help="hall configuration").add_subparsers(dest="config",
                                                                                required=True)
    export = config.add_parser("export", help="write a hall's configuration to YAML")
    export.add_argument("file")
    export.add_argument("--hall", help="the hall's code (default: the default hall)")
    export.set_defaults(func=_command("config_export"))
    imp = config.add_parser("import", help="load a hall's configuration from YAML")
    imp.add_argument("file")
    imp.add_argument("--hall", help="the hall's code (default: the file's own)")
    imp.set_defaults(func=_command("config_import"))

    from printer.cli import register as register_printer

    register_printer(sub)
    from idreader.cli import register as register_id_reader

    register_id_reader(sub)
    try:
        import kiosk.cli as kiosk_cli
    except ImportError:  # the kiosk package itself is missing from this install
        kiosk_cli = None  # type: ignore[assignment]
    if kiosk_cli is not None:
        kiosk_cli.register(sub)  # without Kivy, `hall kiosk` says which extra to install
    else:
        missing = sub.add_parser("kiosk", help="run the Kivy ticket kiosk (needs the [kiosk] extra)")
        missing.set_defaults(func=lambda _args: print(
            "hall kiosk 需要安装取号机组件 (the kiosk needs Kivy): pip install 'hall-queue[kiosk]'",
            file=sys.stderr) or 2)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the hall command line."""
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
