"""A hall whose texts go to a local SMS gateway, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.support.clock import MovableClock
from tests.support.http import bearer, issue, kiosk, staff
from tests.support.live import Api, LiveServer
from tests.support.sms_gateway import GatewayPost, SmsGateway
from tests.support.wait import eventually


@pytest.fixture
def gateway() -> Iterator[SmsGateway]:
    """Run a county SMS gateway on a local socket."""
    with SmsGateway() as gw:
        yield gw


def sms_settings(gateway: SmsGateway, **changes: Any) -> dict[str, Any]:
    """Return settings.sms for the http provider at this gateway (no quiet hours unless asked)."""
    return {"sms": {"provider": "http", "http_url": gateway.url, "quiet_hours": [], **changes}}


class SmsHall:
    """A hall texting through the gateway: an admin, a manager, a clerk at window 3 and a kiosk."""

    def __init__(self, live: LiveServer, gateway: SmsGateway) -> None:
        self.live, self.gateway = live, gateway
        self.api = Api(live.url)
        self.admin = self.api.admin()
        self.manager = staff(live, self.api, self.admin, "zhang", role="manager")
        self.clerk = staff(live, self.api, self.admin, "li")
        self.kiosk = kiosk(self.api, self.admin)

    def open(self, window: int = 3) -> None:
        """Open a window for the clerk."""
        r = self.api.http.post(f"/api/windows/{window}/open", headers=self.clerk)
        assert r.status_code == 200, r.text

    def issue(self, phone: str | None = None, service: str = "invoice", **extra: Any) -> dict[str, Any]:
        """Issue a kiosk ticket, with a phone if given."""
        body = {"phone": phone, **extra} if phone else extra
        return issue(self.api, self.kiosk, service, **body)

    def call(self, window: int = 3) -> dict[str, Any]:
        """Call the next ticket at a window."""
        r = self.api.http.post(f"/api/windows/{window}/call-next", headers=self.clerk)
        assert r.status_code == 200, r.text
        return dict(r.json()["ticket"])

    def finish(self, window: int = 3) -> None:
        """Finish the window's current ticket."""
        r = self.api.http.post(f"/api/windows/{window}/finish", headers=self.clerk, json={"outcome": "done"})
        assert r.status_code == 200, r.text

    def outbox(self, query: str = "", headers: dict[str, str] | None = None) -> dict[str, Any]:
        """Return GET /api/sms as the manager sees it."""
        r = self.api.http.get(f"/api/sms{query}", headers=headers or self.manager)
        assert r.status_code == 200, r.text
        return dict(r.json())

    def message(self, kind: str, timeout: float = 10.0, **where: Any) -> dict[str, Any]:
        """Wait until the outbox holds a message of a kind that is no longer queued; return it."""
        found: dict[str, Any] = {}

        def done() -> bool:
            for m in self.outbox()["messages"]:
                if m["kind"] == kind and m["status"] != "queued" and all(m["params"].get(k) == v
                                                                         for k, v in where.items()):
                    found.update(m)
                    return True
            return False

        eventually(done, timeout=timeout, what=f"a {kind} message")
        return found

    @property
    def clock(self) -> MovableClock:
        """Return the clock the server holds (started with clock=...)."""
        held = self.live.runtime.clock
        assert isinstance(held, MovableClock)
        return held

    def row(self, message_id: str) -> Any:
        """Return an outbox row as the database holds it (due_at and reason are not in the API)."""
        from queue_server.sms.models import SmsMessage

        return self.live.runtime.db.run_read(lambda s: s.get(SmsMessage, message_id))

    def posts(self, kind: str | None = None) -> list[GatewayPost]:
        """Return the gateway's POSTs, of one kind if given."""
        return [p for p in list(self.gateway.posts) if kind is None or p.json["kind"] == kind]

    def close(self) -> None:
        """Close the client."""
        self.api.close()


@pytest.fixture
def sms_hall(serve: Callable[..., LiveServer], any_db: str,
             gateway: SmsGateway) -> Callable[..., SmsHall]:
    """Start a hall (on SQLite, then on PostgreSQL) texting through the gateway; settings.sms changes as keywords."""
    halls: list[SmsHall] = []

    def start(*, clock: str | None = None, hall: dict[str, Any] | None = None, **changes: Any) -> SmsHall:
        live = serve(database_url=any_db, hall_settings={**sms_settings(gateway, **changes), **(hall or {})},
                     clock=clock, settings={"session_hours": 24 * 30})
        hall = SmsHall(live, gateway)
        halls.append(hall)
        return hall

    yield start  # type: ignore[misc]
    for h in halls:
        h.close()


__all__ = ["SmsHall", "bearer", "sms_settings"]
