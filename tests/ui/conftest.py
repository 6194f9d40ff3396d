"""One headless Chromium for every page test: the system's own, never a downloaded one."""

from __future__ import annotations

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
    """

    def __init__(self, browser: Browser) -> None:
        self._browser = browser

    def new_context(self, **options: Any) -> BrowserContext:
        """Open a context; the CSP is bypassed unless the test says otherwise."""
        options.setdefault("bypass_csp", True)
        return self._browser.new_context(**options)

    def new_page(self, **options: Any) -> Page:
        """Open a page in a context of its own, like Browser.new_page."""
        options.setdefault("bypass_csp", True)
        return self._browser.new_page(**options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Launch the system Chromium once for the whole run."""
    assert Path(CHROMIUM).exists(), "the system Chromium is required (scripts/test installs it)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield PageBrowser(b)  # type: ignore[misc]
        b.close()
