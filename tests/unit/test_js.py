"""Run the pages' pure JavaScript state tests with Node's built-in test runner."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

JS_TESTS = Path(__file__).resolve().parent.parent / "js"


def test_page_state_functions_pass_their_node_tests() -> None:
    node = shutil.which("node")
    assert node, "node is required for the page state tests (scripts/test installs it)"
    files = sorted(str(p) for p in JS_TESTS.glob("*.test.mjs"))
    assert files, "no JavaScript tests found"
    result = subprocess.run([node, "--test", *files], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
