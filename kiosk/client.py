"""All of the kiosk's network I/O: the HTTP API and the /ws/hall listener, off the UI thread."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
from websockets.sync.client import connect

log = logging.getLogger(__name__)


class ApiError(Exception):
    """The server refused a request with an error body."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class Unreachable(Exception):
    """The server did not answer (connection refused, timeout, 5xx)."""


class KioskClient:
    """Call the queue server's HTTP API as a kiosk device."""

    def __init__(self, server: str, device_token: str, *, timeout: float = 3.0,
                 issue_attempts: int = 3, transport: httpx.BaseTransport | None = None) -> None:
        self.server = server.rstrip("/")
        self.issue_attempts = max(1, issue_attempts)
        headers = {"Authorization": f"Bearer {device_token}"} if device_token else {}
        self.http = httpx.Client(base_url=self.server, headers=headers, timeout=timeout,
                                 transport=transport)

    @property
    def ws_url(self) -> str:
        """Return the /ws/hall URL."""
        return "ws" + self.server.removeprefix("http") + "/ws/hall"

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise Unreachable(f"{method} {path}: {exc!r}") from exc
        if response.status_code >= 500:
            raise Unreachable(f"{method} {path}: HTTP {response.status_code}")
        if response.status_code >= 400:
            try:
                err = response.json()["error"]
                code, message = str(err["code"]), str(err["message"])
            except (ValueError, KeyError, TypeError):
                code, message = "http_error", response.text[:200]
            raise ApiError(response.status_code, code, message)
        return response

    def health(self) -> bool:
        """Tell whether the server answers /healthz."""
        try:
            return self._request("GET", "/healthz").status_code == 200
        except (Unreachable, ApiError):
            return False

    def catalog(self) -> dict[str, Any]:
        """Fetch the catalogue with live waiting counts."""
        return dict(self._request("GET", "/api/catalog").json())

    def guide(self, query: str = "") -> list[dict[str, Any]]:
        """Fetch the guide's matters (all of them for an empty query)."""
        body = self._request("GET", "/api/guide", params={"q": query}).json()
        return list(body["matters"])

    def issue(self, service: str, priority: str | None, key: str, *, identity: str | None = None,
              appointment: str | None = None) -> dict[str, Any]:
        """Issue a kiosk ticket; retry a lost request with the same Idempotency-Key."""
        body: dict[str, Any] = {"service": service, "channel": "kiosk"}
        if priority:
            body["priority"] = priority
        if identity:
            body["identity"] = identity
        if appointment:
            body["appointment"] = appointment
        return self._post_ticket(body, key)

    def request_help(self, reason: str | None = None) -> dict[str, Any]:
        """Call a guide (呼叫导办员): 201 a new request, 200 the one already open."""
        body = {"reason": reason} if reason else {}
        last: Unreachable | None = None
        for attempt in range(self.issue_attempts):
            try:
                return dict(self._request("POST", "/api/kiosk/help", json=body).json())
            except Unreachable as exc:
                # A slow server may have made the call before the answer was lost: asking again
                # is safe, as it answers this kiosk's open call instead of making a second one.
                last = exc
                if attempt + 1 < self.issue_attempts:
                    time.sleep(0.2 * (attempt + 1))
        assert last is not None
        raise last

    def help_status(self, help_id: str) -> dict[str, Any]:
        """Return a help request's current state."""
        return dict(self._request("GET", f"/api/kiosk/help/{help_id}").json())

    def identify(self, name: str, id_number: str) -> dict[str, Any]:
        """Match an ID card: its appointments to check in now and its cases ready to collect."""
        body = {"name": name, "id_number": id_number}
        return dict(self._request("POST", "/api/kiosk/identify", json=body).json())

    def register_sms(self, ticket_id: str, phone: str) -> dict[str, Any]:
        """Ask for a text before the ticket is called (短信提醒)."""
        r = self._request("POST", f"/api/tickets/{ticket_id}/sms", json={"phone": phone})
        return dict(r.json()) if r.content else {}

    def check_in(self, code: str, key: str) -> dict[str, Any]:
        """Check a 预约 in by its code: find its service, then take its ticket."""
        found = self._request("GET", f"/api/appointments/code/{code}").json()
        return self._post_ticket({"service": found["service"], "channel": "kiosk", "appointment": code}, key)

    def _post_ticket(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        last: Unreachable | None = None
        for attempt in range(self.issue_attempts):
            try:
                r = self._request("POST", "/api/tickets", json=body,
                                  headers={"Idempotency-Key": key})
                return dict(r.json())
            except Unreachable as exc:
                # The server may have issued the ticket before the answer was lost; the
                # same key makes the retry return that ticket instead of a new number.
                last = exc
                if attempt + 1 < self.issue_attempts:
                    time.sleep(0.2 * (attempt + 1))
        assert last is not None
        raise last

    def report_status(self, printer: str, detail: str = "") -> None:
        """Report the printer's state to the server."""
        body: dict[str, Any] = {"printer": printer}
        if detail:
            body["detail"] = detail[:500]
        self._request("POST", "/api/devices/status", json=body)

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self.http.close()


class HallListener(threading.Thread):
    """Follow /ws/hall in a thread, reconnecting with ?since= after a drop."""

    def __init__(self, url: str, on_message: Callable[[dict[str, Any]], None], *,
                 on_connected: Callable[[bool], None] | None = None,
                 retry_interval: float = 2.0) -> None:
        super().__init__(name="kiosk-hall-ws", daemon=True)
        self.url = url
        self.on_message = on_message
        self.on_connected = on_connected or (lambda up: None)
        self.retry_interval = retry_interval
        self.seq: int | None = None
        self._stop_event = threading.Event()

    def stop(self) -> None:
        """Ask the thread to finish."""
        self._stop_event.set()

    def run(self) -> None:
        """Connect, read, and reconnect until stopped."""
        while not self._stop_event.is_set():
            url = self.url if self.seq is None else f"{self.url}?since={self.seq}"
            try:
                with connect(url, open_timeout=self.retry_interval + 1,
                             close_timeout=1) as ws:
                    self.on_connected(True)
                    while not self._stop_event.is_set():
                        try:
                            raw = ws.recv(timeout=0.5)
                        except TimeoutError:
                            continue
                        message = json.loads(raw)
                        if isinstance(message, dict):
                            if isinstance(message.get("seq"), int):
                                self.seq = message["seq"]
                            self.on_message(message)
            except Exception as exc:  # any failure means: reconnect later
                log.info("hall websocket lost: %r", exc)
            if self._stop_event.is_set():
                break
            self.on_connected(False)
            self._stop_event.wait(self.retry_interval)
