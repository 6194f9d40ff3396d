"""Manager statistics (to be built)."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/stats", tags=["statistics"])
