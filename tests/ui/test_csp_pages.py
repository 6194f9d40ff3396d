"""Every page works under the Content-Security-Policy: no inline script or style is blocked."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.support.live import LiveServer

PAGES = {
    "/display": "#tiles .tile",
    "/display/window/3": "body[data-status]",
    "/clerk": "#login-form, #username",
    "/manage": "body",
    "/m": "body",
    "/m/guide": "body",
    "/m/book": "#bk-services button",
    "/m/t/1?token=x": "body",
    "/pad/1": "[data-screen]",
    "/docs": ".swagger-ui .info .title",
}


@pytest.mark.parametrize("path", list(PAGES))
def test_the_page_renders_with_no_policy_violation(browser: Browser, live: LiveServer,
                                                   path: str) -> None:
    page = browser.new_page(bypass_csp=False)  # the policy as residents get it
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text else None)
    page.add_init_script("""
        window.__csp = [];
        document.addEventListener('securitypolicyviolation',
            (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
    """)
    try:
        response = page.goto(live.url + path)
        assert response is not None and response.status == 200
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        page.wait_for_selector(PAGES[path], state="attached", timeout=10_000)
        page.wait_for_load_state("networkidle")
        seen: Any = page.evaluate("window.__csp")
        assert seen == [] and violations == [], (seen, violations)
    finally:
        page.close()
