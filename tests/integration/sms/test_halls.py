"""Two halls on one server: each hall's texts go through its own settings.sms, and each sees its own."""

from __future__ import annotations

from collections.abc import Callable

import yaml

from queue_server.hallconfig.loader import bundled_yaml
from tests.integration.sms.conftest import SmsHall
from tests.support.http import kiosk
from tests.support.live import Api
from tests.support.sms_gateway import SmsGateway

PHONE = "13812341234"
OTHER = "13912345678"


def test_each_hall_texts_through_its_own_provider_and_sign_name(sms_hall: Callable[..., SmsHall]) -> None:
    puan = sms_hall()
    with SmsGateway() as other_gateway:
        config = yaml.safe_load(bundled_yaml())
        config["settings"]["sms"] = {"provider": "http", "http_url": other_gateway.url, "quiet_hours": [],
                                     "sign_name": "下寺镇便民服务中心"}
        r = puan.api.http.post("/api/county/halls", headers=puan.admin,
                               json={"code": "xiasi", "name": "下寺镇便民服务中心", "config": config})
        assert r.status_code == 201, r.text
        xiasi = Api(f"{puan.live.url}/h/xiasi")
        admin = xiasi.admin()
        r = xiasi.http.post("/api/admin/users", headers=admin, json={
            "username": "wang", "password": "password-123", "role": "manager"})
        assert r.status_code == 201, r.text
        manager = {"Authorization": "Bearer " + xiasi.login("wang", "password-123")}
        assert xiasi.http.post("/api/windows/3/open", headers=manager).status_code == 200
        t = xiasi.http.post("/api/tickets", headers=kiosk(xiasi, admin),
                            json={"service": "invoice", "channel": "kiosk", "phone": OTHER}).json()
        assert xiasi.http.post("/api/windows/3/call-next", headers=manager).status_code == 200
        puan.open()
        mine = puan.issue(PHONE)
        puan.call()
        there, = other_gateway.wait_for(1)
        here, = puan.gateway.wait_for(1)
        assert (there.json["phone"], there.json["sign_name"]) == (OTHER, "下寺镇便民服务中心")
        assert there.json["params"]["number"] == t["number"]
        assert (here.json["phone"], here.json["sign_name"]) == (PHONE, "普安便民服务中心")
        assert here.json["params"]["number"] == mine["number"]
        # Each hall's outbox holds its own message only.
        listed = xiasi.http.get("/api/sms", headers=manager).json()
        assert [m["phone"] for m in listed["messages"]] == ["139****5678"]
        assert [m["phone"] for m in puan.outbox()["messages"]] == ["138****1234"]
        xiasi.close()
