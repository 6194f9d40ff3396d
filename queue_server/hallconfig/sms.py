"""The hall YAML's `settings.sms`: which provider, the sign name, the templates and the rules' numbers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from queue_server.domain import sms as rules
from queue_server.domain.sms import DEFAULT_TEMPLATES, PARAMS, SmsKind

# Placeholder: the sign name (签名) the county's provider approves; a hall sets its own.
DEFAULT_SIGN_NAME = "普安便民服务中心"
KINDS = tuple(kind.value for kind in SmsKind)


def _default_templates() -> dict[SmsKind, str]:
    return dict(DEFAULT_TEMPLATES)


def _default_quiet() -> list[str]:
    return ["21:00", "08:00"]


class SmsSettings(BaseModel):
    """短信提醒: `log` records and sends nothing; credentials live in HALL_SMS_* only, never here."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    provider: Literal["log", "aliyun", "tencent", "http"] = "log"
    sign_name: str = Field(default=DEFAULT_SIGN_NAME, min_length=1, max_length=32)
    # Our texts ({name} placeholders) for log/http; the approved template ids for aliyun/tencent.
    templates: dict[SmsKind, str] = Field(default_factory=_default_templates)
    # For Tencent's positional templates ({1}, {2}…): the params in the approved template's order.
    param_order: dict[SmsKind, list[str]] = Field(default_factory=dict)
    ahead_at: int = Field(default=3, ge=1, le=50)
    quiet_hours: list[str] = Field(default_factory=_default_quiet)
    http_url: str | None = None

    @field_validator("templates", "param_order", mode="before")
    @classmethod
    def _known_kinds(cls, v: object) -> object:
        unknown = [k for k in v if k not in KINDS] if isinstance(v, dict) else []
        if unknown:
            raise ValueError(f"未知的短信类型 {unknown[0]!r}（可用：{'、'.join(KINDS)}）")
        return v

    @field_validator("templates")
    @classmethod
    def _templates(cls, v: dict[SmsKind, str]) -> dict[SmsKind, str]:
        for kind, text in v.items():
            if not text.strip():
                raise ValueError(f"sms.templates.{kind.value}: 模板不能为空")
            problem = rules.template_problem(kind, text)
            if problem:
                raise ValueError(f"sms.templates.{kind.value}: {problem}")
        return {**DEFAULT_TEMPLATES, **v}

    @field_validator("param_order")
    @classmethod
    def _order(cls, v: dict[SmsKind, list[str]]) -> dict[SmsKind, list[str]]:
        for kind, names in v.items():
            bad = [n for n in names if n not in PARAMS[kind]]
            if bad:
                usable = "、".join(PARAMS[kind])
                raise ValueError(f"sms.param_order.{kind.value}: {bad[0]!r} 不是可用的参数（可用：{usable}）")
        return v

    @field_validator("quiet_hours")
    @classmethod
    def _quiet(cls, v: list[str]) -> list[str]:
        if v and len(v) != 2:
            raise ValueError('sms.quiet_hours: 应为两个时间，例如 ["21:00", "08:00"]，或 [] 表示不设免打扰')
        try:
            rules.quiet_span(v)
        except rules.SmsError as exc:
            raise ValueError(f"sms.quiet_hours: {exc}") from exc
        return v

    @field_validator("http_url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        if v is not None and not v.startswith(("http://", "https://")):
            raise ValueError(f"sms.http_url: {v!r} 应以 http:// 或 https:// 开头")
        return v

    @model_validator(mode="after")
    def _provider_needs(self) -> SmsSettings:
        if self.provider == "http" and not self.http_url:
            raise ValueError("sms: provider 为 http 时必须填写 http_url（短信网关地址）")
        if self.provider in ("aliyun", "tencent"):
            texts = [k.value for k, t in self.templates.items() if rules.placeholders(t) or any(c.isspace() for c in t)]
            if texts:
                raise ValueError(f"sms: provider 为 {self.provider} 时，templates 须填写审核通过的模板编号，"
                                 f"不是模板文字（{'、'.join(texts)}）")
        return self
