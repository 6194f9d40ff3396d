"""Offline Mandarin speech for the board: espeak-ng in a subprocess, cached by text."""

from __future__ import annotations

import asyncio
import re
import shutil
import struct
from collections import OrderedDict

MAX_TEXT = 60
# Announcements are Chinese, ticket letters, digits and a little punctuation; anything else is
# refused so that the endpoint cannot be used to synthesise arbitrary prose.
ALLOWED = re.compile(r"^[\u3400-\u9fffA-Za-z0-9 ，。、,.:：！!？?]+$")


class TtsUnavailable(Exception):
    """The synthesiser is missing or failed."""


class TtsBusy(TtsUnavailable):
    """Too many announcements are waiting for the synthesiser."""


DIGITS = "零一二三四五六七八九"
TICKET_NUMBER = re.compile(r"^([A-Z]?)(\d{1,4})$")


def chinese_number(n: int) -> str:
    """Say 0..9999 in Mandarin: 3 → 三, 10 → 十, 105 → 一百零五."""
    if n < 10:
        return DIGITS[n]
    units = ["", "十", "百", "千"]
    ds = [int(d) for d in str(n)]
    out, zero = "", False
    for i, d in enumerate(ds):
        unit = units[len(ds) - 1 - i]
        if d == 0:
            zero = True
            continue
        if zero and out:
            out += "零"
        zero = False
        out += ("" if d == 1 and unit == "十" and i == 0 else DIGITS[d]) + unit
    return out


def spoken_call(number: str, window: int, digits: bool = True) -> str:
    """Return the words for a call, as the board says them: 请 A 零零七 号 到 三 号窗口 办理."""
    m = TICKET_NUMBER.match(number)
    if m is None or not 1 <= window <= 9999:
        raise ValueError("号码或窗口不正确 (number must be like A007, window 1..9999)")
    body = "".join(DIGITS[int(d)] for d in m[2]) if digits else chinese_number(int(m[2]))
    return f"请 {m[1] + ' ' if m[1] else ''}{body} 号 到 {chinese_number(window)} 号窗口 办理"


def check_text(text: str) -> str:
    """Return the normalised text, or raise ValueError with a reason a person can act on."""
    text = " ".join(text.split())
    if not text:
        raise ValueError("text 不能为空 (text is empty)")
    if len(text) > MAX_TEXT:
        raise ValueError(f"text 过长，最多 {MAX_TEXT} 个字符 (text too long)")
    if not ALLOWED.match(text):
        raise ValueError("text 含有不支持的字符 (unsupported characters)")
    return text


def fix_wav_sizes(data: bytes) -> bytes:
    """Write the real RIFF and data sizes: espeak-ng streams with placeholder sizes."""
    if len(data) < 44 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise TtsUnavailable("espeak-ng 输出的不是 WAV")
    out = bytearray(data)
    struct.pack_into("<I", out, 4, len(out) - 8)
    pos = 12
    while pos + 8 <= len(out):
        chunk, size = out[pos:pos + 4], struct.unpack_from("<I", out, pos + 4)[0]
        if chunk == b"data":
            struct.pack_into("<I", out, pos + 4, len(out) - pos - 8)
            return bytes(out)
        pos += 8 + size + (size & 1)
    raise TtsUnavailable("espeak-ng 输出缺少音频数据")


class Synthesiser:
    """Synthesise WAV audio with espeak-ng, one process at a time, remembering recent texts."""

    def __init__(self, command: str = "espeak-ng", *, voice: str = "cmn", speed: int = 165,
                 timeout: float = 10.0, cache_size: int = 128, max_waiting: int = 4) -> None:
        self.command = command
        self.voice = voice
        self.speed = speed
        self.timeout = timeout
        self.cache_size = cache_size
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._lock = asyncio.Lock()
        self.max_waiting = max_waiting
        self._waiting = 0

    def available(self) -> bool:
        """Tell whether the synthesiser binary exists."""
        return shutil.which(self.command) is not None

    def cached(self, text: str) -> bool:
        """Tell whether the audio for a text is already at hand."""
        return text in self._cache

    async def wav(self, text: str) -> bytes:
        """Return WAV bytes for already checked text."""
        hit = self._cache.get(text)
        if hit is not None:
            self._cache.move_to_end(text)
            return hit
        # One synthesis at a time: the hall server shares a small CPU with everything else. A
        # short queue at most: beyond it, refuse at once rather than pile up work.
        if self._waiting >= self.max_waiting:
            raise TtsBusy("语音合成繁忙，请稍后再试")
        self._waiting += 1
        try:
            async with self._lock:
                hit = self._cache.get(text)
                if hit is None:
                    hit = await self._run(text)
                    self._cache[text] = hit
                    while len(self._cache) > self.cache_size:
                        self._cache.popitem(last=False)
        finally:
            self._waiting -= 1
        return hit

    async def _run(self, text: str) -> bytes:
        exe = shutil.which(self.command)
        if exe is None:
            raise TtsUnavailable(f"未安装语音合成程序 {self.command}")
        proc = await asyncio.create_subprocess_exec(
            exe, "-v", self.voice, "-s", str(self.speed), "--stdout", "--", text,
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE)
        try:
            out, err = await asyncio.wait_for(proc.communicate(), self.timeout)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            raise TtsUnavailable("语音合成超时") from None
        if proc.returncode != 0:
            raise TtsUnavailable("语音合成失败: " + err.decode(errors="replace")[:200])
        return fix_wav_sizes(out)
