"""API errors: a status, a stable code and a message a person can act on."""

from __future__ import annotations


class ApiError(Exception):
    """A refused request; nothing was changed."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code


class Invalid(ApiError):
    status, code = 422, "invalid"


class Unauthorized(ApiError):
    status, code = 401, "unauthorized"


class Forbidden(ApiError):
    status, code = 403, "forbidden"


class NotFound(ApiError):
    status, code = 404, "not_found"


class Conflict(ApiError):
    status, code = 409, "conflict"


class RateLimited(ApiError):
    status, code = 429, "rate_limited"


def conflict(code: str, message: str) -> ApiError:
    """Return a 409 with a specific code such as window_busy."""
    return ApiError(message, status=409, code=code)
