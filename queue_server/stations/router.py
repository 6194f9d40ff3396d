"""Village stations: the list /manage shows, with each station's agents."""

from __future__ import annotations

from fastapi import APIRouter

from queue_server.app.deps import ManagerDep, RuntimeDep
from queue_server.stations.models import StationList
from queue_server.stations.service import list_stations

router = APIRouter(prefix="/api", tags=["stations"])


@router.get("/stations", response_model=StationList)
async def get_stations(rt: RuntimeDep, _: ManagerDep) -> StationList:
    """List the hall's village stations and their agents."""
    return await rt.db.read(lambda s: list_stations(s, rt.hall))
