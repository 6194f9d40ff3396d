"""What the `hall` command does to a stopped or running server's database: users, halls, configurations.

Each command names a hall with ``--hall CODE`` (the default hall when left out). Changes reach a
running server on PostgreSQL at once (LISTEN/NOTIFY); a single SQLite server serves a new hall at
the first request that names it.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from queue_server.app.bootstrap import choose_config, load_hall, load_secret
from queue_server.app.handlers import message_bus
from queue_server.core.clock import utcnow
from queue_server.core.errors import ApiError
from queue_server.core.settings import ServerSettings
from queue_server.db.engine import make_engine, read_session, write_session
from queue_server.db.migrate import upgrade
from queue_server.db.uow import Database, UnitOfWork
from queue_server.domain.model import COUNTY_WIDE
from queue_server.hallconfig.loader import ConfigError, dump, load_file
from queue_server.halls.hall import Hall


def prepared_engine() -> tuple[ServerSettings, Engine]:
    """Return the settings and the database engine, migrated to the newest schema."""
    settings = ServerSettings()
    engine = make_engine(settings.resolved_database_url())
    upgrade(engine)
    return settings, engine


def _hall(settings: ServerSettings, engine: Engine, code: str | None) -> Hall | None:
    """Return the named hall (the default one when no code is given), or None."""
    default = Hall(choose_config(settings, engine), load_secret(settings))
    if code in (None, "", default.code):
        return default
    assert code is not None
    return load_hall(engine, code, load_secret(settings), None)


def _in_hall(args: argparse.Namespace, change: Callable[[UnitOfWork], Any]) -> int:
    settings, engine = prepared_engine()
    code = getattr(args, "hall", None)
    hall = _hall(settings, engine, None if code == COUNTY_WIDE else code)
    if hall is None:
        print(f"没有代码为 {code} 的大厅 (no such hall); 见 hall halls list", file=sys.stderr)
        return 2
    try:
        Database(engine, hall, bus=message_bus()).run_write(change, lock=False)
    except ApiError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    return 0


def read_password() -> str | None:
    """Ask for a password twice on a terminal, or read one line from standard input."""
    if sys.stdin.isatty():
        password = getpass.getpass("密码 Password: ")
        return password if getpass.getpass("再输一次 Again: ") == password else None
    return sys.stdin.readline().rstrip("\n")


def users_add(args: argparse.Namespace) -> int:
    """Add a staff user to a hall (or a county-wide manager or admin with --hall '*')."""
    from pydantic import ValidationError

    from queue_server.auth.models import UserCreate
    from queue_server.auth.service import add_user

    password = read_password()
    if password is None:
        print("两次输入的密码不一致 (passwords differ)", file=sys.stderr)
        return 2
    try:
        body = UserCreate(username=args.name, password=password, role=args.role,
                          display_name=args.display_name or args.name, station=args.station,
                          hall="*" if args.hall == COUNTY_WIDE else None)
    except ValidationError as exc:
        print(f"无效输入 (invalid): {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}", file=sys.stderr)
        return 2
    code = _in_hall(args, lambda uow: add_user(uow, body, utcnow()))
    if code == 0:
        where = "全县" if args.hall == COUNTY_WIDE else (args.hall or "默认大厅")
        print(f"已添加用户 {args.name} ({args.role}, {where})")
    return code


def users_passwd(args: argparse.Namespace) -> int:
    """Set a user's password (asked for, or read from standard input); end their sessions."""
    from queue_server.auth.service import hash_password, set_password

    password = read_password()
    if password is None or len(password) < 8:
        print("密码至少 8 个字符，且两次输入一致 (at least 8 characters, typed twice alike)", file=sys.stderr)
        return 2
    hashed = hash_password(password)
    code = _in_hall(args, lambda uow: set_password(uow, args.name, hashed))
    if code == 0:
        print(f"已为 {args.name} 设置新密码，原有登录已失效")
    return code


def users_disable(args: argparse.Namespace) -> int:
    """Disable a user and end their sessions."""
    from queue_server.auth.service import disable_user

    code = _in_hall(args, lambda uow: disable_user(uow, args.name))
    if code == 0:
        print(f"已停用用户 {args.name}，原有登录已失效")
    return code


def config_export(args: argparse.Namespace) -> int:
    """Write a hall's configuration in use to a YAML file."""
    settings, engine = prepared_engine()
    hall = _hall(settings, engine, args.hall)
    if hall is None:
        print(f"没有代码为 {args.hall} 的大厅 (no such hall)", file=sys.stderr)
        return 2
    Path(args.file).write_text(dump(hall.config), encoding="utf-8")
    print(f"已导出 {hall.config.hall.name} 到 {args.file}")
    return 0


def config_import(args: argparse.Namespace) -> int:
    """Validate a hall YAML file and make it that hall's configuration (restart to apply)."""
    from queue_server.db.eventlog import HallState

    try:
        config = load_file(Path(args.file))
    except (ConfigError, OSError) as exc:
        print(f"配置文件无效 (invalid hall file): {exc}", file=sys.stderr)
        return 2
    if args.hall and args.hall != config.hall.code:
        print(f"文件里的大厅代码是 {config.hall.code}，不是 {args.hall} (the file is another hall's)", file=sys.stderr)
        return 2
    settings, engine = prepared_engine()
    with write_session(engine) as session:
        state = session.get(HallState, config.hall.code)
        if state is None and config.hall.code != choose_config(settings, engine).hall.code:
            print(f"没有代码为 {config.hall.code} 的大厅；新大厅请用 hall halls add --config", file=sys.stderr)
            return 2
        if state is None:
            state = HallState(hall=config.hall.code, last_seq=0)
            session.add(state)
        state.config_yaml = dump(config)
        state.name = config.hall.name
    print(f"已导入 {config.hall.name}: {len(config.windows)} 个窗口, "
          f"{sum(len(c.services) for c in config.categories)} 项业务, {len(config.matters)} 个事项。"
          "重启服务后生效 (restart the server to apply).")
    return 0


def halls_add(args: argparse.Namespace) -> int:
    """Add a hall to the county, copied from another hall or from a YAML file."""
    import json

    from pydantic import ValidationError

    from queue_server.county.models import HallCreate
    from queue_server.county.service import add_hall, new_config

    settings, engine = prepared_engine()
    template = _hall(settings, engine, args.copy_from)
    if template is None:
        print(f"没有代码为 {args.copy_from} 的大厅可复制 (no such hall)", file=sys.stderr)
        return 2
    try:
        config = load_file(Path(args.config)).model_dump(mode="json") if args.config else None
        body = HallCreate(code=args.code, name=args.name, short_name=args.short_name,
                          config=json.loads(json.dumps(config)) if config else None)
        made = new_config(body, template.config)
        with write_session(engine) as session:
            hall = add_hall(session, config=made, secret=load_secret(settings), bus=message_bus(), now=utcnow())
    except (ConfigError, OSError, ValidationError) as exc:
        print(f"无效输入 (invalid): {exc}", file=sys.stderr)
        return 2
    except ApiError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(f"已添加大厅 {hall.config.hall.name} ({hall.code}): {len(hall.config.windows)} 个窗口；"
          f"页面在 /h/{hall.code}/ 下")
    return 0


def halls_list(_args: argparse.Namespace) -> int:
    """Print the county's halls, the default first."""
    from queue_server.county.queries import hall_rows

    _, engine = prepared_engine()
    with read_session(engine) as session:
        rows = hall_rows(session)
    for row in rows:
        mark = " (默认 default)" if row.is_default else ""
        print(f"{row.hall}\t{row.name or ''}{mark}")
    return 0
