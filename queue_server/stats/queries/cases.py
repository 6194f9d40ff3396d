"""Case statistics reads and exports: grouped in SQL over the (hall, day) indexes, folded in Python."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from queue_server.cases.models import Case
from queue_server.cases.queries import current_due
from queue_server.domain.case_statistics import CaseFacts, as_date, fold_cases
from queue_server.domain.model import CaseStatus
from queue_server.domain.privacy import mask_id_number, mask_name, mask_phone
from queue_server.domain.workdays import WorkdayIndex
from queue_server.halls.hall import Hall

RUNNING = (CaseStatus.ACCEPTED, CaseStatus.PROCESSING)


def read_case_facts(session: Session, hall: Hall, first: date, last: date, today: date) -> CaseFacts:
    """Read the grouped counts behind /api/stats/cases."""
    facts = CaseFacts()
    here = col(Case.hall) == hall.code
    accepted = (sa_select(col(Case.mode), col(Case.channel), col(Case.station), func.count())
                .where(here, col(Case.accepted_on) >= first, col(Case.accepted_on) <= last,
                       col(Case.status) != CaseStatus.WITHDRAWN)
                .group_by(col(Case.mode), col(Case.channel), col(Case.station)))
    for mode, channel, station, n in session.execute(accepted):
        facts.accepted[(str(mode), str(channel), station)] = int(n)
    done = (here, col(Case.completed_on) >= first, col(Case.completed_on) <= last)
    keys = (col(Case.department), col(Case.station), col(Case.on_time))
    for dept, station, ontime, n in session.execute(
            sa_select(*keys, func.count()).where(*done).group_by(*keys)):
        facts.completed[(str(dept), station, bool(ontime))] = int(n)
    span = (col(Case.accepted_on), col(Case.completed_on))
    for accepted_on, completed_on, n, suspended in session.execute(
            sa_select(*span, func.count(), func.sum(col(Case.suspended_days))).where(*done).group_by(*span)):
        facts.spans.append((as_date(accepted_on), as_date(completed_on), int(n), int(suspended or 0)))
    running = (sa_select(col(Case.due_date), func.count())
               .where(here, col(Case.status).in_(RUNNING)).group_by(col(Case.due_date)))
    for due, n in session.execute(running):
        facts.open_due.extend([as_date(due)] * int(n))
    # A suspension moves the due date on with every working day it lasts: count as of today.
    paused = (sa_select(col(Case.due_date), col(Case.suspended_on), func.count())
              .where(here, col(Case.status) == CaseStatus.SUSPENDED)
              .group_by(col(Case.due_date), col(Case.suspended_on)))
    groups = [(as_date(d), as_date(s), int(n)) for d, s, n in session.execute(paused)]
    if groups:
        start = min(min(d, s) for d, s, _ in groups)
        index = WorkdayIndex(start, max(today, *(d for d, _, _ in groups)) + timedelta(days=400),
                             hall.calendar)
        for due, since, n in groups:
            facts.open_due.extend([index.running_due(due, since, today)] * n)
    return facts


def case_stats(session: Session, hall: Hall, first: date, last: date, now: datetime) -> dict[str, Any]:
    """Compute /api/stats/cases for days first..last."""
    today = hall.local_date(now)
    facts = read_case_facts(session, hall, first, last, today)
    stations = {s.code: s for s in hall.config.stations}
    distances = {code: s.distance_km for code, s in stations.items()}
    data = fold_cases(facts, today=today, cal=hall.calendar, distances=distances,
                      department_names={c: d.name for c, d in hall.departments.items()})
    for row in data["by_station"]:
        known = stations.get(row["station"])
        row["name"] = known.name if known else row["station"]
    return {"from": first.isoformat(), "to": last.isoformat(), **data}


EXPORT_COLUMNS = (
    "id", "number", "matter", "matter_name", "service", "department", "mode", "channel", "station",
    "group", "ticket", "batch", "status", "applicant_name", "applicant_phone", "applicant_id_number",
    "accepted_by", "accepted_at", "promised_days", "due_date", "suspended_days", "completed_at",
    "result", "delivery", "delivered_at", "on_time", "overdue")


def export_rows(session: Session, hall: Hall, first: date, last: date, now: datetime,
                batch: int = 5000) -> Iterator[list[Any]]:
    """Yield one row per case accepted in the range, personal data masked."""
    iso, today = hall.local_iso, hall.local_date(now)
    query = (select(Case).where(col(Case.hall) == hall.code, col(Case.accepted_on) >= first,
                                col(Case.accepted_on) <= last).order_by(col(Case.id)))
    for c in session.exec(query.execution_options(yield_per=batch)):
        matter = hall.matters.get(c.matter)
        due = current_due(c, hall, today)
        open_ = c.status in (*RUNNING, CaseStatus.SUSPENDED)
        yield [c.id, c.number, c.matter, matter.name if matter else c.matter, c.service,
               c.department, c.mode, c.channel, c.station, c.home_group, c.ticket_id, c.batch_id,
               c.status, mask_name(c.applicant_name), mask_phone(c.applicant_phone),
               mask_id_number(c.applicant_id_number), c.accepted_by, iso(c.accepted_at),
               c.promised_days, due.isoformat(), c.suspended_days, iso(c.completed_at), c.result,
               c.delivery, iso(c.delivered_at), c.on_time, open_ and due < today]


def cases_csv(session: Session, hall: Hall, first: date, last: date, now: datetime) -> bytes:
    """Write one row per case as UTF-8 CSV with a BOM, so Excel opens it."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in export_rows(session, hall, first, last, now):
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode("utf-8")


def cases_xlsx(session: Session, hall: Hall, first: date, last: date, now: datetime) -> bytes:
    """Write the case figures, the departments and one row per case as an Excel workbook."""
    from openpyxl import Workbook

    data = case_stats(session, hall, first, last, now)
    wb = Workbook(write_only=True)
    kpi = wb.create_sheet("办件概览")
    for label, key in (("受理", "accepted"), ("办结", "completed"), ("按时办结", "completed_on_time"),
                       ("按时办结率 %", "on_time_pct"), ("在办", "open"), ("超期在办", "overdue_open"),
                       ("即将到期", "due_soon"), ("平均办理工作日", "avg_working_days")):
        kpi.append([label, data[key]])
    kpi.append(["统计区间", f"{data['from']} 至 {data['to']}"])
    depts = wb.create_sheet("按部门")
    depts.append(["部门代码", "部门", "办结", "按时办结率 %"])
    for r in data["by_department"]:
        depts.append([r["department"], r["name"], r["completed"], r["on_time_pct"]])
    rows = wb.create_sheet("办件明细")
    rows.append(list(EXPORT_COLUMNS))
    for row in export_rows(session, hall, first, last, now):
        rows.append([v.value if hasattr(v, "value") else v for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
