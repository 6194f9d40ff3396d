"""The real print agent, run in a thread of the test process against a live server."""

from __future__ import annotations

import asyncio
import threading
import time

from printer.agent import AgentConfig, PrintAgent


class AgentThread:
    """Run a PrintAgent on its own event loop in a thread; stop it and read its exit code."""

    def __init__(self, server: str, token: str, printers: dict[str, str], **options: float) -> None:
        self.agent = PrintAgent(AgentConfig(server, token, dict(printers), **options))  # type: ignore[arg-type]
        self.code: int | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        self.code = asyncio.run(self.agent.run())

    def start(self) -> AgentThread:
        """Start the agent."""
        self._thread.start()
        return self

    def wait_connected(self, timeout: float = 10.0) -> AgentThread:
        """Wait until the server welcomed the agent."""
        return self.wait_for(lambda: bool(self.agent.hall), timeout, "the print agent did not connect")

    def wait_for(self, condition, timeout: float = 10.0, what: str = "condition") -> AgentThread:  # type: ignore[no-untyped-def]
        """Wait until a condition on the agent holds."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"{what} (last problem: {self.agent.problem!r})")
            time.sleep(0.02)
        return self

    def stop(self) -> int | None:
        """Stop the agent and return its exit code."""
        self.agent.stop()
        self._thread.join(timeout=15)
        return self.code

    def __enter__(self) -> AgentThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
