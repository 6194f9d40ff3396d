"""Running figures each hall keeps about its services."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class ServiceStat(SQLModel, table=True):
    """The running mean handling time of a service."""

    hall: str = Field(primary_key=True)
    service: str = Field(primary_key=True)
    mean_seconds: float
    samples: int = 0
