"""The offline speech endpoint: real espeak-ng, the real app, a real socket."""

from __future__ import annotations

import io
import shutil
import wave
from pathlib import Path

import httpx

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


def test_tts_without_espeak_answers_503_with_a_json_error(tmp_path: Path) -> None:
    server = LiveServer(tmp_path / "var", tts_command="no-such-espeak-binary").start()
    try:
        r = httpx.get(server.url + "/api/tts", params=CALL, timeout=30)
    finally:
        server.stop()
    assert r.status_code == 503
    assert r.json()["error"]["code"] == "tts_unavailable"
    assert "no-such-espeak-binary" in r.json()["error"]["message"]


def test_pass_qr_is_rendered_as_svg_on_the_server(api: Api) -> None:
    r = api.http.get("/display/qr.svg", params={"data": "http://hall.local/m?pass=abc"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in r.content and b"<path" in r.content
    assert api.http.get("/display/qr.svg", params={"data": "x" * 401}).status_code == 422
