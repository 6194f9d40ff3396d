"""The hall YAML's settings.sms: defaults, and a clear message for each mistake."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ValidationError

from queue_server.domain.sms import DEFAULT_TEMPLATES, SmsKind
from queue_server.hallconfig.sms import SmsSettings


def refused(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        SmsSettings.model_validate(data)
    return str(caught.value)


def test_the_defaults_log_and_send_nothing() -> None:
    s = SmsSettings()
    assert s.provider == "log"
    assert s.ahead_at == 3
    assert s.quiet_hours == ["21:00", "08:00"]
    assert s.templates == DEFAULT_TEMPLATES
    assert s.http_url is None and s.sign_name


def test_the_api_shape_reads_from_yaml() -> None:
    text = """
provider: http
sign_name: 普安便民服务中心
templates:
  called: "请 {number} 到 {window} 号窗口"
ahead_at: 5
quiet_hours: ["22:00", "07:30"]
http_url: http://10.0.0.5:8080/sms
"""
    s = SmsSettings.model_validate(yaml.safe_load(text))
    assert s.provider == "http" and s.ahead_at == 5 and s.quiet_hours == ["22:00", "07:30"]
    assert s.templates[SmsKind.CALLED] == "请 {number} 到 {window} 号窗口"
    assert s.templates[SmsKind.AHEAD] == DEFAULT_TEMPLATES[SmsKind.AHEAD]  # the rest keep their defaults


def test_it_round_trips_through_json() -> None:
    s = SmsSettings(provider="http", http_url="https://sms.example.gov.cn/send", quiet_hours=[])
    dumped = s.model_dump(mode="json")
    assert dumped["templates"]["case_ready"] == DEFAULT_TEMPLATES[SmsKind.CASE_READY]
    assert SmsSettings.model_validate(dumped) == s


def test_http_without_a_url_is_refused() -> None:
    assert "http_url" in refused({"provider": "http"})


def test_a_url_without_a_scheme_is_refused() -> None:
    assert "http://" in refused({"provider": "http", "http_url": "10.0.0.5/sms"})


@pytest.mark.parametrize("quiet", [["21:00", "8:00"], ["25:00", "08:00"], ["21:00"], ["21:00", "08:00", "09:00"]])
def test_a_bad_quiet_hour_is_refused(quiet: list[str]) -> None:
    assert "quiet_hours" in refused({"quiet_hours": quiet})


def test_an_unknown_template_kind_is_refused_by_name() -> None:
    text = refused({"templates": {"reminder": "明天来"}})
    assert "reminder" in text and "case_ready" in text


def test_an_unknown_param_in_a_template_is_refused() -> None:
    assert "{counter}" in refused({"templates": {"called": "请到 {counter} 号窗口"}})


def test_an_unknown_provider_is_refused() -> None:
    assert "provider" in refused({"provider": "sendgrid"})


def test_cloud_providers_want_template_ids_not_texts() -> None:
    text = refused({"provider": "aliyun"})
    assert "模板编号" in text
    ids = {k.value: f"SMS_48000000{i}" for i, k in enumerate(SmsKind)}
    accepted = SmsSettings.model_validate({"provider": "aliyun", "templates": ids})
    assert accepted.templates[SmsKind.AHEAD] == "SMS_480000000"


def test_param_order_names_only_the_kind_params() -> None:
    assert "phone" in refused({"param_order": {"called": ["number", "phone"]}})
    assert "nearly" in refused({"param_order": {"nearly": ["number"]}})
    ok = SmsSettings.model_validate({"param_order": {"case_ready": ["case", "matter", "window"]}})
    assert ok.param_order[SmsKind.CASE_READY] == ["case", "matter", "window"]


@pytest.mark.parametrize("ahead_at", [0, -1, 51])
def test_ahead_at_is_bounded(ahead_at: int) -> None:
    assert "ahead_at" in refused({"ahead_at": ahead_at})


def test_it_nests_under_hall_settings_as_the_schema_will() -> None:
    class Settings(BaseModel):
        sla_seconds: int = 900
        sms: SmsSettings = SmsSettings()

    s = Settings.model_validate({"sms": {"provider": "log", "ahead_at": 2}})
    assert s.sms.ahead_at == 2
    assert Settings().sms.provider == "log"


def test_it_round_trips_through_the_yaml_export() -> None:
    s = SmsSettings(provider="tencent", templates={k: f"21012{i}" for i, k in enumerate(SmsKind)},
                    param_order={SmsKind.CASE_READY: ["case", "matter", "window"]}, quiet_hours=["12:00", "14:00"])
    text = yaml.safe_dump(s.model_dump(mode="json"), allow_unicode=True, sort_keys=False)
    assert "case_ready" in text and "SmsKind" not in text
    assert SmsSettings.model_validate(yaml.safe_load(text)) == s
