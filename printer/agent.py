"""The print agent: a process in the hall that prints the server's window documents locally.

A county server cannot reach a printer on a hall's LAN, so the agent reaches out instead: it
keeps one websocket to the server (``printer/agentwire.py`` says what travels on it), announces
its printer names, and prints each job on the printer that name stands for, checking the
printer's status first as the kiosk does. It reconnects with backoff when cut off, and says in
Chinese and English what is wrong. It never imports the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from printer import agentwire as wire
from printer.errors import PrinterError, PrinterFault
from printer.service import BLOCKING, check_status
from printer.status import STATUS_MESSAGES_ZH, PrinterStatus
from printer.transport import open_transport, parse_printer_url

log = logging.getLogger("printer.agent")

# An answer that could not be sent (the socket was cut) is sent after reconnecting, if still fresh.
UNSENT_FOR = 60.0
# Exit codes of `hall print-agent`.
EXIT_STOPPED = 0
EXIT_NO_PRINTERS = 3


def backoff(attempt: int, *, cap: float = 60.0, rnd: Callable[[], float] = random.random) -> float:
    """Return the seconds to wait before reconnect attempt N (1, 2, 4 … cap, each ±20 %)."""
    base = min(cap, 2.0 ** max(0, attempt - 1))
    return base * (0.8 + 0.4 * rnd())


@dataclass
class AgentConfig:
    """Where the server is, the device token, and the local printers by name."""

    server: str
    token: str
    printers: dict[str, str]
    printer_timeout: float = 3.0  # each status query and connection to a local printer
    check_status: bool = True
    backoff_cap: float = 60.0
    open_timeout: float = 10.0
    ws_url: str = field(init=False)

    def __post_init__(self) -> None:
        self.ws_url = wire.socket_url(self.server)
        for name, url in list(self.printers.items()):
            self.printers[name] = wire.printer_option(f"{name}={url}")[1]


@dataclass
class _Printed:
    outcome: wire.Outcome
    status: str = ""
    message: str = ""
    detail: str = ""


class PrintAgent:
    """Hold the websocket to the server and print its jobs; run() until stop()."""

    def __init__(self, config: AgentConfig) -> None:
        self.config = config
        self.instance = uuid.uuid4().hex[:16]  # tells a reconnect of this run from another agent
        self.printers = dict(config.printers)  # names still ours (another agent may take one over)
        self.hall = ""
        self.problem = ""  # the last thing that went wrong, in Chinese and English
        self.printed = 0
        self._locks = {name: asyncio.Lock() for name in self.printers}
        self._ws: Any = None
        self._unsent: deque[tuple[float, wire.Answer]] = deque(maxlen=200)
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._exit = EXIT_STOPPED
        self._stopping = False

    # -- what the agent says -----------------------------------------------------------------
    def _say(self, level: int, zh: str, en: str) -> None:
        text = f"{zh} / {en}"
        if level >= logging.WARNING:
            self.problem = text
        log.log(level, text)

    # -- the connection --------------------------------------------------------------------
    def stop(self) -> None:
        """Ask run() to end (from any thread, before or while it runs)."""
        self._stopping = True
        if self._loop is not None and self._stop is not None:
            with contextlib.suppress(RuntimeError):  # run() already ended and its loop is closed
                self._loop.call_soon_threadsafe(self._stop.set)

    async def run(self) -> int:
        """Connect, serve jobs, and reconnect with backoff until stopped; return the exit code."""
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        if self._stopping:
            self._stop.set()
        self._spawn(self._check_printers())
        attempt = 0
        while not self._stop.is_set():
            started = time.monotonic()
            welcomed = await self._session()
            if self._stop.is_set():
                break
            # A connection that served a while starts the backoff over; a refused one grows it.
            attempt = 1 if welcomed and time.monotonic() - started > 30 else attempt + 1
            delay = backoff(attempt, cap=self.config.backoff_cap)
            log.info("%.0f 秒后重连 / reconnecting in %.0f s", delay, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), delay)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        log.info("打印代理已停止 / print agent stopped")
        return self._exit

    async def _session(self) -> bool:
        """Run one connection; return whether the server welcomed us."""
        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed, InvalidStatus, InvalidURI, WebSocketException

        url = self.config.ws_url
        try:
            async with connect(url, additional_headers={"Authorization": f"Bearer {self.config.token}"},
                               open_timeout=self.config.open_timeout, max_size=8 * 1024 * 1024,
                               ping_interval=20, ping_timeout=20) as ws:
                await ws.send(wire.encode(wire.Hello(tuple(self.printers), self.instance)))
                reader = asyncio.ensure_future(self._serve(ws))
                stopper = asyncio.ensure_future(self._stop_wait())
                done, _ = await asyncio.wait({reader, stopper}, return_when=asyncio.FIRST_COMPLETED)
                stopper.cancel()
                if reader in done:
                    reader.result()  # raises ConnectionClosedError when the server ended it badly
                    self._closed(ws.close_code, ws.close_reason or "")
                else:
                    reader.cancel()
                    with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                        await reader
        except ConnectionClosed as exc:
            self._closed(exc.rcvd.code if exc.rcvd else None, exc.rcvd.reason if exc.rcvd else "")
        except InvalidStatus as exc:
            self._refused(exc.response.status_code)
        except InvalidURI as exc:
            self._say(logging.ERROR, f"服务器地址不对：{exc}", f"bad server URL: {exc}")
        except (OSError, TimeoutError, WebSocketException) as exc:
            why = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            self._say(logging.WARNING, f"无法连接服务器 {url}（{why}）", f"cannot reach the server at {url} ({why})")
        finally:
            welcomed, self._ws, self.hall = bool(self.hall), None, ""
        return welcomed

    async def _stop_wait(self) -> None:
        assert self._stop is not None
        await self._stop.wait()

    def _refused(self, status: int) -> None:
        if status in (401, 403):
            self._say(logging.ERROR,
                      f"服务器拒绝连接（HTTP {status}）：请检查 --server 里的大厅代码（/h/代码）和设备令牌",
                      f"the server refused the connection (HTTP {status}): check the hall code "
                      "(/h/CODE) in --server and the device token")
        elif status == 404:
            self._say(logging.ERROR, "服务器上找不到打印代理接口：--server 的地址不对，或服务器版本太旧",
                      "the server has no print agent endpoint: wrong --server, or an older server")
        else:
            self._say(logging.WARNING, f"服务器暂时无法接受连接（HTTP {status}）",
                      f"the server could not take the connection (HTTP {status})")

    def _closed(self, code: int | None, reason: str) -> None:
        if code == wire.CLOSE_BAD_TOKEN:
            self._say(logging.ERROR, "设备令牌无效或已被吊销：请管理员重新登记打印代理设备（类型 print_agent）",
                      "the device token is not valid or was revoked: have an admin register a "
                      "print_agent device again")
        elif code == wire.CLOSE_NOT_ALLOWED:
            self._say(logging.ERROR, f"这个令牌不能作为本大厅的打印代理：{reason}",
                      f"this token may not act as a print agent of this hall: {reason}")
        elif code == wire.CLOSE_BAD_HELLO:
            self._say(logging.ERROR, f"服务器不接受本代理的打印机列表：{reason}",
                      f"the server refused this agent's printer list: {reason}")
        else:
            self._say(logging.WARNING, f"与服务器的连接中断（{code} {reason}）",
                      f"the connection to the server was cut ({code} {reason})")

    async def _serve(self, ws: Any) -> None:
        async for text in ws:
            try:
                message = wire.decode_for_agent(text)
            except wire.WireError as exc:
                log.warning("服务器发来无法识别的消息 / unreadable message from the server: %s", exc)
                continue
            if isinstance(message, wire.Welcome):
                self._ws, self.hall = ws, message.hall
                self.problem = ""
                self._say(logging.INFO, f"已连接服务器，大厅 {message.hall}，打印机 {', '.join(message.printers)}",
                          f"connected to {self.config.ws_url} for hall {message.hall}, printers "
                          f"{', '.join(message.printers)}")
                await self._flush_unsent()
            elif isinstance(message, wire.Job):
                self._spawn(self._job(message))
            else:
                self._superseded(message.printer)

    def _superseded(self, name: str) -> None:
        if self.printers.pop(name, None) is None:
            return
        self._say(logging.WARNING, f"打印机 {name} 已由另一台打印代理接管，本代理不再为它打印",
                  f"another print agent announced printer {name}; this agent no longer prints for it")
        if not self.printers:
            self._say(logging.ERROR, "本代理的打印机都已被其他打印代理接管，退出",
                      "every printer of this agent was taken over by another agent; exiting")
            self._exit = EXIT_NO_PRINTERS
            assert self._stop is not None
            self._stop.set()

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- printing ------------------------------------------------------------------------------
    async def _job(self, job: wire.Job) -> None:
        deadline = time.monotonic() + job.ttl
        url = self.printers.get(job.printer)
        if url is None:
            done = _Printed("unknown_printer", message=f"打印代理没有名为 {job.printer} 的打印机")
        else:
            async with self._locks[job.printer]:
                # A job waiting behind another must not print once its requester gave up.
                if time.monotonic() >= deadline:
                    done = _Printed("expired", detail="the job's time ran out before it could start")
                else:
                    done = await asyncio.to_thread(self._print, url, job.data, deadline)
        self._report(job, done)
        # Kept short: the server takes small frames from agents (a few kB) and refuses longer fields.
        await self._answer(wire.Answer(job.id, done.outcome, done.status[:32], done.message[:200],
                                       done.detail[:300]))

    def _print(self, url: str, data: bytes, deadline: float) -> _Printed:
        """Check the printer, then write the job unless its time ran out meanwhile (a worker thread)."""
        try:
            target = parse_printer_url(url)
            transport = open_transport(target, self.config.printer_timeout)
            status, detail = PrinterStatus.OK, "status not checked"
            if self.config.check_status and transport.supports_status:
                report = check_status(target, self.config.printer_timeout, transport=transport)
                status, detail = report.status, report.detail
                if status in BLOCKING:
                    raise PrinterFault(status, detail)
            if time.monotonic() >= deadline:
                return _Printed("expired", str(status), detail="the printer answered after the job's time ran out")
            transport.write(data)
        except PrinterFault as exc:
            return _Printed("fault", str(exc.status), exc.message_zh, str(exc))
        except PrinterError as exc:
            return _Printed("fault", str(PrinterStatus.OFFLINE), exc.message_zh, str(exc))
        return _Printed("printed", str(status), detail=detail)

    def _report(self, job: wire.Job, done: _Printed) -> None:
        what = job.title or job.id
        if done.outcome == "printed":
            self.printed += 1
            log.info("已打印 %s（打印机 %s）/ printed %s on %s", what, job.printer, what, job.printer)
        elif done.outcome == "fault":
            self._say(logging.WARNING, f"打印机 {job.printer} 故障，未打印 {what}：{done.message}",
                      f"printer {job.printer} fault, {what} not printed: {done.status} {done.detail}")
        elif done.outcome == "expired":
            self._say(logging.WARNING, f"{what} 超时未开始打印，已放弃（服务器已不再等待）",
                      f"{what} was not started in time and was dropped (the server stopped waiting)")
        else:
            self._say(logging.WARNING, f"服务器要求用本代理没有的打印机 {job.printer} 打印",
                      f"the server sent a job for printer {job.printer}, which this agent does not hold")

    async def _answer(self, answer: wire.Answer) -> None:
        ws = self._ws
        if ws is not None:
            with contextlib.suppress(Exception):
                await ws.send(wire.encode(answer))
                return
        self._unsent.append((time.monotonic(), answer))

    async def _flush_unsent(self) -> None:
        while self._unsent and self._ws is not None:
            at, answer = self._unsent.popleft()
            if time.monotonic() - at < UNSENT_FOR:
                await self._answer(answer)

    async def _check_printers(self) -> None:
        """Say at start-up which local printers are not ready, so a fault is fixed before a job."""
        if not self.config.check_status:
            return
        for name, url in list(self.printers.items()):
            try:
                report = await asyncio.to_thread(check_status, url, self.config.printer_timeout)
            except PrinterError as exc:
                self._say(logging.ERROR, f"打印机 {name} 配置有误：{exc.message_zh}",
                          f"printer {name} is misconfigured: {exc}")
                continue
            if report.status is PrinterStatus.OK:
                log.info("打印机 %s 正常 / printer %s is ready (%s)", name, name, url)
            else:
                self._say(logging.WARNING, f"打印机 {name}：{STATUS_MESSAGES_ZH[report.status]}",
                          f"printer {name} ({url}): {report.status.value} {report.detail}")
