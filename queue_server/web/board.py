"""Serve the hall board and the window screens (assets in display/), speech and the pass QR code."""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

import qrcode
import qrcode.image.svg
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from display.tts import TtsUnavailable, spoken_call
from queue_server.app.deps import RuntimeDep, client_ip, public_base
from queue_server.app.runtime import HallRuntime
from queue_server.core.errors import ApiError, Invalid, NotFound, RateLimited
from queue_server.web.pages import templates

router = APIRouter()

MAX_QR_DATA = 400


def board_config(rt: HallRuntime) -> dict[str, Any]:
    """Return what the board needs from the hall configuration."""
    cfg = rt.hall.config
    return {
        "hall": {"code": cfg.hall.code, "name": cfg.hall.name,
                 "short_name": cfg.hall.short_name or cfg.hall.name},
        "timezone": cfg.hall.timezone,
        "notice": cfg.settings.notice,
        "announce": {"repeat": cfg.settings.announce.repeat,
                     "digits": cfg.settings.announce.digits},
        "windows": [{"number": w.number, "name": w.name, "name_en": w.name_en}
                    for w in cfg.windows],
        "categories": [{"code": c.code, "name": c.name, "name_en": c.name_en, "icon": c.icon,
                        "windows": sorted({n for s in c.services
                                           for n in rt.hall.windows_by_service.get(s.code, [])})}
                       for c in cfg.categories],
    }


@router.get("/display", include_in_schema=False)
async def board(request: Request, rt: RuntimeDep) -> HTMLResponse:
    """Serve the hall board."""
    # A fixed QR for 「办不成事」反映: unlike the pass, it needs no rotation and no script.
    feedback_url = public_base(request, rt) + "/m/feedback"
    return templates.TemplateResponse(request, "display_board.html", {
        "cfg": board_config(rt), "feedback_url": feedback_url})


@router.get("/display/window/{number}", include_in_schema=False)
async def window_screen(request: Request, rt: RuntimeDep, number: int) -> HTMLResponse:
    """Serve the screen above one window."""
    cfg = board_config(rt)
    window = next((w for w in cfg["windows"] if w["number"] == number), None)
    if window is None:
        raise NotFound(f"没有 {number} 号窗口")
    return templates.TemplateResponse(request, "display_window.html",
                                      {"cfg": cfg, "window": window})


@router.get("/display/config.json", include_in_schema=False)
async def config_json(rt: RuntimeDep) -> dict[str, Any]:
    """Return the board's settings, so a running board picks up changes without a reload."""
    return board_config(rt)


@lru_cache(maxsize=64)
def render_qr(data: str) -> bytes:
    """Render a QR code as SVG bytes; the board asks for the same pass URL many times a minute."""
    img = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2,
                      error_correction=qrcode.constants.ERROR_CORRECT_M)
    buf = io.BytesIO()
    img.save(buf)
    return buf.getvalue()


@router.get("/display/qr.svg", include_in_schema=False)
def qr_svg(data: str = Query(default="")) -> Response:  # plain def: runs off the event loop
    """Render a QR code as SVG on the server, so the board needs no script from the internet."""
    if not data or len(data) > MAX_QR_DATA:
        raise Invalid(f"data 必须是 1 到 {MAX_QR_DATA} 个字符")
    return Response(render_qr(data), media_type="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=300"})


@router.get("/api/tts", tags=["display"], response_class=Response,
            responses={200: {"content": {"audio/wav": {}}}})
async def speech(request: Request, rt: RuntimeDep,
                 number: str = Query(pattern=r"^[A-Z]?[0-9]{1,4}$", max_length=5),
                 window: int = Query(ge=1, le=9999)) -> Response:
    """Return Mandarin speech for a call (number, window) as WAV, synthesised offline."""
    if window > len(rt.hall.config.windows):
        raise NotFound(f"没有 {window} 号窗口")
    text = spoken_call(number, window, rt.hall.config.settings.announce.digits)
    if not rt.tts.cached(text) and not await rt.limiters.tts_ip(client_ip(request)):
        raise RateLimited("语音请求过于频繁，请稍后再试")
    try:
        wav = await rt.tts.wav(text)
    except TtsUnavailable as exc:
        raise ApiError(str(exc), status=503, code="tts_unavailable") from None
    # The same call always gives the same audio: let the board cache it.
    return Response(wav, media_type="audio/wav",
                    headers={"Cache-Control": "public, max-age=86400"})
