"""One headless Chromium for every page test: the system's own, never a downloaded one."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Playwright's assertions wait 5 s by default. A page's first websocket, or a redraw after a
# server answer, has taken longer on a machine shared with other suites; waiting longer costs a
# passing test nothing, since the assertion returns as soon as it holds.
expect.set_options(timeout=20_000)

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--autoplay-policy=no-user-gesture-required"]


class PageBrowser:
    """The shared Chromium, whose pages let Playwright evaluate its own waiting predicates.

    The pages' Content-Security-Policy forbids eval, and Playwright's wait_for_function runs its
    predicate through eval. Page tests therefore open contexts that bypass the policy for the
    test's own scripts; tests/ui/test_csp_pages.py passes bypass_csp=False to check the policy
    as a resident's browser sees it.

    Every context a test opens is closed when the test ends: a page left open keeps its timers and
    its websocket's reconnect loop running for the rest of the run, against a server long gone.
    """

    def __init__(self, browser: Browser) -> None:
        self._browser = browser
        self._opened: list[BrowserContext] = []

    def new_context(self, **options: Any) -> BrowserContext:
        """Open a context; the CSP is bypassed unless the test says otherwise."""
        options.setdefault("bypass_csp", True)
        context = self._browser.new_context(**options)
        self._opened.append(context)
        return context

    def new_page(self, **options: Any) -> Page:
        """Open a page in a context of its own, like Browser.new_page."""
        return self.new_context(**options).new_page()

    def close_opened(self) -> None:
        """Close every context opened through this browser."""
        for context in self._opened:
            with contextlib.suppress(Exception):  # already closed by the test itself
                context.close()
        self._opened.clear()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Launch the system Chromium once for the whole run."""
    assert Path(CHROMIUM).exists(), "the system Chromium is required (scripts/test installs it)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def browser(chromium: Browser) -> Iterator[Browser]:
    """Return the shared Chromium for one test; the contexts the test opened close after it."""
    pages = PageBrowser(chromium)
    yield pages  # type: ignore[misc]
    pages.close_opened()
