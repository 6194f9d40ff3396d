"""The SMS providers: log (the default), the county's own http gateway, and the factory."""

from __future__ import annotations

import logging
from collections import deque
from typing import TYPE_CHECKING

import httpx

from queue_server.domain.privacy import mask_phone
from queue_server.sms.base import OutgoingSms, Provider, SendResult, SmsConfigError, scrub
from queue_server.sms.settings import SmsEnvSettings

if TYPE_CHECKING:
    from queue_server.hallconfig.sms import SmsSettings

log = logging.getLogger(__name__)
__all__ = ["HttpProvider", "LogProvider", "OutgoingSms", "Provider", "SendResult", "SmsConfigError",
           "make_provider"]


class LogProvider:
    """Record each message in the log (phone masked) and send nothing."""

    name = "log"

    def __init__(self, keep: int = 200) -> None:
        self.recent: deque[OutgoingSms] = deque(maxlen=keep)

    def send(self, message: OutgoingSms) -> SendResult:
        """Log the message as it would read on a phone; answer logged."""
        self.recent.append(message)
        log.info("sms %s (not sent, provider log) to %s: 【%s】%s", message.id, mask_phone(message.phone),
                 message.sign_name, message.text)
        return SendResult.logged()

    def __repr__(self) -> str:
        return "LogProvider()"


class HttpProvider:
    """POST each message as JSON to the county's own gateway; any 2xx counts as sent."""

    name = "http"

    def __init__(self, url: str, env: SmsEnvSettings, transport: httpx.BaseTransport | None = None) -> None:
        self.url = url
        self.timeout = env.timeout_seconds
        self._secrets = env.secrets()
        headers = {"User-Agent": "hall-queue-sms"}
        if env.http_token is not None:
            headers["Authorization"] = f"Bearer {env.http_token.get_secret_value()}"
        self._client = httpx.Client(timeout=env.timeout_seconds, headers=headers, transport=transport,
                                    follow_redirects=False)

    def send(self, message: OutgoingSms) -> SendResult:
        """POST {id, phone, sign_name, template, kind, params} (and the rendered text) once."""
        body = {"id": message.id, "phone": message.phone, "sign_name": message.sign_name,
                "template": message.template, "kind": message.kind.value, "params": message.params,
                "text": message.text}
        try:
            response = self._client.post(self.url, json=body, headers={"Idempotency-Key": message.id})
        except httpx.TimeoutException as exc:
            return SendResult.failed(f"短信网关 {self.timeout:g} 秒内无应答 ({type(exc).__name__})")
        except httpx.HTTPError as exc:
            return SendResult.failed(f"无法连接短信网关 ({type(exc).__name__})")
        if 200 <= response.status_code < 300:
            return SendResult.sent()
        excerpt = scrub(response.text, self._secrets, 120, phone=message.phone)
        return SendResult.failed(f"HTTP {response.status_code}: {excerpt}")

    def close(self) -> None:
        """Close the pooled connections."""
        self._client.close()

    def __repr__(self) -> str:
        return f"HttpProvider(url={self.url!r}, timeout={self.timeout!r})"


def make_provider(settings: SmsSettings, env: SmsEnvSettings | None = None) -> Provider:
    """Build the provider the hall YAML names, with credentials from HALL_SMS_*; raise SmsConfigError."""
    env = env if env is not None else SmsEnvSettings()
    if settings.provider == "log":
        return LogProvider()
    if settings.provider == "http":
        if not settings.http_url:
            raise SmsConfigError("短信 provider 为 http 时必须填写 http_url")
        return HttpProvider(settings.http_url, env)
    from queue_server.sms import cloud

    if settings.provider == "aliyun":
        return cloud.AliyunProvider(env)
    if settings.provider == "tencent":
        return cloud.TencentProvider(env, dict(settings.param_order))
    raise SmsConfigError(f"未知的短信 provider {settings.provider!r}")
