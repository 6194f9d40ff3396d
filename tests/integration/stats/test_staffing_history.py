"""The demo's eight weeks of history: written in bulk in the server's own shapes, busy on Monday mornings."""

from __future__ import annotations

import importlib.util
import itertools
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from queue_server.app.messages import CODEC
from queue_server.core.settings import ServerSettings
from queue_server.db.engine import make_engine
from queue_server.db.eventlog import Event, HallState
from queue_server.db.migrate import MIGRATIONS
from queue_server.devtools.history_store import demo_history
from queue_server.domain.model import TicketStatus
from queue_server.tickets.models import Counter, Ticket
from queue_server.windows.sessions import WindowSession
from tests.support.live import ADMIN_PASSWORD, Api, LiveServer

NOW = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)  # Tuesday 8 December 2026, 09:00 in the hall
MONDAYS = [date(2026, 12, 7) - timedelta(weeks=k) for k in range(8)][::-1]


def _settings(tmp: Path, url: str) -> ServerSettings:
    return ServerSettings(var_dir=tmp / "var", database_url=url, admin_password=ADMIN_PASSWORD,
                          secret_key="test-secret")


def _sessions(session: Session) -> list[tuple[int, datetime, datetime | None]]:
    return sorted((w.window, w.opened_at, w.closed_at) for w in session.exec(select(WindowSession)).all())


def test_eight_weeks_are_written_as_the_server_writes_them(tmp_path: Path, any_db: str) -> None:
    settings = _settings(tmp_path, any_db)
    began = time.monotonic()
    lines = demo_history(settings, now=NOW)
    took = time.monotonic() - began
    print(f"eight weeks written in {took:.1f} s:", *lines, sep="\n")
    assert lines[0].startswith("已生成过去 8 周的取号历史：40 个工作日")  # 8 × 5, no holiday in the span
    assert "回测误差" in lines[1] and "（7 天）" in lines[1]
    engine = make_engine(settings.resolved_database_url())
    try:
        with Session(engine) as s:
            tickets = s.exec(select(Ticket)).all()
            days = sorted({t.day for t in tickets})
            assert len(days) == 40 and days[0] == date(2026, 10, 13) and days[-1] == date(2026, 12, 7)
            for t in tickets:
                assert t.hall == "puan" and t.issued_at.tzinfo is not None
                if t.status == TicketStatus.DONE:
                    assert t.first_called_at is not None and t.started_at is not None and t.finished_at is not None
                    assert t.issued_at <= t.first_called_at <= t.started_at <= t.finished_at == t.closed_at
                    assert t.wait_seconds == (t.first_called_at - t.issued_at).total_seconds()
                    assert t.service_seconds == (t.finished_at - t.started_at).total_seconds()
                    assert t.window is not None and t.clerk == f"clerk-w{t.window:02d}" and t.outcome is not None
                else:
                    assert t.status in (TicketStatus.NO_SHOW, TicketStatus.CANCELLED) and t.closed_at is not None
            # Numbers run from 1 per category and day, and the counters say where each stopped.
            counters = {(c.day, c.category): c.last for c in s.exec(select(Counter)).all()}
            numbers: dict[tuple[date, str], list[int]] = {}
            for t in tickets:
                numbers.setdefault((t.day, t.number_category), []).append(int(t.number[1:]))
            assert counters == {k: len(v) for k, v in numbers.items()}
            assert all(sorted(v) == list(range(1, len(v) + 1)) for v in numbers.values())
            # The log: seqs 1..last_seq, every event reads back as its typed model, one issued per ticket.
            events = s.exec(select(Event).order_by(col(Event.seq))).all()
            state = s.get(HallState, "puan")
            assert state is not None and [e.seq for e in events] == list(range(1, state.last_seq + 1))
            parsed = [CODEC.parse(e.data).event for e in events]
            assert sum(p.type == "ticket.issued" for p in parsed) == len(tickets)
            assert all(e.at <= f.at for e, f in itertools.pairwise(events))
            # Monday mornings are the busy ones.
            def morning(day: date) -> int:
                return sum(1 for t in tickets if t.day == day and 1 <= t.issued_at.hour < 3)  # 9:00–11:00 local
            mondays = sum(morning(d) for d in MONDAYS) / 8
            tuesdays = sum(morning(d + timedelta(days=1)) for d in MONDAYS[:-1]) / 7
            assert mondays > 1.6 * tuesdays
            kept = _sessions(s)
        # The stretches are what the migration's backfill makes of the logged window events.
        spec = importlib.util.spec_from_file_location("m0014", MIGRATIONS / "versions" / "0014_window_sessions.py")
        assert spec is not None and spec.loader is not None
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        with engine.begin() as conn:
            conn.execute(delete(WindowSession))
            assert migration.backfill(conn) == len(kept) > 40 * 8
        with Session(engine) as s:
            assert _sessions(s) == kept
            assert s.exec(select(func.count()).select_from(WindowSession)
                          .where(col(WindowSession.closed_at).is_(None))).one() == 0
    finally:
        engine.dispose()
    assert demo_history(settings, now=NOW)[0].startswith("已有历史取号数据")  # a second start writes nothing


def test_the_server_serves_the_history_and_carries_on_its_log(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hall.db'}"
    demo_history(_settings(tmp_path, url), now=NOW)
    live = LiveServer(tmp_path / "var", url).start()
    api = Api(live.url)
    try:
        live.runtime.clock = lambda: NOW
        boss = api.user("boss", "manager")
        a: dict[str, Any] = api.http.get("/api/stats/staffing", headers=boss, params={"weekday": 1}).json()
        assert a["days"] == [d.isoformat() for d in MONDAYS]
        first = a["intervals"][0]
        assert first["start"] == "09:00" and first["windows_needed"] > round(first["windows_open"])
        assert a["advice"][0].startswith("周一 9:00–") and "建议开" in a["advice"][0]
        assert a["backtest"]["days"] == 7 and 0 < a["backtest"]["arrivals_mape_pct"] < 60
        r = api.http.get("/api/stats/summary", headers=boss, params={"from": "2026-10-13", "to": "2026-12-07"})
        assert r.status_code == 200 and r.json()["issued"] > 7000
        with Session(live.runtime.engine) as s:
            last = s.get(HallState, "puan")
            assert last is not None
            before = last.last_seq
        kiosk, _ = api.device("kiosk")
        api.issue(kiosk, "pension-insurance")
        with Session(live.runtime.engine) as s:
            newest = s.exec(select(Event).order_by(col(Event.seq).desc())).first()
            assert newest is not None and newest.seq == before + 1 and newest.type == "ticket.issued"
    finally:
        api.close()
        live.stop()


def test_one_week_of_history_has_nothing_to_backtest(tmp_path: Path) -> None:
    lines = demo_history(_settings(tmp_path, f"sqlite:///{tmp_path / 'h.db'}"), weeks=1, now=NOW)
    assert lines[0].startswith("已生成过去 1 周的取号历史：5 个工作日")
    assert "依据 1 个周一" in lines[1] and "回测误差 —（0 天）" in lines[1]
