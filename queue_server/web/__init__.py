"""Web pages served by the queue server: the board, clerks, managers, phones and pads."""

from __future__ import annotations

import importlib

from fastapi import FastAPI

# Each page family owns one module with a `router`.
PAGE_MODULES = (
    "queue_server.web.pages",
    "display.routes",
    "queue_server.web.clerk",
    "queue_server.web.mobile",
    "queue_server.web.manage",
)


def mount_pages(app: FastAPI) -> None:
    """Attach every page router and the static assets."""
    from queue_server.web.pages import mount_static

    for name in PAGE_MODULES:
        app.include_router(importlib.import_module(name).router)
    mount_static(app)
