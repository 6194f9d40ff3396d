"""What the board, the clerk console, /manage and the catalogue are shown: the Public models."""

from __future__ import annotations

from pydantic import BaseModel

from queue_server.domain.model import MatterMode, TicketStatus, WindowStatus


class CurrentNumber(BaseModel):
    """The number a window is serving, as the public board shows it."""

    number: str
    status: TicketStatus


class BoardWindow(BaseModel):
    """A window on the public board."""

    number: int
    name: str
    name_en: str
    status: WindowStatus
    current: CurrentNumber | None


class BoardCategory(BaseModel):
    """A category on the public board: how many wait and for how long."""

    code: str
    name: str
    name_en: str
    waiting: int
    eta_minutes: float


class RecentCall(BaseModel):
    """A call or recall, newest first on the board."""

    number: str
    window: int | None
    at: str


class PickupCase(BaseModel):
    """A completed case waiting at the pickup window, by number only."""

    id: int
    number: str
    window: int
    at: str | None


class QueueSnapshot(BaseModel):
    """The public state of the hall: numbers only, never a name or a phone number."""

    seq: int
    windows: list[BoardWindow]
    categories: list[BoardCategory]
    recent_calls: list[RecentCall]
    pickup: list[PickupCase] = []


class MatterPublic(BaseModel):
    """A matter of the guide."""

    code: str
    name: str
    department: str
    department_code: str
    mode: MatterMode
    promised_days: int | None
    materials: list[str]
    handled_here: bool


class GuideMatter(MatterPublic):
    """A matter found in the guide, with the service to queue for."""

    service: str
    service_name: str
    category: str


class GuideResult(BaseModel):
    """The guide search's answer."""

    matters: list[GuideMatter]


class CatalogService(BaseModel):
    """A service a resident can queue for, with live figures."""

    code: str
    name: str
    name_en: str
    icon: str | None = None  # a Tabler Icons outline name
    waiting: int
    eta_minutes: float
    windows: list[int]
    matters: list[MatterPublic]


class CatalogCategory(BaseModel):
    """A category of services."""

    code: str
    name: str
    name_en: str
    icon: str | None = None  # a Tabler Icons outline name
    waiting: int
    eta_minutes: float
    services: list[CatalogService]


class HallBrief(BaseModel):
    """The hall's names."""

    code: str
    name: str
    short_name: str


class WindowBrief(BaseModel):
    """A window's name and status."""

    number: int
    name: str
    name_en: str
    status: WindowStatus


class Catalog(BaseModel):
    """The catalogue a resident chooses from."""

    hall: HallBrief
    categories: list[CatalogCategory]
    windows: list[WindowBrief]
