"""Web pages served by the queue server: the board, clerks, managers, phones and pads."""

from __future__ import annotations

from fastapi import FastAPI

from queue_server.web import (
    agent,
    board,
    clerk,
    county,
    manage,
    mobile,
    mobile_book,
    mobile_case,
    mobile_feedback,
    pages,
)


def mount_pages(app: FastAPI) -> None:
    """Attach every page router and the static assets."""
    for module in (pages, board, clerk, mobile, mobile_case, mobile_feedback, mobile_book, manage, agent, county):
        app.include_router(module.router)
    pages.mount_static(app)
