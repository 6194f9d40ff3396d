"""The SMS providers end to end over real local sockets: the http gateway, and both SDKs against it."""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Iterator

import pytest

from queue_server.domain.sms import DEFAULT_TEMPLATES, SmsKind
from queue_server.sms.base import OutgoingSms, SendResult
from queue_server.sms.cloud import AliyunProvider, TencentProvider
from queue_server.sms.providers import HttpProvider
from queue_server.sms.settings import SmsEnvSettings
from tests.support.sms_gateway import SmsGateway

SECRETS = {"access_key_id": "LTAI5tKeyIdValue01", "access_key_secret": "AliSecretValue-9f8e7d",
           "secret_id": "AKIDTencentIdValue02", "secret_key": "TencentKeyValue-1a2b3c",
           "http_token": "GatewayTokenValue-77"}
PHONE = "13812341234"


@pytest.fixture
def gateway() -> Iterator[SmsGateway]:
    with SmsGateway() as gw:
        yield gw


def env_for(gw: SmsGateway | None, timeout: float = 2.0, base: str | None = None) -> SmsEnvSettings:
    base = base or (gw.base if gw else "http://127.0.0.1:9")
    return SmsEnvSettings.model_validate({**SECRETS, "sdk_app_id": "1400000001", "aliyun_endpoint": base,
                                          "tencent_endpoint": base, "timeout_seconds": timeout})


def called(template: str = DEFAULT_TEMPLATES[SmsKind.CALLED], msg_id: str = "sms-7") -> OutgoingSms:
    return OutgoingSms(msg_id, PHONE, "普安便民服务中心", template, SmsKind.CALLED, {"number": "A007", "window": "5"})


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def assert_clean(text: str) -> None:
    for secret in SECRETS.values():
        assert secret not in text


# ---- the county's own gateway ----------------------------------------------------------------


def test_http_posts_the_message_as_json(gateway: SmsGateway) -> None:
    provider = HttpProvider(gateway.url, env_for(gateway))
    assert provider.send(called()) == SendResult.sent()
    post, = gateway.posts
    assert post.path == "/sms"
    assert post.headers["content-type"] == "application/json"
    body = post.json
    assert {k: body[k] for k in ("id", "phone", "sign_name", "template", "kind", "params")} == {
        "id": "sms-7", "phone": PHONE, "sign_name": "普安便民服务中心",
        "template": DEFAULT_TEMPLATES[SmsKind.CALLED], "kind": "called", "params": {"number": "A007", "window": "5"},
    }
    assert body["text"] == "您的号码 A007 已到，请到 5 号窗口办理"
    assert post.headers["authorization"] == f"Bearer {SECRETS['http_token']}"
    assert post.headers["idempotency-key"] == "sms-7"


@pytest.mark.parametrize("status", [200, 201, 202, 204])
def test_any_2xx_is_sent(gateway: SmsGateway, status: int) -> None:
    gateway.reply(status, b"" if status == 204 else {"ok": True})
    assert HttpProvider(gateway.url, env_for(gateway)).send(called()).status == "sent"


def test_a_refusal_is_failed_with_the_status_and_an_excerpt(gateway: SmsGateway) -> None:
    provider = HttpProvider(gateway.url, env_for(gateway))
    gateway.refuse(1, status=503, body="网关忙 gateway busy".encode())
    first = provider.send(called())
    assert first.status == "failed" and first.reason == "HTTP 503: 网关忙 gateway busy"
    assert provider.send(called()).status == "sent"  # the retry, same id
    assert [p.json["id"] for p in gateway.posts] == ["sms-7", "sms-7"]
    assert [p.status for p in gateway.posts] == [503, 200]


def test_a_redirect_is_not_sent(gateway: SmsGateway) -> None:
    gateway.refuse(1, status=302, body=b"moved")
    assert HttpProvider(gateway.url, env_for(gateway)).send(called()).reason.startswith("HTTP 302")


def test_an_echoed_token_or_phone_never_reaches_the_reason(gateway: SmsGateway) -> None:
    gateway.refuse(1, status=401, body=f"bad token {SECRETS['http_token']} for {PHONE}".encode())
    result = HttpProvider(gateway.url, env_for(gateway)).send(called())
    assert result.status == "failed" and result.reason.startswith("HTTP 401")
    assert_clean(result.reason)
    assert PHONE not in result.reason and "138****1234" in result.reason


def test_a_long_body_is_cut(gateway: SmsGateway) -> None:
    gateway.refuse(1, status=500, body=b"<html>" + b"x" * 5000)
    result = HttpProvider(gateway.url, env_for(gateway)).send(called())
    assert result.reason.startswith("HTTP 500: <html>") and len(result.reason) <= 200


def test_a_gateway_that_hangs_is_failed_at_the_timeout(gateway: SmsGateway) -> None:
    gateway.hang(1)
    provider = HttpProvider(gateway.url, env_for(gateway, timeout=0.5))
    t0 = time.monotonic()
    result = provider.send(called())
    elapsed = time.monotonic() - t0
    assert result.status == "failed" and "ReadTimeout" in result.reason and "0.5" in result.reason
    assert 0.4 < elapsed < 3.0
    gateway.release()
    assert provider.send(called()).status == "sent"


def test_no_gateway_at_all_is_failed_with_the_exception_class() -> None:
    result = HttpProvider(f"http://127.0.0.1:{closed_port()}/sms", env_for(None)).send(called())
    assert result.status == "failed" and "ConnectError" in result.reason


# ---- the SDKs against the same gateway standing in for the cloud ----------------------------


def test_aliyun_sends_through_the_sdk(gateway: SmsGateway) -> None:
    gateway.reply(200, {"Code": "OK", "Message": "OK", "BizId": "900619^0", "RequestId": "R1"})
    result = AliyunProvider(env_for(gateway)).send(called("SMS_480000001"))
    assert result == SendResult.sent("900619^0")
    post, = gateway.posts
    assert post.headers["x-acs-action"] == "SendSms" and post.headers["x-acs-version"] == "2017-05-25"
    fields = post.query
    assert fields["PhoneNumbers"] == PHONE
    assert fields["SignName"] == "普安便民服务中心"
    assert fields["TemplateCode"] == "SMS_480000001"
    assert json.loads(fields["TemplateParam"]) == {"number": "A007", "window": "5"}
    assert fields["OutId"] == "sms-7"
    assert SECRETS["access_key_id"] in post.headers["authorization"]  # signed with the key from the environment
    assert SECRETS["access_key_secret"] not in post.path + json.dumps(post.headers)


def test_aliyun_business_error_is_failed(gateway: SmsGateway) -> None:
    gateway.reply(200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号", "RequestId": "R2"})
    result = AliyunProvider(env_for(gateway)).send(called("SMS_480000001"))
    assert result == SendResult.failed("isv.MOBILE_NUMBER_ILLEGAL: 非法手机号")


def test_aliyun_http_error_is_failed_without_the_key(gateway: SmsGateway) -> None:
    gateway.reply(400, {"Code": "InvalidAccessKeyId.NotFound", "RequestId": "R3",
                        "Message": f"Specified access key is not found: {SECRETS['access_key_id']}"})
    result = AliyunProvider(env_for(gateway)).send(called("SMS_480000001"))
    assert result.status == "failed" and "InvalidAccessKeyId.NotFound" in result.reason
    assert_clean(result.reason)
    assert len(gateway.posts) == 1  # the SDK's own retries are off: the outbox retries


def test_aliyun_no_answer_is_failed_at_the_timeout(gateway: SmsGateway) -> None:
    gateway.hang(1)
    t0 = time.monotonic()
    result = AliyunProvider(env_for(gateway, timeout=0.5)).send(called("SMS_480000001"))
    assert result.status == "failed" and "timed out" in result.reason
    assert time.monotonic() - t0 < 3.0


def test_aliyun_unreachable_is_failed_without_key_or_phone() -> None:
    result = AliyunProvider(env_for(None, base=f"http://127.0.0.1:{closed_port()}")).send(called("SMS_480000001"))
    assert result.status == "failed"
    assert_clean(result.reason)
    assert PHONE not in result.reason


def test_tencent_sends_through_the_sdk(gateway: SmsGateway) -> None:
    gateway.reply(200, {"Response": {"SendStatusSet": [{
        "SerialNo": "2028:1", "PhoneNumber": f"+86{PHONE}", "Fee": 1, "SessionContext": "sms-7",
        "Code": "Ok", "Message": "send success", "IsoCode": "CN"}], "RequestId": "R4"}})
    result = TencentProvider(env_for(gateway)).send(called("2101234"))
    assert result == SendResult.sent("2028:1")
    post, = gateway.posts
    assert post.headers["x-tc-action"] == "SendSms" and post.headers["x-tc-version"] == "2021-01-11"
    assert post.headers["x-tc-region"] == "ap-guangzhou"
    assert post.json == {"PhoneNumberSet": [f"+86{PHONE}"], "SmsSdkAppId": "1400000001", "TemplateId": "2101234",
                         "SignName": "普安便民服务中心", "TemplateParamSet": ["A007", "5"], "SessionContext": "sms-7"}
    assert SECRETS["secret_key"] not in post.body.decode() + json.dumps(post.headers)


def test_tencent_api_error_is_failed_without_the_secret(gateway: SmsGateway) -> None:
    gateway.reply(200, {"Response": {"Error": {"Code": "AuthFailure.SecretIdNotFound",
                                               "Message": f"The SecretId {SECRETS['secret_id']} is not found"},
                                     "RequestId": "R5"}})
    result = TencentProvider(env_for(gateway)).send(called("2101234"))
    assert result.status == "failed" and "AuthFailure.SecretIdNotFound" in result.reason
    assert_clean(result.reason)


def test_tencent_unreachable_is_failed() -> None:
    result = TencentProvider(env_for(None, base=f"http://127.0.0.1:{closed_port()}")).send(called("2101234"))
    assert result.status == "failed" and "ClientNetworkError" in result.reason
    assert_clean(result.reason)


def test_debug_logging_never_shows_a_credential(gateway: SmsGateway, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    e = env_for(gateway)
    gateway.reply(200, {"Code": "OK", "BizId": "1", "RequestId": "R", "Message": "OK"})
    AliyunProvider(e).send(called("SMS_480000001"))
    gateway.reply(200, {"Response": {"SendStatusSet": [{"SerialNo": "1", "Code": "Ok", "Message": "ok"}],
                                     "RequestId": "R"}})
    TencentProvider(e).send(called("2101234"))
    HttpProvider(gateway.url, e).send(called())
    assert len(gateway.posts) == 3
    assert_clean(caplog.text)
