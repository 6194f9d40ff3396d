"""Find a CJK font through fontconfig (shared with the kiosk)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from printer.errors import FontNotFound

_PATTERNS = ("Noto Sans CJK SC:lang=zh-cn", "Source Han Sans SC:lang=zh-cn", ":lang=zh-cn")


@dataclass(frozen=True)
class FontFace:
    """A font file and the face index inside it (.ttc collections hold several)."""

    path: Path
    index: int = 0


def _fc(args: list[str]) -> str:
    exe = shutil.which(args[0])
    if exe is None:
        return ""
    try:
        done = subprocess.run(
            [exe, *args[1:]], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip()


@lru_cache(maxsize=8)
def find_cjk_face(configured: str | None = None, *, bold: bool = False) -> FontFace:
    """Return a face that has simplified Chinese glyphs, the configured one if given."""
    if configured:
        path = Path(configured).expanduser()
        if not path.is_file():
            raise FontNotFound(f"configured CJK font {path} does not exist")
        return FontFace(path, 0)
    # fc-match always answers with *something*, so only trust files that fontconfig
    # lists as covering zh-cn; otherwise Chinese would silently come out as boxes.
    listed = _fc(["fc-list", ":lang=zh-cn", "file"]).splitlines()
    cjk_files = {line.strip().rstrip(":").strip() for line in listed}
    style = ":style=Bold" if bold else ""
    for pattern in _PATTERNS:
        out = _fc(["fc-match", "-f", "%{file}\t%{index}", pattern + style])
        if "\t" not in out:
            continue
        file, index = out.split("\t", 1)
        if file in cjk_files and Path(file).is_file():
            return FontFace(Path(file), int(index or 0))
    raise FontNotFound(
        "no font with simplified Chinese glyphs found by fontconfig; install fonts-noto-cjk "
        "or set PRINTER_FONT_PATH"
    )


def find_cjk_font(configured: str | None = None) -> Path:
    """Return the path of a CJK font file, the configured one if given."""
    return find_cjk_face(configured).path
