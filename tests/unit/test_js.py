"""Run the pages' pure JavaScript state tests with Node, and hold the page scripts to their rules."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JS_TESTS = ROOT / "tests" / "js"
STATIC = [ROOT / "queue_server" / "web" / "static", ROOT / "display" / "static"]


def page_scripts() -> list[Path]:
    """Return every page script of the server and the board, the vendored libraries left out."""
    return sorted(p for d in STATIC for p in d.rglob("*.js") if "vendor" not in p.relative_to(d).parts)


def test_page_state_functions_pass_their_node_tests() -> None:
    node = shutil.which("node")
    assert node, "node is required for the page state tests (scripts/test installs it)"
    files = sorted(str(p) for p in JS_TESTS.glob("*.test.mjs"))
    assert files, "no JavaScript tests found"
    result = subprocess.run([node, "--test", *files], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_every_page_script_is_type_checked_and_writes_no_html_by_hand() -> None:
    scripts = page_scripts()
    assert len(scripts) > 40, scripts
    unchecked = [str(p) for p in scripts if not p.read_text(encoding="utf-8").startswith("// @ts-check\n")]
    assert unchecked == [], "page scripts must start with // @ts-check"
    by_hand = [str(p) for p in scripts if re.search(r"innerHTML|outerHTML|insertAdjacentHTML|replace\(/\[&<>",
                                                    p.read_text(encoding="utf-8"))]
    assert by_hand == [], "pages render through lit-html templates, which escape for them"


def test_one_dollar_helper_and_one_translator_serve_every_page() -> None:
    dollar = re.compile(r"^(?:export )?(?:const \$ =|function \$\()", re.M)
    translators = re.compile(r"\.replace\(/\\\{\(\\w\+\)\\\}/g")
    common = ROOT / "queue_server" / "web" / "static" / "common"
    assert [p.name for p in page_scripts() if dollar.search(p.read_text(encoding="utf-8"))] == ["dom.js"]
    assert [p for p in page_scripts() if translators.search(p.read_text(encoding="utf-8"))] == [common / "i18n.js"]
