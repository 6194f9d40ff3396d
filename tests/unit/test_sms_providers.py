"""The provider adapters with the SDKs' own request and response objects, the network call stubbed."""

from __future__ import annotations

import logging
import sys
from typing import Any

import pytest
from alibabacloud_dysmsapi20170525 import models as ali_models
from alibabacloud_tea_openapi.exceptions import ClientException
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.sms.v20210111 import models as tc_models

from queue_server.domain.sms import SmsKind
from queue_server.hallconfig.sms import SmsSettings
from queue_server.sms.base import OutgoingSms, SendResult, SmsConfigError, scrub
from queue_server.sms.cloud import AliyunProvider, TencentProvider, split_endpoint
from queue_server.sms.providers import HttpProvider, LogProvider, make_provider
from queue_server.sms.settings import SmsEnvSettings

SECRETS = {"access_key_id": "LTAI5tKeyIdValue01", "access_key_secret": "AliSecretValue-9f8e7d",
           "secret_id": "AKIDTencentIdValue02", "secret_key": "TencentKeyValue-1a2b3c",
           "http_token": "GatewayTokenValue-77"}


def env(**extra: Any) -> SmsEnvSettings:
    return SmsEnvSettings.model_validate({**SECRETS, "sdk_app_id": "1400000001", **extra})


def message(template: str = "SMS_480000001", kind: SmsKind = SmsKind.CALLED, **params: str) -> OutgoingSms:
    return OutgoingSms(id="sms-42", phone="13812341234", sign_name="普安便民服务中心", template=template,
                       kind=kind, params=params or {"number": "A007", "window": "5"})


class AliyunStub:
    """Stands where the SDK client's network call is: keeps the SDK request, answers a SendSmsResponse."""

    def __init__(self, body: dict[str, Any] | None = None, raises: Exception | None = None) -> None:
        self.body = body or {"Code": "OK", "Message": "OK", "BizId": "900619^0", "RequestId": "R1"}
        self.raises = raises
        self.calls: list[tuple[Any, Any]] = []

    def send_sms_with_options(self, request: Any, runtime: Any) -> Any:
        request.validate()
        self.calls.append((request, runtime))
        if self.raises is not None:
            raise self.raises
        return ali_models.SendSmsResponse().from_map({"headers": {}, "statusCode": 200, "body": self.body})


class TencentStub:
    """Stands where the SDK client's network call is: keeps the SDK request, answers a SendSmsResponse."""

    def __init__(self, response: dict[str, Any] | None = None, raises: Exception | None = None) -> None:
        self.response = response or {"SendStatusSet": [{"SerialNo": "2028:1", "PhoneNumber": "+8613812341234",
                                                         "Fee": 1, "SessionContext": "sms-42", "Code": "Ok",
                                                         "Message": "send success", "IsoCode": "CN"}],
                                     "RequestId": "R2"}
        self.raises = raises
        self.requests: list[Any] = []

    def SendSms(self, request: Any) -> Any:
        self.requests.append(request)
        if self.raises is not None:
            raise self.raises
        model = tc_models.SendSmsResponse()
        model._deserialize(self.response)
        return model


# ---- aliyun ----------------------------------------------------------------------------------


def test_aliyun_builds_the_sdk_request_from_the_message() -> None:
    stub = AliyunStub()
    result = AliyunProvider(env(), client=stub).send(message())
    assert result == SendResult.sent("900619^0")
    (request, runtime), = stub.calls
    assert isinstance(request, ali_models.SendSmsRequest)
    assert request.phone_numbers == "13812341234"
    assert request.sign_name == "普安便民服务中心"
    assert request.template_code == "SMS_480000001"
    assert request.out_id == "sms-42"
    assert request.template_param == '{"number": "A007", "window": "5"}'
    assert runtime.autoretry is False  # the outbox retries, not the SDK


def test_aliyun_keeps_chinese_params_readable() -> None:
    stub = AliyunStub()
    msg = message(kind=SmsKind.CASE_READY, case="BJ20261201-0007", matter="社保卡补办", window="18")
    AliyunProvider(env(), client=stub).send(msg)
    assert '"matter": "社保卡补办"' in stub.calls[0][0].template_param


def test_aliyun_code_other_than_ok_is_failed_with_it() -> None:
    stub = AliyunStub({"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控Permits:1", "RequestId": "R"})
    result = AliyunProvider(env(), client=stub).send(message())
    assert result.status == "failed"
    assert result.reason.startswith("isv.BUSINESS_LIMIT_CONTROL: 触发分钟级流控")


def test_aliyun_sdk_exception_is_failed_without_the_key() -> None:
    exc = ClientException(status_code=400, code="InvalidAccessKeyId.NotFound",
                          message=f"Specified access key is not found: {SECRETS['access_key_id']}")
    result = AliyunProvider(env(), client=AliyunStub(raises=exc)).send(message())
    assert result.status == "failed"
    assert "InvalidAccessKeyId.NotFound" in result.reason
    assert SECRETS["access_key_id"] not in result.reason and "***" in result.reason


# ---- tencent ---------------------------------------------------------------------------------


def test_tencent_builds_the_sdk_request_with_positional_params() -> None:
    stub = TencentStub()
    result = TencentProvider(env(), client=stub).send(message(template="2101234"))
    assert result == SendResult.sent("2028:1")
    request, = stub.requests
    assert isinstance(request, tc_models.SendSmsRequest)
    assert request.PhoneNumberSet == ["+8613812341234"]
    assert request.SmsSdkAppId == "1400000001"
    assert request.SignName == "普安便民服务中心"
    assert request.TemplateId == "2101234"
    assert request.TemplateParamSet == ["A007", "5"]
    assert request.SessionContext == "sms-42"


def test_tencent_param_order_follows_the_default_text_or_the_setting() -> None:
    msg = message(template="2101235", kind=SmsKind.APPOINTMENT, code="123456", service="社保医保", start="明天 9:30")
    stub = TencentStub()
    TencentProvider(env(), client=stub).send(msg)
    assert stub.requests[0].TemplateParamSet == ["明天 9:30", "社保医保", "123456"]
    TencentProvider(env(), {SmsKind.APPOINTMENT: ["code", "start"]}, client=stub).send(msg)
    assert stub.requests[1].TemplateParamSet == ["123456", "明天 9:30"]


def test_tencent_status_other_than_ok_is_failed() -> None:
    stub = TencentStub({"SendStatusSet": [{"SerialNo": "", "PhoneNumber": "+8613812341234", "Fee": 0,
                                           "SessionContext": "sms-42", "Code": "LimitExceeded.PhoneNumberDailyLimit",
                                           "Message": "单个手机号日下发短信条数超过设定的上限", "IsoCode": "CN"}],
                        "RequestId": "R3"})
    result = TencentProvider(env(), client=stub).send(message(template="2101234"))
    assert result.status == "failed"
    assert result.reason.startswith("LimitExceeded.PhoneNumberDailyLimit")
    assert "13812341234" not in result.reason


def test_tencent_sdk_exception_is_failed_without_the_secret_id() -> None:
    exc = TencentCloudSDKException("AuthFailure.SecretIdNotFound", f"The SecretId {SECRETS['secret_id']} is not found")
    result = TencentProvider(env(), client=TencentStub(raises=exc)).send(message(template="2101234"))
    assert result.status == "failed" and "AuthFailure.SecretIdNotFound" in result.reason
    assert SECRETS["secret_id"] not in result.reason


def test_tencent_missing_param_is_failed_not_raised() -> None:
    msg = OutgoingSms("sms-1", "13812341234", "签名", "2101234", SmsKind.CALLED, {"number": "A007"})
    result = TencentProvider(env(), client=TencentStub()).send(msg)
    assert result.status == "failed" and "window" in result.reason


# ---- set-up errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(("provider", "module", "extra"), [
    ("aliyun", "alibabacloud_dysmsapi20170525", "sms-aliyun"),
    ("tencent", "tencentcloud.sms.v20210111", "sms-tencent"),
])
def test_a_missing_sdk_names_the_extra(monkeypatch: pytest.MonkeyPatch, provider: str, module: str,
                                       extra: str) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # makes the import fail as if not installed
    settings = SmsSettings(provider=provider, templates={k: "2101234" for k in SmsKind})  # type: ignore[arg-type]
    with pytest.raises(SmsConfigError, match=f"hall-queue\\[{extra}\\]"):
        make_provider(settings, env())


def test_missing_credentials_name_the_variables_not_values() -> None:
    settings = SmsSettings(provider="tencent", templates={k: "2101234" for k in SmsKind})
    with pytest.raises(SmsConfigError) as caught:
        make_provider(settings, SmsEnvSettings.model_validate({"secret_id": SECRETS["secret_id"]}))
    text = str(caught.value)
    assert "HALL_SMS_SECRET_KEY" in text and "HALL_SMS_SDK_APP_ID" in text
    assert SECRETS["secret_id"] not in text


def test_the_factory_builds_what_the_yaml_names() -> None:
    assert isinstance(make_provider(SmsSettings(), env()), LogProvider)
    http = make_provider(SmsSettings(provider="http", http_url="http://127.0.0.1:9/sms"), env())
    assert isinstance(http, HttpProvider) and http.url == "http://127.0.0.1:9/sms"
    ids = {k: "SMS_48000000" + str(i) for i, k in enumerate(SmsKind)}
    assert make_provider(SmsSettings(provider="aliyun", templates=ids), env()).name == "aliyun"
    assert make_provider(SmsSettings(provider="tencent", templates=ids), env()).name == "tencent"


# ---- credentials stay out of reprs and logs ------------------------------------------------


def test_credentials_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HALL_SMS_ACCESS_KEY_ID", SECRETS["access_key_id"])
    monkeypatch.setenv("HALL_SMS_ACCESS_KEY_SECRET", SECRETS["access_key_secret"])
    monkeypatch.setenv("HALL_SMS_SDK_APP_ID", "1400000001")
    settings = SmsEnvSettings()
    assert settings.access_key_id is not None
    assert settings.access_key_id.get_secret_value() == SECRETS["access_key_id"]
    assert settings.sdk_app_id == "1400000001"
    assert set(settings.secrets()) == {SECRETS["access_key_id"], SECRETS["access_key_secret"]}


def test_no_credential_in_any_repr() -> None:
    e = env()
    ids = {k: "SMS_480000001" for k in SmsKind}
    things: list[object] = [e, e.model_dump(), AliyunProvider(e), TencentProvider(e),
                            HttpProvider("http://127.0.0.1:9/sms", e),
                            make_provider(SmsSettings(provider="aliyun", templates=ids), e)]
    for thing in things:
        text = repr(thing) + str(thing)
        for secret in SECRETS.values():
            assert secret not in text, (secret, text)


def test_credentials_cannot_be_written_in_the_yaml() -> None:
    with pytest.raises(ValueError, match="access_key_secret"):
        SmsSettings.model_validate({"provider": "log", "access_key_secret": "x"})


def test_no_credential_reaches_a_log_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    e = env()
    exc = TencentCloudSDKException("AuthFailure", f"bad {SECRETS['secret_key']} {SECRETS['secret_id']}")
    LogProvider().send(message(template="您的号码 {number} 已到，请到 {window} 号窗口办理"))
    TencentProvider(e, client=TencentStub(raises=exc)).send(message(template="2101234"))
    AliyunProvider(e, client=AliyunStub()).send(message())
    assert caplog.records  # the log provider's line at least
    for secret in SECRETS.values():
        assert secret not in caplog.text


def test_the_log_provider_records_and_sends_nothing(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="queue_server.sms.providers")
    provider = LogProvider()
    result = provider.send(message(template="您的号码 {number} 已到，请到 {window} 号窗口办理"))
    assert result == SendResult.logged() and result.ok
    assert [m.id for m in provider.recent] == ["sms-42"]
    assert "【普安便民服务中心】您的号码 A007 已到，请到 5 号窗口办理" in caplog.text
    assert "138****1234" in caplog.text and "13812341234" not in caplog.text


def test_scrub_masks_secrets_and_the_phone_and_cuts_long_text() -> None:
    text = scrub(f"key {SECRETS['secret_key']} for 13812341234 " + "x" * 500, SECRETS.values(), phone="13812341234")
    assert SECRETS["secret_key"] not in text and "138****1234" in text and len(text) <= 200
    assert text.endswith("…")


def test_outgoing_repr_masks_the_phone() -> None:
    assert "13812341234" not in repr(message()) and "138****1234" in repr(message())


@pytest.mark.parametrize(("value", "expect"), [
    ("dysmsapi.aliyuncs.com", ("https", "dysmsapi.aliyuncs.com")),
    ("http://127.0.0.1:8080", ("http", "127.0.0.1:8080")),
    ("https://sms.example.gov.cn/", ("https", "sms.example.gov.cn")),
])
def test_endpoints_may_name_a_scheme(value: str, expect: tuple[str, str]) -> None:
    assert split_endpoint(value) == expect
