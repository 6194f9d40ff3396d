"""Date-range query parameters and file answers shared by every statistics route."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query
from fastapi.responses import Response

from queue_server.core.errors import Invalid
from queue_server.domain.statistics import parse_range

DayParam = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="day YYYY-MM-DD")]
FromParam = Annotated[DayParam, Query(alias="from")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def day_range(first: str | None, last: str | None, today: date) -> tuple[date, date]:
    """Turn from/to into days (both default to today), or refuse with a 422."""
    try:
        return parse_range(first, last, today)
    except ValueError as exc:
        raise Invalid(f"日期范围不正确：{exc}") from exc


def attachment(body: bytes, media_type: str, stem: str, first: date, last: date, ext: str) -> Response:
    """Answer a file download named after its range, e.g. tickets_2026-12-01_2026-12-31.csv."""
    name = f"{stem}_{first.isoformat()}_{last.isoformat()}.{ext}"
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
