"""The typed error every failed call raises."""

from __future__ import annotations

import json
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class ErrorDetail:
    field: str | None
    issue: str


class InstantReplyError(Exception):
    """A non-2xx answer of the API, after any retries.

    ``code`` is the stable error code to branch on (``RESOURCE_NOT_FOUND``,
    ``VALIDATION_ERROR``...); ``request_id`` is the id to quote to support (an idempotent
    replay names the original request, as its body does).
    """

    def __init__(
        self,
        *,
        status: int,
        code: str,
        message: str,
        doc_url: str | None,
        request_id: str | None,
        details: list[ErrorDetail],
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.doc_url = doc_url
        self.request_id = request_id
        self.details = details

    @classmethod
    def from_response(cls, response: httpx.Response) -> InstantReplyError:
        try:
            error = json.loads(response.read())["error"]
            return cls(
                status=response.status_code,
                code=error["code"],
                message=error["message"],
                doc_url=error["doc_url"],
                request_id=error["request_id"],
                details=[ErrorDetail(d["field"], d["issue"]) for d in error["details"]],
            )
        except (ValueError, KeyError, TypeError):
            # Not the API's envelope: something in between (a proxy, a load balancer)
            # answered. Keep what can be known about it.
            return cls(
                status=response.status_code,
                code="UNEXPECTED_RESPONSE",
                message=f"HTTP {response.status_code} without the API's error envelope",
                doc_url=None,
                request_id=response.headers.get("X-Request-Id"),
                details=[],
            )
