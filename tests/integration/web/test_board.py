"""The board's endpoints: offline speech (real espeak-ng) and the pass QR code, over a real socket."""

from __future__ import annotations

import io
import shutil
import wave
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.support.http import assert_error
from tests.support.live import Api, LiveServer

CALL = {"number": "A007", "window": "3"}


def test_espeak_ng_is_installed() -> None:
    assert shutil.which("espeak-ng"), "espeak-ng must be installed (the setup installs it)"


def test_tts_returns_a_valid_wav_with_nonzero_duration(api: Api) -> None:
    r = api.http.get("/api/tts", params=CALL)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(r.content)) as w:
        frames, rate = w.getnframes(), w.getframerate()
        assert w.getnchannels() == 1
    duration = frames / rate
    # The sizes in the header must be the real ones, not espeak-ng's streaming placeholders.
    assert frames * 2 + 44 <= len(r.content)
    assert 1.0 < duration < 20.0, duration


def test_tts_answers_the_same_text_from_its_cache(api: Api) -> None:
    first = api.http.get("/api/tts", params={"number": "B001", "window": "10"})
    second = api.http.get("/api/tts", params={"number": "B001", "window": "10"})
    assert first.status_code == second.status_code == 200
    assert first.content == second.content


def test_tts_refuses_anything_but_a_call_with_a_json_error(api: Api) -> None:
    for params in ({}, {"text": "请 A 零零七 号 到 三 号窗口 办理"}, {"number": "A007"},
                   {"number": "<script>", "window": "3"}, {"number": "A00007", "window": "3"},
                   {"number": "A007", "window": "0"}, {"number": "A007", "window": "9" * 30}):
        r = api.http.get("/api/tts", params=params)
        assert r.status_code == 422, (params, r.text)
        assert r.json()["error"]["code"] == "invalid"
    assert api.http.get("/api/tts", params={"number": "A007", "window": "19"}).status_code == 404


@pytest.mark.server(settings={"tts_command": "no-such-espeak-binary"})
def test_tts_without_espeak_answers_503_with_a_json_error(live: LiveServer) -> None:
    r = httpx.get(live.url + "/api/tts", params=CALL, timeout=30)
    assert r.status_code == 503
    assert r.json()["error"]["code"] == "tts_unavailable"
    assert "no-such-espeak-binary" in r.json()["error"]["message"]


def test_pass_qr_is_rendered_as_svg_on_the_server(api: Api) -> None:
    r = api.http.get("/display/qr.svg", params={"data": "http://hall.local/m?pass=abc"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in r.content and b"<path" in r.content
    assert api.http.get("/display/qr.svg", params={"data": "x" * 401}).status_code == 422


def test_tts_speaks_only_calls_it_derives_itself(live: LiveServer) -> None:
    r = httpx.get(live.url + "/api/tts", params={"text": "任意一段文字"}, timeout=30)
    assert_error(r, 422, "invalid")
    ok = httpx.get(live.url + "/api/tts", params={"number": "A007", "window": 3}, timeout=30)
    assert ok.status_code == 200 and ok.headers["content-type"] == "audio/wav"


def test_tts_refuses_with_503_when_busy_and_limits_each_address(
        serve: Callable[..., LiveServer], tmp_path: Path) -> None:
    slow = tmp_path / "slow-tts"
    slow.write_text("#!/bin/sh\nsleep 2\nexit 1\n")
    slow.chmod(0o755)
    live = serve(settings={"tts_command": str(slow), "tts_max_waiting": 1, "tts_ip_per_minute": 3})
    with ThreadPoolExecutor(3) as pool:
        codes = list(pool.map(lambda n: httpx.get(
            live.url + "/api/tts", params={"number": f"A00{n}", "window": 1}, timeout=30),
            range(3)))
    busy = [r for r in codes if r.status_code == 503 and "繁忙" in r.json()["error"]["message"]]
    assert len(busy) == 2
    limited = httpx.get(live.url + "/api/tts", params={"number": "B001", "window": 1}, timeout=30)
    assert_error(limited, 429, "rate_limited")


def test_the_pass_qr_is_rendered_once_and_cached(live: LiveServer) -> None:
    from queue_server.web import board

    data = "http://hall.local/m?pass=cached"
    assert httpx.get(live.url + "/display/qr.svg", params={"data": data}).status_code == 200
    hits = board.render_qr.cache_info().hits
    assert httpx.get(live.url + "/display/qr.svg", params={"data": data}).status_code == 200
    assert board.render_qr.cache_info().hits == hits + 1
