"""Case statistics, folded from a few grouped reads: matters completed and the on-time rate.

Definitions (docs/cases.md):
- accepted: cases accepted in the range, withdrawn ones left out; by_mode and by_channel split them;
- completed, completed_on_time, on_time_pct, avg_working_days, by_department: cases completed in
  the range (onsite cases are completed on acceptance);
- open, overdue_open, due_soon: as of now, whatever the range.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from queue_server.domain.model import CaseChannel, MatterMode
from queue_server.domain.statistics import ratio_pct, rounded
from queue_server.domain.workdays import WorkdayIndex, WorkingCalendar, add_working_days

DUE_SOON_DAYS = 2


@dataclass
class StationFacts:
    """What one village station's cases add up to."""

    accepted: int = 0
    travelled: int = 0  # agent or home cases: a round trip to town each
    completed: int = 0
    on_time: int = 0


@dataclass
class CaseFacts:
    """The grouped counts the statistics are folded from."""

    accepted: dict[tuple[str, str, str | None], int] = field(default_factory=dict)
    # cases completed in the range: (department, station, on time) → count
    completed: dict[tuple[str, str | None, bool], int] = field(default_factory=dict)
    # and their spans: (accepted_on, completed_on, count, working days suspended in all)
    spans: list[tuple[date, date, int, int]] = field(default_factory=list)
    # open cases: their due dates as of today
    open_due: list[date] = field(default_factory=list)


def fold_cases(facts: CaseFacts, *, today: date, cal: WorkingCalendar, department_names: dict[str, str],
               distances: dict[str, float | None]) -> dict[str, Any]:
    """Turn grouped facts into the /api/stats/cases answer."""
    by_mode = {m.value: 0 for m in MatterMode}
    by_channel = {c.value: 0 for c in CaseChannel}
    stations: dict[str, StationFacts] = {}
    accepted = 0
    for (mode, channel, station), n in facts.accepted.items():
        accepted += n
        by_mode[mode] = by_mode.get(mode, 0) + n
        by_channel[channel] = by_channel.get(channel, 0) + n
        if station is not None:
            s = stations.setdefault(station, StationFacts())
            s.accepted += n
            s.travelled += n if channel in (CaseChannel.AGENT, CaseChannel.HOME) else 0
    completed = on_time = 0
    departments: dict[str, list[int]] = {}
    for (dept, station, ontime), n in facts.completed.items():
        completed += n
        on_time += n if ontime else 0
        d = departments.setdefault(dept, [0, 0])
        d[0] += n
        d[1] += n if ontime else 0
        if station is not None:
            s = stations.setdefault(station, StationFacts())
            s.completed += n
            s.on_time += n if ontime else 0
    days_sum = 0
    if facts.spans:
        index = WorkdayIndex(min(r[0] for r in facts.spans), max(r[1] for r in facts.spans), cal)
        for accepted_on, completed_on, n, suspended in facts.spans:
            days_sum += max(0, index.between(accepted_on, completed_on) * n - suspended)
    soon = add_working_days(today, DUE_SOON_DAYS, cal)
    return {
        "accepted": accepted, "completed": completed, "completed_on_time": on_time,
        "on_time_pct": rounded(ratio_pct(on_time, completed)),
        "open": len(facts.open_due),
        "overdue_open": sum(1 for d in facts.open_due if d < today),
        "due_soon": sum(1 for d in facts.open_due if today <= d <= soon),
        "avg_working_days": rounded(days_sum / completed, 2) if completed else None,
        "by_mode": by_mode, "by_channel": by_channel,
        "by_department": [
            {"department": dept, "name": department_names.get(dept, dept), "completed": n,
             "on_time_pct": rounded(ratio_pct(ok, n))}
            for dept, (n, ok) in sorted(departments.items(), key=lambda kv: (-kv[1][0], kv[0]))],
        "by_station": [
            {"station": code, "accepted": s.accepted, "completed": s.completed,
             "on_time_pct": rounded(ratio_pct(s.on_time, s.completed)),
             "km_saved": _km(distances.get(code), s.travelled)}
            for code, s in sorted(stations.items())],
    }


def _km(distance: float | None, trips: int) -> float | None:
    return None if distance is None else round(2 * distance * trips, 1)


def as_date(value: Any) -> date:
    """Read a date column the same way from either database."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))
