"""Shared page plumbing: templates, static assets and the self-hosted API docs."""

from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle
from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

WEB = Path(__file__).parent
DISPLAY = WEB.parent.parent / "display"

templates = Jinja2Templates(directory=[str(WEB / "templates"), str(DISPLAY / "templates")])

router = APIRouter(include_in_schema=False)


@router.get("/docs")
async def docs() -> HTMLResponse:
    """Serve the OpenAPI explorer from local assets: hall networks often have no internet."""
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="排队叫号系统 API",
        swagger_js_url="/static/swagger/swagger-ui-bundle.js",
        swagger_css_url="/static/swagger/swagger-ui.css",
        swagger_favicon_url="/static/swagger/favicon-32x32.png",
    )


def mount_static(app: FastAPI) -> None:
    """Serve every page's static files, with no CDN."""
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path),
              name="swagger")
    app.mount("/static/display", StaticFiles(directory=str(DISPLAY / "static")), name="display")
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")
