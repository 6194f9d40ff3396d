"""The statistics exports: CSV with a BOM for Excel, and an Excel workbook."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from sqlmodel import Session

from queue_server.domain.statistics import summarize
from queue_server.halls.hall import Hall
from queue_server.stats.queries import tickets as queries
from queue_server.stats.queries.help import help_stats


def build_summary(session: Session, hall: Hall, first: date, last: date) -> dict[str, Any]:
    """Compute the summary of service days first..last."""
    facts = queries.read_facts(session, hall, first, last)
    data = summarize(facts, first=first, last=last,
                     sla_seconds=float(hall.config.settings.sla_seconds),
                     service_names={c: s.name for c, s in hall.services.items()},
                     clerk_names=queries.clerk_names(session) if facts.by_clerk else {})
    data["help"] = help_stats(session, hall, first, last).model_dump()
    return data


def tickets_csv(session: Session, hall: Hall, first: date, last: date) -> bytes:
    """Write one row per ticket as UTF-8 CSV with a BOM, so Excel opens it."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(queries.EXPORT_COLUMNS)
    for row in queries.export_rows(session, hall, first, last):
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode("utf-8")


NO_DATA = "—"  # a figure with nothing to measure yet, e.g. no help request answered


def _kpi_rows(data: dict[str, Any]) -> list[tuple[str, Any]]:
    w, sv = data["wait"], data["service"]
    return [
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
        ("呼叫导办员次数", data["help"]["requested"]), ("已响应", data["help"]["acknowledged"]),
        ("响应时间中位数 秒", data["help"]["ack_p50"]),
    ]


def tickets_xlsx(session: Session, hall: Hall, first: date, last: date) -> bytes:
    """Write the KPIs, the breakdowns and one row per ticket as an Excel workbook."""
    from openpyxl import Workbook

    data = build_summary(session, hall, first, last)
    wb = Workbook(write_only=True)
    kpi = wb.create_sheet("概览")
    for label, value in _kpi_rows(data):
        kpi.append([label, NO_DATA if value is None else value])

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
