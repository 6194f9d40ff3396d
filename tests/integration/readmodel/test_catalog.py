"""The public catalogue and the guide search behind 「能办吗？」, over real HTTP."""

from __future__ import annotations

from tests.support.live import Api


def test_catalog_lists_eight_categories_of_twenty_two_services_with_live_counts(api: Api) -> None:
    kiosk, _ = api.device("kiosk")
    api.issue(kiosk, "forestry-permit")
    api.issue(kiosk, "forestry-permit")
    body = api.http.get("/api/catalog").json()
    assert body["hall"]["code"] == "puan" and "普安镇" in body["hall"]["name"]
    assert [c["code"] for c in body["categories"]] == list("ABCDEFGH")
    services = {s["code"]: s for c in body["categories"] for s in c["services"]}
    assert len(services) == 22
    forestry = services["forestry-permit"]
    assert forestry["waiting"] == 2
    assert forestry["eta_minutes"] >= 0
    assert 10 in forestry["windows"]
    assert all({"code", "name", "department", "mode", "promised_days", "materials", "handled_here"}
               <= set(m) for m in forestry["matters"])
    category_d = next(c for c in body["categories"] if c["code"] == "D")
    assert category_d["waiting"] == 2
    assert category_d["eta_minutes"] == max(s["eta_minutes"] for s in category_d["services"])
    assert len(body["windows"]) == 18 and {w["status"] for w in body["windows"]} == {"closed"}


def test_a_new_tickets_estimate_in_the_catalogue_grows_with_the_queue(api: Api) -> None:
    kiosk, _ = api.device("kiosk")
    admin = api.admin()
    assert api.http.post("/api/windows/14/open", headers=admin).status_code == 200

    def invoice_eta() -> int:
        services = {s["code"]: s for c in api.http.get("/api/catalog").json()["categories"]
                    for s in c["services"]}
        return int(services["invoice"]["eta_minutes"])

    before = invoice_eta()
    for _ in range(3):
        api.issue(kiosk, "invoice")
    assert invoice_eta() > before


def test_guide_finds_the_matters_the_article_names_by_chinese_substring(api: Api) -> None:
    for query, expected in [("林木采伐", "林木采伐"), ("砍伐", "林木"), ("残疾证", "残疾人证"),
                            ("建房", "住宅用地"), ("优抚", "优抚")]:
        matters = api.http.get("/api/guide", params={"q": query}).json()["matters"]
        assert matters, query
        assert any(expected in m["name"] for m in matters), (query, [m["name"] for m in matters])
        assert all({"service", "department", "mode", "materials", "handled_here"} <= set(m)
                   for m in matters)


def test_guide_matches_department_names_and_shows_proxy_matters_as_not_handled_here(api: Api) -> None:
    forestry = api.http.get("/api/guide", params={"q": "林业"}).json()["matters"]
    assert forestry and all("林" in (m["name"] + m["department"] + m["service_name"]) for m in forestry)
    everything = api.http.get("/api/guide").json()["matters"]
    assert len(everything) >= 70
    proxies = [m for m in everything if m["mode"] == "proxy"]
    assert proxies and all(m["handled_here"] is False for m in proxies)


def test_guide_with_nonsense_finds_nothing_and_overlong_query_is_refused(api: Api) -> None:
    assert api.http.get("/api/guide", params={"q": "火星移民"}).json() == {"matters": []}
    r = api.http.get("/api/guide", params={"q": "林" * 101})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid"
