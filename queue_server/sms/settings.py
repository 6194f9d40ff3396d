"""SMS credentials and connection settings, from the environment only (HALL_SMS_*)."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class SmsEnvSettings(BaseSettings):
    """Credentials never come from the hall YAML; SecretStr keeps them out of reprs and dumps."""

    model_config = SettingsConfigDict(env_prefix="HALL_SMS_", extra="ignore")

    # Aliyun (阿里云短信): an AccessKey pair.
    access_key_id: SecretStr | None = None
    access_key_secret: SecretStr | None = None
    aliyun_endpoint: str = "dysmsapi.aliyuncs.com"
    # Tencent Cloud (腾讯云短信): a SecretId/SecretKey pair and the SMS application's SdkAppId.
    secret_id: SecretStr | None = None
    secret_key: SecretStr | None = None
    sdk_app_id: str | None = None
    region: str = "ap-guangzhou"
    tencent_endpoint: str = "sms.tencentcloudapi.com"
    # The county's own gateway (provider http): an optional bearer token.
    http_token: SecretStr | None = None
    # Short: a message that waits is retried; a provider that hangs must not hold the sender.
    timeout_seconds: float = 5.0

    def secrets(self) -> list[str]:
        """Return every credential value set, for scrubbing them out of reasons."""
        values = (self.access_key_id, self.access_key_secret, self.secret_id, self.secret_key, self.http_token)
        return [v.get_secret_value() for v in values if v is not None and v.get_secret_value()]
