"""What a provider is given (OutgoingSms) and what it answers (SendResult)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from queue_server.domain.privacy import mask_phone
from queue_server.domain.sms import SmsKind, render

REASON_CHARS = 200


@dataclass(frozen=True)
class OutgoingSms:
    """One message as the outbox hands it to a provider; `id` stays the same across retries."""

    id: str
    phone: str
    sign_name: str
    template: str  # the provider's template id, or our template text with {name} placeholders
    kind: SmsKind
    params: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """Return the message body without the sign name (a template id comes back as itself)."""
        return render(self.template, self.params)

    def __repr__(self) -> str:
        return (f"OutgoingSms(id={self.id!r}, phone={mask_phone(self.phone)!r}, kind={self.kind.value!r}, "
                f"template={self.template!r})")


@dataclass(frozen=True)
class SendResult:
    """What became of one attempt: sent, failed (with a reason fit for a manager's page) or logged."""

    status: Literal["sent", "failed", "logged"]
    reason: str = ""
    ref: str | None = None  # the provider's own id for the message, where it gives one

    @classmethod
    def sent(cls, ref: str | None = None) -> SendResult:
        """Return a result for a message the provider accepted."""
        return cls("sent", "", ref)

    @classmethod
    def failed(cls, reason: str) -> SendResult:
        """Return a result for a message the provider refused or never answered."""
        return cls("failed", reason[:REASON_CHARS] or "failed")

    @classmethod
    def logged(cls) -> SendResult:
        """Return a result for a message recorded and not sent."""
        return cls("logged")

    @property
    def ok(self) -> bool:
        """Tell whether nothing is left to retry."""
        return self.status != "failed"


class Provider(Protocol):
    """A way to send one text; send() never raises for a provider's failure, it answers failed."""

    name: str

    def send(self, message: OutgoingSms) -> SendResult:
        """Send one message, once."""
        ...


class SmsConfigError(RuntimeError):
    """Raised at start-up for a provider that cannot work: a missing extra or credential."""


def scrub(text: str, secrets: Iterable[str], limit: int = REASON_CHARS, phone: str | None = None) -> str:
    """Cut text to a reason's length with every secret blanked out and the phone masked, wherever they appear."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    if phone:
        text = text.replace(phone, mask_phone(phone) or "")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
