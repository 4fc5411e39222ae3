"""The Graph API client (§10): the only code that talks to Meta.

One ``requests.Session`` per process (connection reuse), explicit connect/read
timeouts, the channel's access token as Bearer, and every call recorded as a
DownstreamCall under the request id that caused it (§7), with tokens redacted.

Failures are sorted by what they mean for a retry, because no send can be made
idempotent at Meta:
- ``MetaNotSentError``: the request cannot have been acted on — connection refused
  or connect timeout, HTTP 5xx, or a throttling/transient code. Safe to retry.
- ``MetaUnknownOutcomeError``: the request went out and no answer came back (read
  timeout, connection dropped mid-response). It may have been sent: never resend.
- ``MetaRequestError``: Meta answered that the request was wrong or not allowed.
  Retrying the same request cannot help.
"""

import json
import re
import threading
import time
from dataclasses import dataclass

import requests
from django.conf import settings
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

from instantreply.api.tracing import record_downstream_call

from .error_codes import AUTO_RETRY_CODES

CONNECT_TIMEOUT = 3.05
READ_TIMEOUT = 10.0

# Meta codes meaning "not processed, slow down or try later" (throttling and
# transient platform errors): the request was refused, so a retry cannot double-send.
# One list with the catalogue, so what we retry is what the docs call retryable.
RETRYABLE_CODES = frozenset(int(code) for code in AUTO_RETRY_CODES)
# The channel itself is unusable until someone acts: expired/revoked token, or the
# account restricted or locked by Meta.
TOKEN_CODES = frozenset({0, 190})
ACCOUNT_RESTRICTION_CODES = frozenset({368, 131031})

_TOKEN_IN_URL = re.compile(r"(access_token=)[^&#]+", re.IGNORECASE)
_TOKEN_IN_TEXT = re.compile(r"\bEA[A-Za-z0-9]{20,}")


class MetaError(Exception):
    """A failed Graph call; ``code``/``subcode``/``fbtrace_id`` are Meta's when it answered."""

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = None,
        code: int | None = None,
        subcode: int | None = None,
        error_type: str | None = None,
        fbtrace_id: str | None = None,
        details: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.code = code
        self.subcode = subcode
        self.error_type = error_type
        self.fbtrace_id = fbtrace_id
        self.details = details

    @property
    def catalogue_code(self) -> str | None:
        """The §8 error code: "131047", or "10.2534022" for a code with a subcode."""
        if self.code is None:
            return None
        return f"{self.code}.{self.subcode}" if self.subcode else str(self.code)

    @property
    def is_token_error(self) -> bool:
        return self.code in TOKEN_CODES

    @property
    def is_account_restricted(self) -> bool:
        return self.code in ACCOUNT_RESTRICTION_CODES


class MetaNotSentError(MetaError):
    """Cannot have been sent: retry with backoff."""


class MetaUnknownOutcomeError(MetaError):
    """May have been sent: never resend."""


class MetaRequestError(MetaError):
    """Meta refused the request as wrong or not allowed: do not retry."""


@dataclass
class SendResult:
    external_id: str
    response: dict


_local = threading.local()


def _session() -> requests.Session:
    # One session per thread: requests.Session is not documented as thread-safe,
    # and worker pools (threads in tests, prefork in production) each get their own.
    session = getattr(_local, "session", None)
    if session is None:
        session = requests.Session()
        session.headers["User-Agent"] = "InstantReply/1.0"
        _local.session = session
    return session


def _redact_text(text: str, token: str | None) -> str:
    if token:
        text = text.replace(token, "[REDACTED]")
    return _TOKEN_IN_TEXT.sub("[REDACTED]", _TOKEN_IN_URL.sub(r"\1[REDACTED]", text))


def _is_connect_failure(exc: requests.ConnectionError) -> bool:
    """True when the TCP connection was never made (so the request never left)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    seen = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, NewConnectionError | ConnectTimeoutError | NameResolutionError):
            return True
        stack.extend([getattr(current, "reason", None), current.__cause__, current.__context__])
        stack.extend(a for a in getattr(current, "args", ()) if isinstance(a, BaseException))
    return False


def parse_error(status: int, payload) -> MetaError:
    """Meta's ``{"error": {message, type, code, error_subcode, error_data, fbtrace_id}}``
    as a typed exception, by what it means for a retry."""
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        error = {}
    code = _int_or_none(error.get("code"))
    subcode = _int_or_none(error.get("error_subcode"))
    error_data = error.get("error_data")
    details = error_data.get("details") if isinstance(error_data, dict) else None
    message = error.get("message") or f"Graph API answered HTTP {status}"
    kwargs = dict(
        http_status=status,
        code=code,
        subcode=subcode,
        error_type=error.get("type"),
        fbtrace_id=error.get("fbtrace_id"),
        details=details,
    )
    if status >= 500 or status == 429 or code in RETRYABLE_CODES:
        return MetaNotSentError(message, **kwargs)
    return MetaRequestError(message, **kwargs)


def _int_or_none(value):
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def call(
    method: str,
    path: str,
    *,
    token: str,
    body: dict | None = None,
    params: dict | None = None,
    workspace_id: str | None = None,
    subject_id: str | None = None,
    timeout: tuple[float, float] | None = None,
) -> dict:
    """One Graph API call, recorded; returns the parsed JSON body of a 2xx answer."""
    url = f"{settings.META_GRAPH_API_URL}/{path.lstrip('/')}"
    # As sent, query included; record_downstream_call redacts the token in it.
    full_url = requests.Request(method, url, params=params).prepare().url
    started = time.perf_counter()
    status = None
    response_text = None
    error_text = None
    try:
        try:
            response = _session().request(
                method,
                url,
                params=params,
                json=body,
                headers={"Authorization": f"Bearer {token}"},
                timeout=timeout or (CONNECT_TIMEOUT, READ_TIMEOUT),
            )
        except requests.ConnectionError as exc:
            error_text = _redact_text(f"{type(exc).__name__}: {exc}", token)
            if _is_connect_failure(exc):
                raise MetaNotSentError(f"could not connect to the Graph API ({error_text})")
            raise MetaUnknownOutcomeError(
                f"the connection to the Graph API broke after the request was sent ({error_text})"
            )
        except requests.Timeout as exc:
            # Only the read timeout lands here (a connect timeout is a ConnectionError):
            # the request was sent and Meta may have acted on it.
            error_text = _redact_text(f"{type(exc).__name__}: {exc}", token)
            raise MetaUnknownOutcomeError(
                f"no answer from the Graph API within {READ_TIMEOUT:g} s after sending ({error_text})"
            )
        except requests.RequestException as exc:
            error_text = _redact_text(f"{type(exc).__name__}: {exc}", token)
            raise MetaNotSentError(f"the Graph API request could not be made ({error_text})")
        status = response.status_code
        response_text = _redact_text(response.text, token)
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if status >= 400:
            exc = parse_error(status, payload)
            error_text = exc.message
            raise exc
        if not isinstance(payload, dict):
            error_text = "the Graph API answered 2xx without a JSON object"
            raise MetaUnknownOutcomeError(error_text, http_status=status)
        return payload
    finally:
        record_downstream_call(
            service="meta_graph",
            method=method,
            url=full_url,
            status=status,
            duration_ms=int((time.perf_counter() - started) * 1000),
            error=error_text,
            request_body=json.dumps(body) if body is not None else None,
            response_body=response_text,
            workspace_id=workspace_id,
            subject_id=subject_id,
        )


# ---------------------------------------------------------------------------------
# Request bodies (§10), kept apart from the transport so tests and the simulator can
# compare against exactly these shapes.


def whatsapp_text_body(*, to: str, text: str) -> dict:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"body": text},
    }


def whatsapp_template_body(*, to: str, name: str, language: str, variables: list[str]) -> dict:
    template: dict = {"name": name, "language": {"code": language}}
    if variables:
        template["components"] = [
            {"type": "body", "parameters": [{"type": "text", "text": str(v)} for v in variables]}
        ]
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": template,
    }


def messaging_text_body(*, recipient_id: str, text: str, human_agent: bool = False) -> dict:
    """Instagram and Messenger share the Send API shape."""
    body: dict = {"recipient": {"id": recipient_id}}
    if human_agent:
        body["messaging_type"] = "MESSAGE_TAG"
        body["tag"] = "HUMAN_AGENT"
    else:
        body["messaging_type"] = "RESPONSE"
    body["message"] = {"text": text}
    return body


# ---------------------------------------------------------------------------------
# Operations


def _whatsapp_send(channel, body: dict, subject_id: str | None) -> SendResult:
    payload = call(
        "POST",
        f"{channel.external_id}/messages",
        token=channel.access_token,
        body=body,
        workspace_id=channel.workspace_id,
        subject_id=subject_id,
    )
    messages = payload.get("messages")
    if not (isinstance(messages, list) and messages and isinstance(messages[0], dict)):
        raise MetaUnknownOutcomeError("the Graph API accepted the send but returned no message id")
    return SendResult(external_id=str(messages[0].get("id")), response=payload)


def send_whatsapp_text(*, channel, to: str, text: str, subject_id: str | None = None) -> SendResult:
    return _whatsapp_send(channel, whatsapp_text_body(to=to, text=text), subject_id)


def send_whatsapp_template(
    *,
    channel,
    to: str,
    name: str,
    language: str,
    variables: list[str],
    subject_id: str | None = None,
) -> SendResult:
    return _whatsapp_send(
        channel,
        whatsapp_template_body(to=to, name=name, language=language, variables=variables),
        subject_id,
    )


def send_messaging_text(
    *,
    channel,
    recipient_id: str,
    text: str,
    human_agent: bool = False,
    subject_id: str | None = None,
) -> SendResult:
    """A text through the Send API, which Instagram and Messenger share."""
    payload = call(
        "POST",
        f"{channel.external_id}/messages",
        token=channel.access_token,
        body=messaging_text_body(recipient_id=recipient_id, text=text, human_agent=human_agent),
        workspace_id=channel.workspace_id,
        subject_id=subject_id,
    )
    if not payload.get("message_id"):
        raise MetaUnknownOutcomeError(
            "the Send API accepted the message but returned no message_id"
        )
    return SendResult(external_id=str(payload["message_id"]), response=payload)


def submit_template(
    *,
    channel,
    name: str,
    language: str,
    category: str,
    components: list[dict],
    waba_id: str | None = None,
    subject_id: str | None = None,
) -> dict:
    """``POST /{waba_id}/message_templates`` → ``{id, status, category}``."""
    return call(
        "POST",
        f"{waba_id or channel.waba_id}/message_templates",
        token=channel.access_token,
        body={
            "name": name,
            "language": language,
            "category": category.upper(),
            "components": components,
        },
        workspace_id=channel.workspace_id,
        subject_id=subject_id,
    )


def list_templates(
    *, channel, after: str | None = None, waba_id: str | None = None, limit: int = 100
) -> dict:
    """One page of ``GET /{waba_id}/message_templates``: ``{data, paging {cursors, next}}``;
    pass ``paging.cursors.after`` back as ``after`` while ``paging.next`` is present."""
    params: dict = {"limit": limit}
    if after:
        params["after"] = after
    return call(
        "GET",
        f"{waba_id or channel.waba_id}/message_templates",
        token=channel.access_token,
        params=params,
        workspace_id=channel.workspace_id,
    )
