"""Spoken prompts, offline: espeak-ng renders each text once into a cached WAV, Kivy plays it.

Rendering runs in one worker thread, never on the UI thread; playing is scheduled back on it.
The command line is the board's (display/tts.py): `espeak-ng -v cmn -s SPEED`, writing a file.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Callable
from datetime import datetime, time
from pathlib import Path
from queue import Empty, Queue

log = logging.getLogger(__name__)
_SPAN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


class SpeechConfigError(ValueError):
    """A quiet-hours setting that cannot be read."""


def parse_quiet_hours(text: str) -> list[tuple[time, time]]:
    """Parse "12:00-13:30,21:00-08:00" into spans; an empty text means never quiet."""
    spans: list[tuple[time, time]] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        m = _SPAN.match(part)
        if m is None:
            raise SpeechConfigError(
                f"静音时段 {part!r} 格式不对，应为 HH:MM-HH:MM (KIOSK_QUIET_HOURS, e.g. 12:00-13:30)")
        spans.append((time(int(m[1]), int(m[2])), time(int(m[3]), int(m[4]))))
    return spans


def is_quiet(spans: list[tuple[time, time]], now: time) -> bool:
    """Tell whether now falls in a quiet span (a span may run past midnight)."""
    for start, end in spans:
        if start <= end:
            if start <= now < end:
                return True
        elif now >= start or now < end:
            return True
    return False


def cache_name(text: str, voice: str, speed: int) -> str:
    """Return the WAV file name for a text in a voice: a hash, so any text is a safe name."""
    digest = hashlib.sha256(f"{voice}\0{speed}\0{text}".encode()).hexdigest()[:32]
    return f"{digest}.wav"


class Renderer:
    """Render texts to WAV files with espeak-ng, once each, into a cache folder."""

    def __init__(self, cache_dir: Path, *, command: str = "espeak-ng", voice: str = "cmn",
                 speed: int = 150, timeout: float = 15.0) -> None:
        self.cache_dir = cache_dir
        self.command = command
        self.voice = voice
        self.speed = speed
        self.timeout = timeout
        self._warned = False

    def path(self, text: str) -> Path:
        """Return where the WAV for a text is (or will be) kept."""
        return self.cache_dir / cache_name(text, self.voice, self.speed)

    def render(self, text: str) -> Path | None:
        """Return the cached WAV for a text, rendering it first; None when espeak-ng fails."""
        out = self.path(text)
        if out.is_file() and out.stat().st_size > 44:
            return out
        exe = shutil.which(self.command)
        if exe is None:
            if not self._warned:
                log.warning("未安装 %s，取号机不播报语音 (no %s: the kiosk stays silent; "
                            "apt-get install espeak-ng)", self.command, self.command)
                self._warned = True
            return None
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        partial = out.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
        try:
            subprocess.run([exe, "-v", self.voice, "-s", str(self.speed), "-w", str(partial),
                            "--", text], check=True, timeout=self.timeout,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
            partial.replace(out)  # atomic: a second kiosk process never plays half a file
        except (subprocess.SubprocessError, OSError) as exc:
            log.warning("语音合成失败 (espeak-ng failed) for %r: %r", text, exc)
            partial.unlink(missing_ok=True)
            return None
        return out


class Speaker:
    """Say texts in order of request, dropping stale ones: a new screen cuts the old prompt."""

    def __init__(self, renderer: Renderer, play: Callable[[str, Path], None], *,
                 quiet_hours: list[tuple[time, time]] | None = None,
                 clock: Callable[[], time] = lambda: datetime.now().time()) -> None:
        self.renderer = renderer
        self.play = play
        self.quiet_hours = quiet_hours or []
        self.clock = clock
        self._queue: Queue[tuple[str, bool] | None] = Queue()
        self._thread = threading.Thread(target=self._run, name="kiosk-speech", daemon=True)
        self._thread.start()

    def say(self, text: str, *, deliberate: bool = False) -> None:
        """Queue a text; quiet hours silence it unless the resident asked (再听一遍)."""
        if not text:
            return
        self._queue.put((text, deliberate))

    def prepare(self, texts: list[str]) -> None:
        """Render texts ahead of time, in the background, so the first screens speak at once."""
        threading.Thread(target=lambda: [self.renderer.render(t) for t in texts],
                         name="kiosk-speech-warm", daemon=True).start()

    def stop(self) -> None:
        """Stop the worker."""
        self._queue.put(None)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            # Only the newest request matters: a resident who moved on must not hear old screens.
            try:
                while True:
                    newer = self._queue.get_nowait()
                    if newer is None:
                        return
                    item = newer
            except Empty:
                pass
            text, deliberate = item
            if not deliberate and is_quiet(self.quiet_hours, self.clock()):
                continue
            path = self.renderer.render(text)
            if path is not None:
                self.play(text, path)
