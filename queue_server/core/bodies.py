"""A typed request body that is validated when the use case is ready for it.

The contract orders a refusal's checks: who is asking (401), what they ask about (404), whether they
may (403), the state (409), and only then the body (422). FastAPI validates a body before the
handler runs, so a route whose body must wait takes a ``Deferred[Model]`` instead: the JSON as it
came, and the model it must validate against. The use case calls ``get()`` after its own checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from queue_server.core.errors import Invalid

B = TypeVar("B", bound=BaseModel)


@dataclass(frozen=True)
class Deferred(Generic[B]):
    """A request body and the model it will be validated against."""

    model: type[B]
    raw: Any = None
    malformed: bool = False  # the body was not JSON at all

    def get(self) -> B:
        """Validate the body now; refuse it with 422 ``invalid`` and a message saying where."""
        if self.malformed:
            raise Invalid("请求内容不是有效的 JSON (the body is not valid JSON)")
        try:
            return self.model.model_validate({} if self.raw is None else self.raw)
        except ValidationError as exc:
            parts = []
            for err in exc.errors()[:3]:
                where = ".".join(str(p) for p in err.get("loc", ()))
                parts.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
            raise Invalid("请求内容不正确 (invalid request): " + "; ".join(parts)) from exc

    def peek(self, field: str) -> Any:
        """Return one field as sent, before validation (for a check that must come before it)."""
        return self.raw.get(field) if isinstance(self.raw, dict) else None
