"""The bundled default hall configuration matches the Pu'an hall the article describes."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from queue_server.hallconfig.schema import HallConfig, Matter


@pytest.fixture(scope="module")
def hall() -> HallConfig:
    text = (
        resources.files("queue_server.hallconfig")
        .joinpath("default_hall.yaml")
        .read_text(encoding="utf-8")
    )
    return HallConfig.model_validate(yaml.safe_load(text))


def search(hall: HallConfig, word: str) -> list[Matter]:
    return [m for m in hall.matters if word in m.name or any(word in k for k in m.keywords)]


def test_hall_identity(hall: HallConfig) -> None:
    assert hall.hall.code == "puan"
    assert hall.hall.name == "剑阁县普安镇便民服务中心"
    assert hall.hall.short_name == "普安镇便民服务中心"
    assert hall.hall.timezone == "Asia/Shanghai"
    assert hall.hall.rollover == "00:00"


def test_settings(hall: HallConfig) -> None:
    s = hall.settings
    assert s.sla_seconds == 900
    assert s.priority_bonus_seconds == 600
    assert s.mobile_entry == "rotating"
    assert s.pass_rotation_seconds == 60
    for phrase in ("身份证", "社保卡", "只进一扇门", "村能办", "家能办", "优先"):
        assert phrase in s.notice


def test_eleven_departments_all_used(hall: HallConfig) -> None:
    codes = {d.code for d in hall.departments}
    assert len(hall.departments) == 11 == len(codes)
    assert {m.department for m in hall.matters} == codes
    for named in (
        "market",
        "tax",
        "health",
        "disabled",
        "forestry",
        "agriculture",
        "veterans",
        "gas",
    ):
        assert named in codes
    assert all(d.name_en for d in hall.departments)


def test_eight_categories_twenty_two_services(hall: HallConfig) -> None:
    assert [c.code for c in hall.categories] == list("ABCDEFGH")
    services = hall.services_by_code()
    assert len(services) == 22
    assert all(c.name_en for c in hall.categories)
    assert all(s.name_en and 60 <= s.mean_service_seconds <= 1800 for s in services.values())


def test_matters_cover_every_service(hall: HallConfig) -> None:
    assert len(hall.matters) >= 70
    for code in hall.services_by_code():
        assert sum(m.service == code for m in hall.matters) >= 2, code


def test_matter_modes(hall: HallConfig) -> None:
    modes = {m.mode for m in hall.matters}
    assert modes == {"onsite", "deferred", "proxy"}
    for m in hall.matters:
        assert m.materials, m.code
        assert m.keywords, m.code
        if m.mode == "deferred":
            assert m.promised_days >= 1, m.code
        assert m.handled_here == (m.mode != "proxy"), m.code


def test_eighteen_windows_each_service_served_thrice(hall: HallConfig) -> None:
    assert [w.number for w in hall.windows] == list(range(1, 19))
    served: dict[str, int] = dict.fromkeys(hall.services_by_code(), 0)
    for w in hall.windows:
        for code in {c for tier in hall.window_tiers(w.number) for c in tier}:
            served[code] += 1
    assert all(n >= 3 for n in served.values()), served
    names = [w.name for w in hall.windows]
    assert any("综合受理" in n for n in names)
    assert any("代办" in n for n in names)
    assert any("办结" in n for n in names)


@pytest.mark.parametrize(
    "name",
    [
        "林木采伐许可证核发（林木砍伐证明）",
        "木材运输证（林业运输证明）",
        "农村村民住宅用地（土地建房）审批",
        "退役军人优抚金发放（优抚奖励）",
        "残疾人证换领（更换残疾证）",
    ],
)
def test_article_matters_present(hall: HallConfig, name: str) -> None:
    assert name in {m.name for m in hall.matters}


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("林木采伐", "林木采伐许可证核发（林木砍伐证明）"),
        ("砍伐", "林木采伐许可证核发（林木砍伐证明）"),
        ("运输证", "木材运输证（林业运输证明）"),
        ("残疾证", "残疾人证换领（更换残疾证）"),
        ("建房", "农村村民住宅用地（土地建房）审批"),
        ("宅基地", "农村村民住宅用地（土地建房）审批"),
        ("优抚", "退役军人优抚金发放（优抚奖励）"),
    ],
)
def test_article_matters_searchable(hall: HallConfig, word: str, expected: str) -> None:
    assert expected in {m.name for m in search(hall, word)}
