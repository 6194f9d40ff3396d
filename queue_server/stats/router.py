"""Manager statistics: the summary, exports and the live monitor's figures."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from queue_server.deps import ManagerDep, RuntimeDep
from queue_server.errors import Invalid
from queue_server.hall import Hall
from queue_server.runtime import Runtime
from queue_server.stats import queries
from queue_server.stats.service import (
    device_alerts,
    idle_alerts,
    parse_range,
    rounded,
    sla_breaches,
    summarize,
)

router = APIRouter(prefix="/api/stats", tags=["statistics"])

DayParam = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$",
                                       description="service day YYYY-MM-DD")]
DEVICE_STALE = timedelta(minutes=10)
IDLE_ALERT = timedelta(minutes=2)


def _range(rt: Runtime, first: str | None, last: str | None) -> tuple[date, date]:
    try:
        return parse_range(first, last, rt.hall.day(rt.clock()))
    except ValueError as exc:
        raise Invalid(f"日期范围不正确：{exc}") from exc


def build_summary(session: Session, hall: Hall, first: date, last: date) -> dict[str, Any]:
    """Compute the summary of service days first..last."""
    facts = queries.read_facts(session, hall, first, last)
    return summarize(facts, first=first, last=last,
                     sla_seconds=float(hall.config.settings.sla_seconds),
                     service_names={c: s.name for c, s in hall.services.items()},
                     clerk_names=queries.clerk_names(session) if facts.by_clerk else {})


@router.get("/summary")
async def summary(rt: RuntimeDep, _: ManagerDep,
                  from_: Annotated[DayParam, Query(alias="from")] = None,
                  to: DayParam = None) -> dict[str, Any]:
    """Return the hall's KPIs over a range of service days (both inclusive)."""
    first, last = _range(rt, from_, to)
    await run_in_threadpool(rt.flush_estimates)  # first estimates are recorded in batches
    return await rt.read(lambda s: build_summary(s, rt.hall, first, last))


def _filename(first: date, last: date, ext: str) -> str:
    return f"tickets_{first.isoformat()}_{last.isoformat()}.{ext}"


@router.get("/export.csv")
async def export_csv(rt: RuntimeDep, _: ManagerDep,
                     from_: Annotated[DayParam, Query(alias="from")] = None,
                     to: DayParam = None) -> Response:
    """Export one row per ticket as UTF-8 CSV with a BOM, so Excel opens it."""
    first, last = _range(rt, from_, to)

    def build(session: Session) -> str:
        buf = io.StringIO()
        buf.write("\ufeff")
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(queries.EXPORT_COLUMNS)
        for row in queries.export_rows(session, rt.hall, first, last):
            writer.writerow(["" if v is None else v for v in row])
        return buf.getvalue()

    await run_in_threadpool(rt.flush_estimates)
    body = await rt.read(build)
    return Response(body.encode("utf-8"), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{_filename(first, last, "csv")}"'})


def _xlsx(session: Session, hall: Hall, first: date, last: date) -> bytes:
    from openpyxl import Workbook
    data = build_summary(session, hall, first, last)
    wb = Workbook(write_only=True)
    kpi = wb.create_sheet("概览")
    w, sv = data["wait"], data["service"]
    rows: list[tuple[str, Any]] = [
        ("统计区间", f"{data['from']} 至 {data['to']}"), ("取号数", data["issued"]),
        ("办结数", data["served"]), ("过号数", data["no_show"]), ("过号率 %", data["no_show_pct"]),
        ("取消", data["cancelled"]), ("逾期作废", data["expired"]),
        ("平均等候 秒", w["avg"]), ("等候中位数 秒", w["p50"]), ("等候 P90 秒", w["p90"]),
        ("最长等候 秒", w["max"]), ("平均办理 秒", sv["avg"]), ("办理 P90 秒", sv["p90"]),
        (f"{int(data['sla']['threshold'] // 60)} 分钟内叫号 %", data["sla"]["within_pct"]),
        ("评价数", data["satisfaction"]["count"]), ("平均评分", data["satisfaction"]["avg"]),
        ("满意率 %", data["satisfaction"]["satisfied_pct"]),
        ("办结（现场办）", data["outcomes"]["done"]), ("延时办", data["outcomes"]["deferred"]),
        ("代办", data["outcomes"]["proxy"]), ("材料不全", data["outcomes"]["incomplete"]),
        ("预计等候误差 分钟", data["eta_mae_minutes"]),
    ]
    for label, value in rows:
        kpi.append([label, value])

    def table(title: str, head: list[str], body: list[list[Any]]) -> None:
        ws = wb.create_sheet(title)
        ws.append(head)
        for r in body:
            ws.append(r)

    table("按窗口", ["窗口", "办结数", "平均办理 秒"],
          [[r["window"], r["served"], r["service_avg"]] for r in data["by_window"]])
    table("按业务", ["业务代码", "业务", "取号数", "办结数", "平均等候 秒"],
          [[r["service"], r["name"], r["issued"], r["served"], r["wait_avg"]]
           for r in data["by_service"]])
    table("按时段", ["小时", "取号数", "平均等候 秒"],
          [[r["hour"], r["issued"], r["wait_avg"]] for r in data["by_hour"]])
    table("按工作人员", ["账号", "姓名", "办结数", "平均办理 秒", "评价数", "平均评分", "满意率 %"],
          [[r["clerk"], r["name"], r["served"], r["service_avg"], r["grades"], r["grade_avg"],
            r["satisfied_pct"]] for r in data["by_clerk"]])
    tickets = wb.create_sheet("明细")
    tickets.append(list(queries.EXPORT_COLUMNS))
    for row in queries.export_rows(session, hall, first, last):
        tickets.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@router.get("/export.xlsx")
async def export_xlsx(rt: RuntimeDep, _: ManagerDep,
                      from_: Annotated[DayParam, Query(alias="from")] = None,
                      to: DayParam = None) -> Response:
    """Export the KPIs, the breakdowns and one row per ticket as an Excel workbook."""
    first, last = _range(rt, from_, to)
    await run_in_threadpool(rt.flush_estimates)
    body = await rt.read(lambda s: _xlsx(s, rt.hall, first, last))
    return Response(body, media_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), headers={
        "Content-Disposition": f'attachment; filename="{_filename(first, last, "xlsx")}"'})


def build_live(session: Session, hall: Hall, now: datetime,
               etas: dict[str, Any]) -> dict[str, Any]:
    """Assemble the live monitor: windows, categories and alerts."""
    raw = queries.read_live(session, hall, now)
    waiting: list[Any] = raw["waiting"]
    names: dict[str, str] = raw["names"]
    windows: list[dict[str, Any]] = []
    for w in hall.config.windows:
        state = raw["states"].get(w.number)
        ticket = raw["current"].get(state.current_ticket_id) if state and state.current_ticket_id \
            else None
        served, avg = raw["per_window"].get(w.number, (0, None))
        profile = hall.profiles[w.number]
        eligible = sum(1 for t in waiting if t.designated_window == w.number or (
            t.designated_window is None and profile.serves(t.service)))
        status = state.status if state else "closed"
        clerk = state.clerk if state else None
        windows.append({
            "number": w.number, "name": w.name, "status": status,
            "pause_reason": state.pause_reason if state else None,
            "clerk": ({"username": clerk, "display_name": names.get(clerk, clerk)}
                      if clerk else None),
            "current": {"number": ticket.number, "status": ticket.status,
                        "service": ticket.service,
                        "since": hall.local_iso(ticket.started_at or ticket.called_at)}
            if ticket else None,
            "served_today": served, "service_avg_today": rounded(avg),
            "eligible_waiting": eligible,
            "idle_since": hall.local_iso(state.updated_at) if state and not ticket else None,
            "_idle_since": state.updated_at if state else None,
        })
    categories = []
    for c in hall.config.categories:
        codes = {s.code for s in c.services}
        mine = [t for t in waiting if t.category == c.code]
        est = [etas[code].eta_minutes for code in codes if code in etas]
        longest = (now - mine[0].issued_at).total_seconds() if mine else None
        categories.append({"code": c.code, "name": c.name, "waiting": len(mine),
                           "longest_wait_seconds": rounded(longest, 0),
                           "eta_minutes": rounded(max(est, default=0.0))})
    sla = float(hall.config.settings.sla_seconds)
    breaches = sla_breaches(((t.number, t.service, t.issued_at) for t in waiting), now, sla)
    alerts: list[dict[str, Any]] = []
    if breaches:
        worst = breaches[0]
        shown = "、".join(b["number"] for b in breaches[:8])
        more = f" 等 {len(breaches)} 人" if len(breaches) > 8 else f" 共 {len(breaches)} 人"
        alerts.append({"kind": "sla", "level": "error", "count": len(breaches),
                       "tickets": breaches[:50],
                       "message": f"等候超过 {int(sla // 60)} 分钟：{shown}{more}，"
                                  f"最长 {int(worst['waited_seconds'] // 60)} 分钟"})
    alerts += device_alerts(raw["devices"], now, DEVICE_STALE)
    alerts += idle_alerts([{**w, "idle_since": w["_idle_since"]} for w in windows], now,
                          IDLE_ALERT)
    for row in windows:
        del row["_idle_since"]
    return {"at": hall.local_iso(now), "day": raw["today"].isoformat(), "sla_seconds": sla,
            "windows": windows, "categories": categories, "alerts": alerts,
            "waiting": len(waiting)}


@router.get("/live")
async def live(rt: RuntimeDep, _: ManagerDep) -> dict[str, Any]:
    """Return the live monitor: every window, every category and the current alerts."""
    est = await rt.estimates()
    now = rt.clock()
    return await rt.read(lambda s: build_live(s, rt.hall, now, est.services))
