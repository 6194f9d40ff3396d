"""Pure statistics: percentiles, averages, service level, buckets and the summary's shape."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

OUTCOMES = ("done", "deferred", "proxy", "incomplete")
CHANNELS = ("kiosk", "mobile", "counter", "agent")
# Wait distribution buckets in minutes: [lower, upper), the last one open-ended.
WAIT_BUCKETS: tuple[tuple[int, int | None], ...] = (
    (0, 5), (5, 10), (10, 15), (15, 30), (30, 60), (60, None))
SATISFIED_GRADE = 4


def nearest_rank(sorted_values: Sequence[float], pct: float) -> float | None:
    """Return the nearest-rank percentile of ascending values, or None for none."""
    n = len(sorted_values)
    if n == 0:
        return None
    if not 0 < pct <= 100:
        raise ValueError("percentile must be in (0, 100]")
    # Integer arithmetic first: ceil(0.9 * 10) must be 9, not 10 from float round-off.
    rank = max(1, math.ceil(round(pct * n, 9) / 100))
    return float(sorted_values[min(rank, n) - 1])


def mean(values: Iterable[float]) -> float | None:
    """Return the arithmetic mean, or None over nothing."""
    total, count = 0.0, 0
    for v in values:
        total += v
        count += 1
    return total / count if count else None


def ratio_pct(part: int, whole: int) -> float | None:
    """Return part / whole as a percentage, or None when whole is zero."""
    return 100.0 * part / whole if whole else None


def rounded(value: float | None, digits: int = 1) -> float | None:
    """Round for display, keeping None."""
    return None if value is None else round(value, digits)


def within_sla(sorted_waits: Sequence[float], threshold: float) -> int:
    """Count waits at or under the threshold (ascending input)."""
    lo, hi = 0, len(sorted_waits)
    while lo < hi:  # bisect_right without the import, on any Sequence
        mid = (lo + hi) // 2
        if sorted_waits[mid] <= threshold:
            lo = mid + 1
        else:
            hi = mid
    return lo


def bucket_label(lower: int, upper: int | None) -> str:
    """Name a wait bucket in minutes, e.g. 0–5 or 60+."""
    return f"{lower}+" if upper is None else f"{lower}–{upper}"


def wait_buckets(waits: Iterable[float]) -> list[dict[str, Any]]:
    """Count waits (seconds) per bucket: 0–5, 5–10, 10–15, 15–30, 30–60, 60+ minutes."""
    counts = [0] * len(WAIT_BUCKETS)
    for w in waits:
        minutes = w / 60.0
        for i, (_, upper) in enumerate(WAIT_BUCKETS):
            if upper is None or minutes < upper:
                counts[i] += 1
                break
    return [{"bucket": bucket_label(lo, up), "from_min": lo, "to_min": up, "count": c}
            for (lo, up), c in zip(WAIT_BUCKETS, counts, strict=True)]


def duration_stats(sorted_values: Sequence[float], *, with_max: bool) -> dict[str, float | None]:
    """Summarise ascending durations: avg, p50, p90 (and max)."""
    out: dict[str, float | None] = {
        "avg": rounded(mean(sorted_values)),
        "p50": rounded(nearest_rank(sorted_values, 50)),
        "p90": rounded(nearest_rank(sorted_values, 90)),
    }
    if with_max:
        out["max"] = rounded(sorted_values[-1] if sorted_values else None)
    return out


@dataclass
class Group:
    """Running sums for one group (a window, a service, a clerk, an hour)."""

    issued: int = 0
    served: int = 0
    service_sum: float = 0.0
    service_n: int = 0
    wait_sum: float = 0.0
    wait_n: int = 0
    grade_sum: float = 0.0
    grade_n: int = 0
    satisfied: int = 0

    def add(self, other: Group) -> None:
        """Merge another group's sums into this one."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def service_avg(self) -> float | None:
        """Return the mean service time."""
        return rounded(self.service_sum / self.service_n) if self.service_n else None

    @property
    def wait_avg(self) -> float | None:
        """Return the mean wait."""
        return rounded(self.wait_sum / self.wait_n) if self.wait_n else None

    @property
    def grade_avg(self) -> float | None:
        """Return the mean grade."""
        return rounded(self.grade_sum / self.grade_n, 2) if self.grade_n else None


@dataclass
class Facts:
    """Everything the summary is made from, as read from the database."""

    statuses: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    channels: dict[str, int] = field(default_factory=dict)
    waits: list[float] = field(default_factory=list)  # ascending
    services: list[float] = field(default_factory=list)  # ascending
    eta_abs_err_sum: float = 0.0
    eta_n: int = 0
    grades: dict[int, int] = field(default_factory=dict)
    by_window: dict[Any, Group] = field(default_factory=dict)
    by_service: dict[str, Group] = field(default_factory=dict)
    by_hour: dict[int, Group] = field(default_factory=dict)
    by_clerk: dict[Any, Group] = field(default_factory=dict)


def summarize(facts: Facts, *, first: date, last: date, sla_seconds: float,
              service_names: Mapping[str, str] | None = None,
              clerk_names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the summary response from the facts of a date range."""
    st = facts.statuses
    issued = sum(st.values())
    served = st.get("done", 0)
    no_show = st.get("no_show", 0)
    called = len(facts.waits)
    grade_n = sum(facts.grades.values())
    grade_sum = sum(g * n for g, n in facts.grades.items())
    satisfied = sum(n for g, n in facts.grades.items() if g >= SATISFIED_GRADE)
    service_names = service_names or {}
    clerk_names = clerk_names or {}
    outcomes = {o: facts.outcomes.get(o, 0) for o in OUTCOMES}
    channels = {c: facts.channels.get(c, 0) for c in CHANNELS}
    for c, n in facts.channels.items():
        channels.setdefault(c, n)
    return {
        "from": first.isoformat(), "to": last.isoformat(),
        "issued": issued, "served": served, "no_show": no_show,
        "cancelled": st.get("cancelled", 0), "expired": st.get("expired", 0),
        "waiting_now": st.get("waiting", 0),
        "in_service_now": st.get("called", 0) + st.get("serving", 0),
        "no_show_pct": rounded(ratio_pct(no_show, served + no_show)),
        "wait": duration_stats(facts.waits, with_max=True),
        "service": duration_stats(facts.services, with_max=False),
        "sla": {"threshold": sla_seconds, "called": called,
                "within": within_sla(facts.waits, sla_seconds),
                "within_pct": rounded(ratio_pct(within_sla(facts.waits, sla_seconds), called))},
        "satisfaction": {"count": grade_n,
                         "avg": rounded(grade_sum / grade_n, 2) if grade_n else None,
                         "satisfied_pct": rounded(ratio_pct(satisfied, grade_n)),
                         "grades": {str(g): facts.grades.get(g, 0) for g in range(5, 0, -1)}},
        "outcomes": outcomes,
        "outcomes_pct": {o: rounded(ratio_pct(n, served)) for o, n in outcomes.items()},
        "eta_mae_minutes": rounded(facts.eta_abs_err_sum / facts.eta_n, 2) if facts.eta_n else None,
        "wait_buckets": wait_buckets(facts.waits),
        "by_window": [{"window": w, "served": g.served, "service_avg": g.service_avg}
                      for w, g in sorted(facts.by_window.items()) if g.served],
        "by_service": [{"service": s, "name": service_names.get(s, s), "issued": g.issued,
                        "served": g.served, "wait_avg": g.wait_avg}
                       for s, g in sorted(facts.by_service.items(),
                                          key=lambda kv: (-kv[1].issued, kv[0]))],
        "by_hour": [{"hour": h, "issued": g.issued, "wait_avg": g.wait_avg}
                    for h, g in sorted(facts.by_hour.items())],
        "by_channel": channels,
        "by_clerk": [{"clerk": c, "name": clerk_names.get(c, c), "served": g.served,
                      "service_avg": g.service_avg, "grades": g.grade_n,
                      "grade_avg": g.grade_avg,
                      "satisfied_pct": rounded(ratio_pct(g.satisfied, g.grade_n))}
                     for c, g in sorted(facts.by_clerk.items(),
                                        key=lambda kv: (-kv[1].served, kv[0]))],
    }


def parse_range(first: str | None, last: str | None, today: date,
                max_days: int = 3700) -> tuple[date, date]:
    """Turn the from/to query strings into service days; raise ValueError when invalid."""
    start = date.fromisoformat(first) if first else today
    end = date.fromisoformat(last) if last else start
    if start > end:
        raise ValueError("from 不能晚于 to (from is after to)")
    if (end - start).days > max_days:
        raise ValueError("日期范围太长 (range too long)")
    return start, end


def fold_tickets(rows: Iterable[Sequence[Any]], local_hour: Callable[[str], int]) -> Facts:
    """Fold rows (status, outcome, channel, window, service, clerk, hour, wait, svc, eta) once."""
    f = Facts()
    statuses, outcomes, channels = f.statuses, f.outcomes, f.channels
    waits, services = f.waits, f.services
    err_sum, err_n = 0.0, 0
    hour_of: dict[str, int] = {}
    for status, outcome, channel, window, service, clerk, bucket, wait, svc, eta in rows:
        statuses[status] = statuses.get(status, 0) + 1
        channels[channel] = channels.get(channel, 0) + 1
        g = f.by_service.get(service)
        if g is None:
            g = f.by_service[service] = Group()
        g.issued += 1
        hour = hour_of.get(bucket)
        if hour is None:
            hour = hour_of[bucket] = local_hour(bucket)
        h = f.by_hour.get(hour)
        if h is None:
            h = f.by_hour[hour] = Group()
        h.issued += 1
        if wait is not None:
            waits.append(wait)
            g.wait_sum += wait
            g.wait_n += 1
            h.wait_sum += wait
            h.wait_n += 1
            if eta is not None:
                err_sum += abs(eta - wait / 60.0)
                err_n += 1
        if status == "done":
            g.served += 1
            key = outcome or "done"
            outcomes[key] = outcomes.get(key, 0) + 1
            for groups, k in ((f.by_window, window), (f.by_clerk, clerk)):
                if k is None:
                    continue
                grp = groups.get(k)
                if grp is None:
                    grp = groups[k] = Group()
                grp.served += 1
                if svc is not None:
                    grp.service_sum += svc
                    grp.service_n += 1
            if svc is not None:
                services.append(svc)
    waits.sort()
    services.sort()
    f.eta_abs_err_sum, f.eta_n = err_sum, err_n
    return f
