"""The server keeps its shape: typed responses, thin routers, one owner for app state."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from starlette.routing import Match, Mount

from queue_server.app.factory import create_app
from queue_server.core.settings import ServerSettings

ROOT = Path(__file__).resolve().parents[3]
SERVER = ROOT / "queue_server"
MAX_LINES = 300


def _modules(package: Path) -> list[Path]:
    return [p for p in package.rglob("*.py") if "migrations" not in p.parts]


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.append(node.module)
            out.extend(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.extend(a.name for a in node.names)
    return out


def test_every_json_route_declares_a_response_schema(tmp_path: Path) -> None:
    spec = create_app(ServerSettings(var_dir=tmp_path)).openapi()
    missing = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            for status, response in op.get("responses", {}).items():
                if not status.startswith("2") or status == "204":
                    continue
                content = response.get("content", {})
                schema = content.get("application/json", {}).get("schema") if content else None
                if not content or ("application/json" in content and not schema):
                    missing.append(f"{method.upper()} {path} {status}")
    assert not missing, missing
    assert len(spec["paths"]) >= 30


def _leaves(routes: list[Any]) -> Iterator[Any]:
    for route in routes:
        router = getattr(route, "original_router", None)
        if router is not None:
            yield from _leaves(router.routes)
        else:
            yield route


def test_no_path_belongs_to_two_routers_so_their_order_is_free(tmp_path: Path) -> None:
    # The app tries its busiest routers first (app.py); that is safe only while no request
    # could be answered by two of them.
    app = create_app(ServerSettings(var_dir=tmp_path))
    top = app.router.routes
    shared, tried = [], 0
    for leaf in _leaves(top):
        if isinstance(leaf, Mount):
            continue  # static files: the narrower mounts come first on purpose (pages)
        kind = "websocket" if "WebSocket" in type(leaf).__name__ else "http"
        path = leaf.path
        for sample in ("1", "x"):
            concrete = re.sub(r"\{[^}]+\}", sample, path)
            for method in getattr(leaf, "methods", None) or {"GET"}:
                scope = {"type": kind, "path": concrete, "method": method, "root_path": "",
                         "headers": [], "query_string": b"", "app": app}
                tried += 1
                if sum(r.matches(scope)[0] == Match.FULL for r in top) != 1:
                    shared.append(f"{method} {concrete}")
    assert tried > 150  # every route of every router, with two samples each
    assert not shared, shared


def test_only_the_app_factory_imports_routers() -> None:
    offenders = [f"{p.relative_to(ROOT)} imports {name}" for p in _modules(SERVER)
                 if p.name != "factory.py" for name in _imports(p)
                 if name.endswith(".router") or ".router." in name]
    assert not offenders, offenders


def test_only_the_dependency_module_touches_app_state() -> None:
    offenders = [str(p.relative_to(ROOT)) for p in _modules(SERVER)
                 if "app.state" in p.read_text(encoding="utf-8") and p.name not in ("deps.py", "factory.py")]
    assert not offenders, offenders


def test_the_top_level_holds_at_most_eight_modules() -> None:
    loose = sorted(p.name for p in SERVER.glob("*.py") if p.name != "__init__.py")
    assert len(loose) <= 8, loose


def _package_imports() -> dict[str, set[str]]:
    """Return, for each package of queue_server, the other packages its modules import.

    Routers and pages are the shell that wires everything: their imports are left out.
    """
    edges: dict[str, set[str]] = {}
    for path in _modules(SERVER):
        rel = path.relative_to(SERVER).parts
        if len(rel) < 2 or path.name == "router.py" or rel[0] == "web":
            continue
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] == "queue_server" and len(parts) > 1 and parts[1] != rel[0] \
                    and (SERVER / parts[1]).is_dir():
                edges.setdefault(rel[0], set()).add(parts[1])
    return edges


def test_no_two_packages_import_each_other_even_indirectly() -> None:
    edges = _package_imports()
    cycles = []

    def walk(start: str, node: str, path: list[str]) -> None:
        for nxt in sorted(edges.get(node, ())):
            if nxt == start:
                cycles.append(" -> ".join([*path, nxt]))
            elif nxt not in path:
                walk(start, nxt, [*path, nxt])

    for package in sorted(edges):
        walk(package, package, [package])
    assert not cycles, cycles[:5]
    assert {"tickets", "cases", "feedback"} <= set(edges)  # the walk saw the domains


def test_one_issuing_path() -> None:
    # No switch keeps an older path alive, and only the tickets router issues, through the Issuer.
    fields = set(ServerSettings.model_fields)
    assert not fields & {"group_commit", "incremental_estimates"}
    callers = sorted(str(p.relative_to(ROOT)) for p in _modules(SERVER)
                     if re.search(r"\bissuing\.issue\(|\bissue_ticket\(uow", p.read_text(encoding="utf-8")))
    assert callers == ["queue_server/tickets/router.py"], callers
    router = (SERVER / "tickets" / "router.py").read_text(encoding="utf-8")
    assert "rt.tickets.issue(lambda uow: issuing.issue(" in router


def test_display_does_not_import_the_server() -> None:
    offenders = [f"{p.relative_to(ROOT)}: {n}" for p in _modules(ROOT / "display")
                 for n in _imports(p) if n.startswith("queue_server")]
    assert not offenders, offenders


def test_use_cases_never_commit_or_publish() -> None:
    offenders = []
    for path in _modules(SERVER):
        # The county's writes are not a hall's unit of work (county/router.py, app/commands.py for the CLI);
        # the shared limits are counters, not use cases; the SMS sender claims and records texts
        # outside any hall's unit of work, around a provider call that must not hold a transaction.
        if path.name in ("uow.py", "group_commit.py", "engine.py", "cli.py", "liveness.py", "estimator.py",
                         "commands.py", "limits.py", "sender.py",
                         "bootstrap.py", "migrate.py") or path.relative_to(SERVER).as_posix() == "county/router.py":
            continue
        text = path.read_text(encoding="utf-8")
        for needle in (".commit(", "hub.publish(", "write_session("):
            if needle in text:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert not offenders, offenders
