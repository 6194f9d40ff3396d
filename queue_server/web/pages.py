"""Shared page plumbing: templates, static assets and the self-hosted API docs."""

from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from queue_server.app.deps import hall_prefix

WEB = Path(__file__).parent
DISPLAY = WEB.parent.parent / "display"



def _hall_base(request: Request) -> dict[str, str]:
    """Give every page the prefix its links carry: "/h/{code}" under a hall's prefix, else ""."""
    return {"hall_base": hall_prefix(request)}


templates = Jinja2Templates(directory=[str(WEB / "templates"), str(DISPLAY / "templates")],
                            context_processors=[_hall_base])

router = APIRouter(include_in_schema=False)


DOCS_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="/static/swagger/swagger-ui.css">
<link rel="icon" href="/static/swagger/favicon-32x32.png">
<title>排队叫号系统 API</title>
</head>
<body>
<div id="swagger-ui"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/static/common/docs.js"></script>
</body>
</html>
"""


@router.get("/docs")
async def docs() -> HTMLResponse:
    """Serve the OpenAPI explorer from local assets, started by a script file (no inline script)."""
    # Hall networks often have no internet; and the page must work under default-src 'self'.
    return HTMLResponse(DOCS_PAGE)


def mount_static(app: FastAPI) -> None:
    """Serve every page's static files, with no CDN."""
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path),
              name="swagger")
    app.mount("/static/display", StaticFiles(directory=str(DISPLAY / "static")), name="display")
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")
