"""The `hall` command."""

from __future__ import annotations

import argparse
import getpass
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


def _prepared_engine() -> tuple[Any, Any]:
    from queue_server.core.settings import ServerSettings
    from queue_server.db.engine import make_engine
    from queue_server.db.migrate import upgrade

    settings = ServerSettings()
    engine = make_engine(settings.resolved_database_url())
    upgrade(engine)
    return settings, engine


def _read_password() -> str | None:
    if sys.stdin.isatty():
        password = getpass.getpass("密码 Password: ")
        return password if getpass.getpass("再输一次 Again: ") == password else None
    return sys.stdin.readline().rstrip("\n")


def cmd_users_add(args: argparse.Namespace) -> int:
    """Add a staff user, asking for the password or reading it from standard input."""
    from pydantic import ValidationError

    from queue_server.app.bootstrap import choose_config, load_secret
    from queue_server.app.handlers import message_bus
    from queue_server.auth.models import UserCreate
    from queue_server.auth.service import add_user
    from queue_server.core.clock import utcnow
    from queue_server.core.errors import ApiError
    from queue_server.db.uow import Database
    from queue_server.halls.hall import Hall

    password = _read_password()
    if password is None:
        print("两次输入的密码不一致 (passwords differ)", file=sys.stderr)
        return 2
    try:
        body = UserCreate(username=args.name, password=password, role=args.role,
                          display_name=args.display_name or args.name, station=args.station)
    except ValidationError as exc:
        print(f"无效输入 (invalid): {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}",
              file=sys.stderr)
        return 2
    settings, engine = _prepared_engine()
    hall = Hall(choose_config(settings, engine), load_secret(settings))
    try:
        Database(engine, hall, bus=message_bus()).run_write(lambda uow: add_user(uow, body, utcnow()), lock=False)
    except ApiError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(f"已添加用户 {args.name} ({args.role})")
    return 0


def _user_command(args: argparse.Namespace, change: Any) -> int:
    from queue_server.app.bootstrap import choose_config, load_secret
    from queue_server.app.handlers import message_bus
    from queue_server.core.errors import ApiError
    from queue_server.db.uow import Database
    from queue_server.halls.hall import Hall

    settings, engine = _prepared_engine()
    hall = Hall(choose_config(settings, engine), load_secret(settings))
    try:
        Database(engine, hall, bus=message_bus()).run_write(change, lock=False)
    except ApiError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    return 0


def cmd_users_passwd(args: argparse.Namespace) -> int:
    """Set a user's password (asked for, or read from standard input); end their sessions."""
    from queue_server.auth.service import hash_password, set_password

    password = _read_password()
    if password is None or len(password) < 8:
        print("密码至少 8 个字符，且两次输入一致 (at least 8 characters, typed twice alike)",
              file=sys.stderr)
        return 2
    hashed = hash_password(password)
    code = _user_command(args, lambda uow: set_password(uow, args.name, hashed))
    if code == 0:
        print(f"已为 {args.name} 设置新密码，原有登录已失效")
    return code


def cmd_users_disable(args: argparse.Namespace) -> int:
    """Disable a user and end their sessions."""
    from queue_server.auth.service import disable_user

    code = _user_command(args, lambda uow: disable_user(uow, args.name))
    if code == 0:
        print(f"已停用用户 {args.name}，原有登录已失效")
    return code


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


def cmd_config_export(args: argparse.Namespace) -> int:
    """Write the hall configuration in use to a YAML file."""
    from queue_server.app.bootstrap import choose_config
    from queue_server.hallconfig.loader import dump

    settings, engine = _prepared_engine()
    Path(args.file).write_text(dump(choose_config(settings, engine)), encoding="utf-8")
    print(f"已导出到 {args.file}")
    return 0


def cmd_config_import(args: argparse.Namespace) -> int:
    """Validate a hall YAML file and make it the hall's configuration."""
    from queue_server.db.engine import write_session
    from queue_server.db.eventlog import HallState
    from queue_server.hallconfig.loader import ConfigError, dump, load_file

    try:
        config = load_file(Path(args.file))
    except (ConfigError, OSError) as exc:
        print(f"配置文件无效 (invalid hall file): {exc}", file=sys.stderr)
        return 2
    _, engine = _prepared_engine()
    with write_session(engine) as session:
        state = session.get(HallState, config.hall.code)
        if state is None:
            state = HallState(hall=config.hall.code, last_seq=0)
            session.add(state)
        state.config_yaml = dump(config)
    print(f"已导入 {config.hall.name}: {len(config.windows)} 个窗口, "
          f"{sum(len(c.services) for c in config.categories)} 项业务, {len(config.matters)} 个事项。"
          "重启服务后生效 (restart the server to apply).")
    return 0


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
    add.set_defaults(func=cmd_users_add)
    passwd = users.add_parser("passwd", help="set a user's password; ends their sessions")
    passwd.add_argument("name")
    passwd.set_defaults(func=cmd_users_passwd)
    disable = users.add_parser("disable", help="disable a user; ends their sessions")
    disable.add_argument("name")
    disable.set_defaults(func=cmd_users_disable)

    for name, func, text in (("backup", cmd_backup, "copy the live database to FILE"),
                             ("restore", cmd_restore, "restore FILE into the stopped database")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("file")
        cmd.set_defaults(func=func)

    config = sub.add_parser("config", help="hall configuration").add_subparsers(dest="config",
                                                                                required=True)
    export = config.add_parser("export", help="write the hall configuration to YAML")
    export.add_argument("file")
    export.set_defaults(func=cmd_config_export)
    imp = config.add_parser("import", help="load a hall configuration from YAML")
    imp.add_argument("file")
    imp.set_defaults(func=cmd_config_import)

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
