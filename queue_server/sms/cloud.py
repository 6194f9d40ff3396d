"""Aliyun and Tencent Cloud SMS through their official SDKs (optional extras, imported when used)."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from queue_server.domain.sms import SmsKind, param_order
from queue_server.sms.base import OutgoingSms, SendResult, SmsConfigError, scrub
from queue_server.sms.settings import SmsEnvSettings

# Their debug output carries request URLs and headers (AccessKeyId, the Authorization line):
# whatever level the hall logs at, these loggers say nothing below a warning.
_SDK_LOGGERS = ("darabonba-core", "tencentcloud_sdk_common")


def _quiet_sdk_loggers() -> None:
    for name in _SDK_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def _missing_extra(extra: str, what: str, exc: ImportError) -> SmsConfigError:
    return SmsConfigError(f"{what}需要安装可选依赖：pip install 'hall-queue[{extra}]' "
                          f"(the {extra} extra is not installed: {exc.name})")


def split_endpoint(value: str) -> tuple[str, str]:
    """Return (scheme, host[:port]) from "host", "host:port" or "http(s)://host[:port]"."""
    if "://" not in value:
        return "https", value
    parts = urlsplit(value)
    return parts.scheme, parts.netloc


def _need(env: SmsEnvSettings, *names: str) -> None:
    missing = [f"HALL_SMS_{n.upper()}" for n in names if not getattr(env, n)]
    if missing:
        raise SmsConfigError(f"短信凭据未设置：{', '.join(missing)} (set them in the environment)")


def _reason(exc: Exception, secrets: Sequence[str], phone: str) -> str:
    code = getattr(exc, "code", None)
    message = getattr(exc, "message", None) or str(exc)
    head = f"{type(exc).__name__}" + (f" {code}" if code else "")
    return scrub(f"{head}: {message}", secrets, phone=phone)


class AliyunProvider:
    """阿里云短信 (Dysmsapi 2017-05-25 SendSms): template_code is the approved SMS_… id."""

    name = "aliyun"

    def __init__(self, env: SmsEnvSettings, client: Any = None) -> None:
        _need(env, "access_key_id", "access_key_secret")
        try:
            from alibabacloud_dysmsapi20170525 import models
            from darabonba.runtime import RuntimeOptions
        except ImportError as exc:
            raise _missing_extra("sms-aliyun", "阿里云短信", exc) from exc
        self._models, self._runtime_options = models, RuntimeOptions
        self._secrets = env.secrets()
        self.endpoint = env.aliyun_endpoint
        self.timeout_ms = int(env.timeout_seconds * 1000)
        self._client = client if client is not None else self._make_client(env)

    def _make_client(self, env: SmsEnvSettings) -> Any:
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi.utils_models import Config

        _quiet_sdk_loggers()
        scheme, host = split_endpoint(env.aliyun_endpoint)
        assert env.access_key_id is not None and env.access_key_secret is not None
        config = Config(access_key_id=env.access_key_id.get_secret_value(),
                        access_key_secret=env.access_key_secret.get_secret_value(),
                        endpoint=host, protocol=scheme.upper(),
                        connect_timeout=self.timeout_ms, read_timeout=self.timeout_ms)
        return Client(config)

    def request(self, message: OutgoingSms) -> Any:
        """Build the SDK's SendSmsRequest for a message."""
        return self._models.SendSmsRequest(
            phone_numbers=message.phone, sign_name=message.sign_name, template_code=message.template,
            template_param=json.dumps(message.params, ensure_ascii=False), out_id=message.id,
        )

    def send(self, message: OutgoingSms) -> SendResult:
        """Send once (the SDK's own retries off: the outbox retries); Code "OK" is sent."""
        runtime = self._runtime_options(autoretry=False, max_attempts=1, read_timeout=self.timeout_ms,
                                        connect_timeout=self.timeout_ms)
        try:
            response = self._client.send_sms_with_options(self.request(message), runtime)
        except Exception as exc:  # the SDK raises its own classes, requests' and plain ones
            return SendResult.failed(_reason(exc, self._secrets, message.phone))
        body = response.body
        if body is None or body.code != "OK":
            code, text = (body.code, body.message) if body is not None else ("?", "empty answer")
            return SendResult.failed(scrub(f"{code}: {text}", self._secrets, phone=message.phone))
        return SendResult.sent(body.biz_id)

    def __repr__(self) -> str:
        return f"AliyunProvider(endpoint={self.endpoint!r})"


class TencentProvider:
    """腾讯云短信 (SMS 2021-01-11 SendSms): template is the TemplateId, params go by position."""

    name = "tencent"

    def __init__(self, env: SmsEnvSettings, order: Mapping[SmsKind, Sequence[str]] | None = None,
                 client: Any = None) -> None:
        _need(env, "secret_id", "secret_key", "sdk_app_id")
        try:
            from tencentcloud.sms.v20210111 import models
        except ImportError as exc:
            raise _missing_extra("sms-tencent", "腾讯云短信", exc) from exc
        self._models = models
        self._secrets = env.secrets()
        self.sdk_app_id = env.sdk_app_id or ""
        self.region, self.endpoint = env.region, env.tencent_endpoint
        self.order = dict(order or {})
        self._client = client if client is not None else self._make_client(env)

    def _make_client(self, env: SmsEnvSettings) -> Any:
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111.sms_client import SmsClient

        _quiet_sdk_loggers()
        scheme, host = split_endpoint(env.tencent_endpoint)
        assert env.secret_id is not None and env.secret_key is not None
        cred = credential.Credential(env.secret_id.get_secret_value(), env.secret_key.get_secret_value())
        http = HttpProfile(protocol=scheme, endpoint=host, reqTimeout=max(1, round(env.timeout_seconds)))
        return SmsClient(cred, env.region, ClientProfile(httpProfile=http))

    def request(self, message: OutgoingSms) -> Any:
        """Build the SDK's SendSmsRequest for a message."""
        names = self.order.get(message.kind) or param_order(message.kind)
        req = self._models.SendSmsRequest()
        req.PhoneNumberSet = [f"+86{message.phone}"]
        req.SmsSdkAppId = self.sdk_app_id
        req.SignName = message.sign_name
        req.TemplateId = message.template
        req.TemplateParamSet = [message.params[n] for n in names]
        req.SessionContext = message.id
        return req

    def send(self, message: OutgoingSms) -> SendResult:
        """Send once; the one number's SendStatus Code "Ok" is sent."""
        try:
            request = self.request(message)
        except KeyError as exc:
            return SendResult.failed(f"短信参数缺少 {exc.args[0]} (template needs it)")
        try:
            response = self._client.SendSms(request)
        except Exception as exc:  # TencentCloudSDKException, and anything the transport raises
            return SendResult.failed(_reason(exc, self._secrets, message.phone))
        statuses = response.SendStatusSet or []
        if not statuses:
            return SendResult.failed("腾讯云未返回发送状态 (no SendStatusSet)")
        status = statuses[0]
        if status.Code != "Ok":
            return SendResult.failed(scrub(f"{status.Code}: {status.Message}", self._secrets, phone=message.phone))
        return SendResult.sent(status.SerialNo)

    def __repr__(self) -> str:
        return f"TencentProvider(region={self.region!r}, endpoint={self.endpoint!r})"
