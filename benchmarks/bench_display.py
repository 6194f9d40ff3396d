"""Measure call-next → updated board DOM in headless Chromium: median and p99 over 100 calls."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from tests.support.live import Api, LiveServer

CALLS = 100
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync",
        "--autoplay-policy=no-user-gesture-required"]
# Stamp each banner change with the wall clock, the same clock Python reads after the response.
OBSERVE = """() => {
  window.__seen = {};
  const el = document.getElementById('banner-number');
  new MutationObserver(() => {
    window.__seen[el.textContent] = performance.timeOrigin + performance.now();
  }).observe(el, {childList: true, characterData: true, subtree: true});
}"""


def percentile(values: list[float], p: float) -> float:
    """Return the nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, int(-(-p * len(ordered) // 100)))
    return ordered[rank - 1]


def main() -> None:
    """Run the benchmark and print the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        server = LiveServer(Path(tmp) / "var").start()
        api = Api(server.url)
        try:
            admin = api.admin()
            kiosk, _ = api.device("kiosk")
            for _ in range(CALLS):
                api.issue(kiosk, "invoice")
            assert api.http.post("/api/windows/1/open", headers=admin).status_code == 200
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                page.goto(server.url + "/display")
                page.wait_for_function("window.__board && window.__board.state.seq !== null")
                page.evaluate(OBSERVE)
                latencies = []
                for i in range(CALLS):
                    if i:
                        api.http.post("/api/windows/1/finish", headers=admin,
                                      json={"outcome": "done"}).raise_for_status()
                    r = api.http.post("/api/windows/1/call-next", headers=admin)
                    answered = time.time() * 1000
                    r.raise_for_status()
                    number = r.json()["ticket"]["number"]
                    page.wait_for_function("n => n in window.__seen", arg=number, timeout=5000)
                    shown = page.evaluate("n => window.__seen[n]", number)
                    latencies.append(shown - answered)
                browser.close()
        finally:
            api.close()
            server.stop()
    print(f"call-next response → board DOM over {CALLS} calls (ms; negative = the board was "
          "updated before the HTTP response reached the caller)")
    print(f"median {statistics.median(latencies):.1f} ms")
    print(f"p99    {percentile(latencies, 99):.1f} ms")
    print(f"max    {max(latencies):.1f} ms   min {min(latencies):.1f} ms")
    print("goal   p99 ≤ 150 ms: " + ("met" if percentile(latencies, 99) <= 150 else "NOT met"))


if __name__ == "__main__":
    main()
