"""The catalogue a resident chooses from, and the guide search behind 「能办吗？」."""

from __future__ import annotations

from typing import Any

from queue_server.domain.estimate import Estimate
from queue_server.hall import Hall
from queue_server.hallconfig.schema import Matter


def matter_public(hall: Hall, m: Matter) -> dict[str, Any]:
    """Return a matter as the API shows it."""
    dept = next((d for d in hall.config.departments if d.code == m.department), None)
    return {
        "code": m.code, "name": m.name, "department": dept.name if dept else m.department,
        "department_code": m.department, "mode": m.mode, "promised_days": m.promised_days,
        "materials": list(m.materials), "handled_here": m.handled_here,
    }


def catalog(hall: Hall, waiting: dict[str, int], etas: dict[str, Estimate],
            window_status: dict[int, str]) -> dict[str, Any]:
    """Build the catalogue with live waiting counts and estimates."""
    categories = []
    for c in hall.config.categories:
        services: list[dict[str, Any]] = []
        for s in c.services:
            est = etas.get(s.code)
            services.append({
                "code": s.code, "name": s.name, "name_en": s.name_en,
                "waiting": waiting.get(s.code, 0),
                "eta_minutes": est.eta_minutes if est else 0,
                "windows": hall.windows_by_service.get(s.code, []),
                "matters": [matter_public(hall, m) for m in hall.matters_by_service.get(s.code, [])],
            })
        categories.append({
            "code": c.code, "name": c.name, "name_en": c.name_en,
            "waiting": sum(int(s["waiting"]) for s in services),
            "eta_minutes": max((int(s["eta_minutes"]) for s in services), default=0),
            "services": services,
        })
    return {
        "hall": {"code": hall.code, "name": hall.config.hall.name,
                 "short_name": hall.config.hall.short_name or hall.config.hall.name},
        "categories": categories,
        "windows": [{"number": w.number, "name": w.name, "name_en": w.name_en,
                     "status": window_status.get(w.number, "closed")}
                    for w in hall.config.windows],
    }


def search_guide(hall: Hall, q: str) -> list[dict[str, Any]]:
    """Find matters whose matter, service or department names or keywords contain the query."""
    terms = [t for t in q.strip().lower().split() if t]
    dept_names = {d.code: f"{d.name} {d.name_en}" for d in hall.config.departments}
    out = []
    for m in hall.config.matters:
        svc = hall.services[m.service]
        haystack = " ".join(
            [m.name, m.code, svc.name, svc.name_en, dept_names.get(m.department, ""), *m.keywords]
        ).lower()
        if all(t in haystack for t in terms):
            out.append({**matter_public(hall, m), "service": m.service, "service_name": svc.name,
                        "category": hall.service_category[m.service]})
    return out
