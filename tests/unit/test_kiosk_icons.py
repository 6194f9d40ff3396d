"""Pictograms: the default hall names one for every tile, and the kiosk font and pages have it."""

from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont

from kiosk.icons import CODEPOINTS, FONT_FILE, glyph, markup
from queue_server.hallconfig.loader import ConfigError, bundled_yaml, parse
from queue_server.hallconfig.schema import ICONS_DIR


def test_every_category_and_service_of_the_default_hall_has_a_bundled_icon() -> None:
    config = parse(bundled_yaml())
    items = [*config.categories, *(s for c in config.categories for s in c.services)]
    assert len(items) == 8 + 22
    for item in items:
        assert item.icon, item.code
        assert (ICONS_DIR / f"{item.icon}.svg").is_file(), item.icon
        assert item.icon in CODEPOINTS, item.icon
    assert next(c for c in config.categories if c.code == "D").icon == "tree"
    assert next(c for c in config.categories if c.code == "G").icon == "receipt-tax"


def test_the_codepoint_map_matches_the_font_and_the_svgs() -> None:
    cmap = TTFont(str(FONT_FILE)).getBestCmap()
    assert len(CODEPOINTS) > 5000
    assert all(code in cmap for code in CODEPOINTS.values())
    svgs = {p.stem for p in ICONS_DIR.glob("*.svg")}
    assert set(CODEPOINTS) == svgs


def test_an_unknown_icon_is_refused_with_its_name() -> None:
    text = bundled_yaml().replace("icon: receipt-tax", "icon: receipt-taxx", 1)
    with pytest.raises(ConfigError, match="receipt-taxx"):
        parse(text)


def test_an_icon_name_cannot_walk_out_of_the_icon_folder() -> None:
    text = bundled_yaml().replace("icon: receipt-tax", "icon: ../LICENSE", 1)
    with pytest.raises(ConfigError, match="LICENSE"):
        parse(text)


def test_glyph_and_markup() -> None:
    assert glyph("tree") == chr(CODEPOINTS["tree"])
    assert glyph("no-such-icon") == "" and glyph(None) == ""
    assert markup("tree", 80) == f"[font=TablerIcons][size=80]{chr(CODEPOINTS['tree'])}[/size][/font]"
    assert markup("no-such-icon", 80) == ""
