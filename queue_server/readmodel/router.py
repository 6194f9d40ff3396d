"""Public catalogue and guide."""

from __future__ import annotations

from fastapi import APIRouter, Query

from queue_server.app.deps import RuntimeDep
from queue_server.readmodel.models import Catalog, GuideResult
from queue_server.readmodel.queries import catalog, search_guide

router = APIRouter(prefix="/api", tags=["catalogue"])


@router.get("/catalog", response_model=Catalog)
async def get_catalog(rt: RuntimeDep) -> Catalog:
    """Return the categories and services a resident can queue for, with live figures."""
    est = await rt.estimator.current()
    return await rt.db.read(lambda s: catalog(s, rt.hall, est.services))


@router.get("/guide", response_model=GuideResult)
async def guide(rt: RuntimeDep, q: str = Query(default="", max_length=100)) -> GuideResult:
    """Search the guide of matters the hall can handle."""
    return GuideResult(matters=search_guide(rt.hall, q))
