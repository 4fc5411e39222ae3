"""A development and test stand-in for Meta's Graph API (§10), over real HTTP.

It answers the paths InstantReply calls, with Meta's response shapes:
- ``POST /{phone_number_id}/messages`` (WhatsApp) → ``{messaging_product, contacts,
  messages [{id: wamid}]}``, then posts signed ``statuses`` webhooks (sent →
  delivered → read, or sent → failed with a chosen code) to the webhook URL;
- ``POST /{ig_account_id|page_id}/messages`` (Instagram/Messenger Send API) →
  ``{recipient_id, message_id}``, then ``delivery`` and ``read`` webhooks;
- ``POST /{waba_id}/message_templates`` → ``{id, status: PENDING, category}`` and a
  ``message_template_status_update`` webhook with the review outcome (an approval
  carries the category the review gives: a registered categoriser re-categorises a
  utility template whose content is marketing, as Meta does);
  ``GET /{waba_id}/message_templates`` with Meta's cursor paging.

A version prefix (``/v24.0/``) is accepted and ignored. Control endpoints for
tests and demos:
- ``GET /_sim/requests`` — every Graph request received (``?path=`` filters);
- ``GET /_sim/webhooks`` — every webhook posted and the answer it got;
- ``POST /_sim/reset`` — forget requests, webhooks, templates and behaviour;
- ``POST /_sim/template_category`` — ``{"message_template_id", "new_category"}``: Meta's
  periodic check moves a template it holds to another category; posts the signed
  ``template_category_update`` webhook and answers with it and the status it got;
- ``POST /_sim/behaviour`` — change what the next calls do, e.g.
  ``{"fail_next": 2}`` (HTTP 500), ``{"error": {"code": 131047, "http_status": 400,
  "count": 1}}``, ``{"delay_next": 3.0}`` (sleep before answering: past the
  client's read timeout), ``{"outcome": {"status": "failed", "code": 131026}}``
  (status webhooks after a send), ``{"statuses": ["sent", "delivered"]}``,
  ``{"template_review": "REJECTED"}``, ``{"webhooks": false}``,
  ``{"platforms": {"<id>": "instagram"}}``.
"""

import itertools
import json
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import requests

from . import signatures

logger = logging.getLogger("instantreply.meta.simulator")

_VERSION = re.compile(r"^/v\d+(?:\.\d+)?(?=/)")
_ERROR_TITLES = {
    0: "AuthException",
    4: "Application request limit reached",
    10: "Permission denied",
    100: "Invalid parameter",
    190: "Invalid OAuth access token",
    368: "Temporarily blocked for policies violations",
    130429: "Rate limit hit",
    131000: "Something went wrong",
    131026: "Message undeliverable",
    131047: "Re-engagement message",
    131056: "(Business Account, Consumer Account) pair rate limit hit",
    132001: "Template name does not exist in the translation",
}
DEFAULT_STATUSES = ("sent", "delivered", "read")
CATEGORIES = ("MARKETING", "UTILITY", "AUTHENTICATION")

# Meta judges a submitted template's category on its content. The platform knows no
# domain, so the app that owns templates registers that judgement from its ready():
# (components in Meta's shape, requested category) -> the category the review gives.
# Unregistered, a review keeps the requested category.
_categoriser: Callable[[list, str], str] | None = None


def register_categoriser(categoriser: Callable[[list, str], str]) -> None:
    global _categoriser
    _categoriser = categoriser


def template_status_payload(
    *,
    waba_id: str,
    meta_template_id: str,
    name: str,
    language: str,
    event: str,
    category: str,
    reason: str | None = None,
) -> dict:
    """Meta's ``message_template_status_update`` webhook (META.md §2)."""
    return _template_change(
        waba_id,
        "message_template_status_update",
        {
            "event": event,
            "message_template_id": int(meta_template_id),
            "message_template_name": name,
            "message_template_language": language,
            "reason": reason or "NONE",
            "message_template_category": category,
        },
    )


def template_category_payload(
    *,
    waba_id: str,
    meta_template_id: str,
    name: str,
    language: str,
    previous_category: str,
    new_category: str,
) -> dict:
    """Meta's ``template_category_update`` webhook for a completed change (META.md §2)."""
    return _template_change(
        waba_id,
        "template_category_update",
        {
            "message_template_id": int(meta_template_id),
            "message_template_name": name,
            "message_template_language": language,
            "previous_category": previous_category,
            "new_category": new_category,
        },
    )


def _template_change(waba_id: str, field: str, value: dict) -> dict:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": str(waba_id),
                "time": int(time.time()),
                "changes": [{"field": field, "value": value}],
            }
        ],
    }


class SimulatorState:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.requests: list[dict] = []
            self.webhooks: list[dict] = []
            self.templates: list[dict] = []
            self.fail_next = 0
            self.errors: list[dict] = []
            self.delays: list[float] = []
            self.outcome: dict | None = None
            self.statuses: list[str] = list(DEFAULT_STATUSES)
            self.template_review = "APPROVED"
            self.send_webhooks = True
            self.platforms: dict[str, str] = {}
            self.webhook_interval = 0.05

    def configure(self, data: dict) -> None:
        with self.lock:
            if "fail_next" in data:
                self.fail_next = int(data["fail_next"])
            if "error" in data and data["error"]:
                error = dict(data["error"])
                self.errors.extend([error] * int(error.pop("count", 1)))
            if "delay_next" in data:
                self.delays.extend([float(data["delay_next"])] * int(data.get("delay_count", 1)))
            if "outcome" in data:
                self.outcome = data["outcome"]
            if "statuses" in data:
                self.statuses = [str(s) for s in data["statuses"]]
            if "template_review" in data:
                self.template_review = data["template_review"]
            if "webhooks" in data:
                self.send_webhooks = bool(data["webhooks"])
            if "platforms" in data:
                self.platforms.update({str(k): str(v) for k, v in data["platforms"].items()})
            if "webhook_interval" in data:
                self.webhook_interval = float(data["webhook_interval"])

    def snapshot(self) -> dict:
        with self.lock:
            return {
                "fail_next": self.fail_next,
                "pending_errors": len(self.errors),
                "pending_delays": len(self.delays),
                "outcome": self.outcome,
                "statuses": self.statuses,
                "template_review": self.template_review,
                "webhooks": self.send_webhooks,
                "platforms": self.platforms,
            }


class MetaSimulator:
    """``with MetaSimulator(port=..., webhook_url=...) as sim:`` or ``start()``/``stop()``."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        webhook_url: str | None = None,
        app_secret: str | None = None,
    ):
        self.state = SimulatorState()
        self.webhook_url = webhook_url
        self.app_secret = app_secret
        self._ids = itertools.count(1)
        handler = type("BoundHandler", (_Handler,), {"sim": self})
        self.server = ThreadingHTTPServer((host, port), handler)
        self.server.daemon_threads = True
        self._thread: threading.Thread | None = None
        self._webhook_threads: list[threading.Thread] = []

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def graph_url(self) -> str:
        return f"{self.base_url}/v24.0"

    def start(self) -> "MetaSimulator":
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        for thread in list(self._webhook_threads):
            thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def wait_for_webhooks(self, timeout: float = 10.0) -> None:
        """Block until every status webhook scheduled so far has been posted."""
        deadline = time.monotonic() + timeout
        for thread in list(self._webhook_threads):
            thread.join(timeout=max(0.0, deadline - time.monotonic()))

    # ------------------------------------------------------------------ ids
    def new_wamid(self) -> str:
        return "wamid.HBgL" + secrets.token_hex(12).upper()

    def new_mid(self) -> str:
        return "m_" + secrets.token_urlsafe(24)

    def new_template_id(self) -> str:
        return str(1_000_000_000_000_000 + next(self._ids) * 7919 + secrets.randbelow(7919))

    # ------------------------------------------------------------- webhooks
    def schedule(self, payloads: list[dict]) -> None:
        if not self.webhook_url or not payloads:
            return
        interval = self.state.webhook_interval
        thread = threading.Thread(target=self._post_all, args=(payloads, interval), daemon=True)
        self._webhook_threads = [t for t in self._webhook_threads if t.is_alive()] + [thread]
        thread.start()

    def _post_all(self, payloads: list[dict], interval: float) -> None:
        # Meta's first status follows its answer by a moment, not before the caller
        # has had a chance to read it.
        for payload in payloads:
            time.sleep(interval)
            self.post_webhook(payload)

    def post_webhook(self, payload: dict) -> int | None:
        body = json.dumps(payload).encode()
        headers = {
            "Content-Type": "application/json",
            signatures.HEADER: signatures.sign(body, self.app_secret),
            "User-Agent": "facebookexternalua",
        }
        record = {"payload": payload, "status": None, "error": None, "at": time.time()}
        try:
            response = requests.post(self.webhook_url, data=body, headers=headers, timeout=10)
            record["status"] = response.status_code
        except requests.RequestException as exc:
            record["error"] = f"{type(exc).__name__}: {exc}"
        with self.state.lock:
            self.state.webhooks.append(record)
        return record["status"]

    def whatsapp_status_payloads(self, phone_number_id: str, wamid: str, to: str) -> list[dict]:
        with self.state.lock:
            outcome = self.state.outcome
            flow = list(self.state.statuses)
        base = int(time.time())
        payloads = []
        if outcome and outcome.get("status") == "failed":
            flow = ["sent", "failed"] if outcome.get("after_sent", True) else ["failed"]
        for offset, status in enumerate(flow):
            item: dict = {
                "id": wamid,
                "status": status,
                "timestamp": str(base + offset),
                "recipient_id": to,
            }
            if status == "failed":
                code = int((outcome or {}).get("code", 131026))
                item["errors"] = [
                    {
                        "code": code,
                        "title": _ERROR_TITLES.get(code, "Error"),
                        "message": _ERROR_TITLES.get(code, "Error"),
                        "error_data": {
                            "details": (outcome or {}).get("details", "Simulated failure")
                        },
                    }
                ]
            elif status in ("sent", "delivered"):
                item["pricing"] = {
                    "billable": True,
                    "pricing_model": "PMP",
                    "category": "service",
                    "type": "free_customer_service",
                }
            payloads.append(
                {
                    "object": "whatsapp_business_account",
                    "entry": [
                        {
                            "id": f"waba-of-{phone_number_id}",
                            "changes": [
                                {
                                    "field": "messages",
                                    "value": {
                                        "messaging_product": "whatsapp",
                                        "metadata": {
                                            "display_phone_number": "15550000000",
                                            "phone_number_id": phone_number_id,
                                        },
                                        "statuses": [item],
                                    },
                                }
                            ],
                        }
                    ],
                }
            )
        return payloads

    def messaging_status_payloads(self, account_id: str, mid: str, recipient: str) -> list[dict]:
        with self.state.lock:
            platform = self.state.platforms.get(account_id)
            flow = [s for s in self.state.statuses if s in ("delivered", "read")]
        if platform is None:
            # Instagram professional account ids are the 1784… family; Page ids are not.
            platform = "instagram" if account_id.startswith("1784") else "messenger"
        now_ms = int(time.time() * 1000)
        payloads = []
        for offset, status in enumerate(flow):
            event: dict = {
                "sender": {"id": recipient},
                "recipient": {"id": account_id},
                "timestamp": now_ms + offset,
            }
            if status == "delivered":
                event["delivery"] = {"mids": [mid], "watermark": now_ms + offset}
            else:
                event["read"] = {"mid": mid, "watermark": now_ms + offset}
            payloads.append(
                {
                    "object": "instagram" if platform == "instagram" else "page",
                    "entry": [{"id": account_id, "time": now_ms + offset, "messaging": [event]}],
                }
            )
        return payloads

    def template_review_payloads(self, waba_id: str, template: dict) -> list[dict]:
        with self.state.lock:
            review = self.state.template_review
        if not review:
            return []
        if review == "APPROVED" and _categoriser is not None:
            reviewed = _categoriser(template["components"], template["category"])
            with self.state.lock:
                template["category"] = reviewed
        return [
            template_status_payload(
                waba_id=waba_id,
                meta_template_id=template["id"],
                name=template["name"],
                language=template["language"],
                event=review,
                reason="NONE" if review == "APPROVED" else "INVALID_FORMAT",
                category=template["category"],
            )
        ]

    def change_template_category(self, meta_template_id: str, new_category) -> tuple[int, dict]:
        """Meta's periodic check re-categorises a template it holds: the signed
        ``template_category_update`` webhook is posted now. Returns the HTTP status
        and body of the control endpoint's answer."""
        if new_category not in CATEGORIES:
            return 400, {"error": {"message": f"new_category must be one of {CATEGORIES}"}}
        with self.state.lock:
            template = next(
                (t for t in self.state.templates if t["id"] == str(meta_template_id)), None
            )
            if template is not None:
                previous, template["category"] = template["category"], new_category
        if template is None:
            return 404, {"error": {"message": f"no simulated template {meta_template_id}"}}
        payload = template_category_payload(
            waba_id=template["waba_id"],
            meta_template_id=template["id"],
            name=template["name"],
            language=template["language"],
            previous_category=previous,
            new_category=new_category,
        )
        status = self.post_webhook(payload) if self.webhook_url else None
        return 200, {"data": {"payload": payload, "webhook_status": status}}


def meta_error(code: int, message: str | None = None, subcode: int | None = None) -> dict:
    title = _ERROR_TITLES.get(code, "Error")
    error = {
        "message": message or f"(#{code}) {title}",
        "type": "OAuthException",
        "code": code,
        "error_data": {"messaging_product": "whatsapp", "details": message or title},
        "fbtrace_id": "A" + secrets.token_urlsafe(16),
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


class _Handler(BaseHTTPRequestHandler):
    sim: MetaSimulator
    protocol_version = "HTTP/1.1"
    server_version = "MetaGraphSimulator/1.0"

    def log_message(self, format, *args):
        logger.debug("%s - %s", self.address_string(), format % args)

    # ------------------------------------------------------------ plumbing
    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return None, raw
        try:
            return json.loads(raw), raw
        except ValueError:
            return None, raw

    def _send(self, status: int, payload) -> None:
        body = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its read timeout): exactly what a test may want

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        split = urlsplit(self.path)
        path = _VERSION.sub("", split.path)
        query = {k: v[-1] for k, v in parse_qs(split.query).items()}
        body, raw = self._read_body() if method == "POST" else (None, b"")
        if path.startswith("/_sim/"):
            return self._control(method, path, query, body)
        sim = self.sim
        record = {
            "method": method,
            "path": path,
            "query": query,
            "authorization": self.headers.get("Authorization"),
            "body": body if body is not None else (raw.decode("utf-8", "replace") or None),
            "at": time.time(),
        }
        with sim.state.lock:
            sim.state.requests.append(record)
            delay = sim.state.delays.pop(0) if sim.state.delays else 0.0
            fail = sim.state.fail_next > 0
            if fail:
                sim.state.fail_next -= 1
            error = None if fail else (sim.state.errors.pop(0) if sim.state.errors else None)
        if delay:
            time.sleep(delay)
        auth = self.headers.get("Authorization") or ""
        if not auth.startswith("Bearer ") or len(auth) <= len("Bearer "):
            return self._send(
                401, meta_error(190, "Invalid OAuth access token - Cannot parse access token")
            )
        if fail:
            return self._send(500, meta_error(131000, "(#131000) Something went wrong"))
        if error:
            code = int(error.get("code", 100))
            status = int(error.get("http_status", 400))
            return self._send(status, meta_error(code, error.get("message"), error.get("subcode")))
        parts = [p for p in path.split("/") if p]
        if len(parts) == 2 and parts[1] == "messages" and method == "POST":
            return self._messages(parts[0], body)
        if len(parts) == 2 and parts[1] == "message_templates":
            if method == "POST":
                return self._create_template(parts[0], body)
            return self._list_templates(parts[0], query)
        return self._send(
            400,
            meta_error(
                100,
                f"Unsupported {method} request. Object with ID '{parts[0] if parts else ''}' does not exist",
            ),
        )

    # ------------------------------------------------------------- control
    def _control(self, method, path, query, body):
        state = self.sim.state
        if path == "/_sim/requests" and method == "GET":
            with state.lock:
                items = [
                    r for r in state.requests if not query.get("path") or r["path"] == query["path"]
                ]
            return self._send(200, {"data": items})
        if path == "/_sim/webhooks" and method == "GET":
            with state.lock:
                items = list(state.webhooks)
            return self._send(200, {"data": items})
        if path == "/_sim/reset" and method == "POST":
            state.reset()
            return self._send(200, {"data": state.snapshot()})
        if path == "/_sim/template_category" and method == "POST":
            body = body if isinstance(body, dict) else {}
            status, answer = self.sim.change_template_category(
                str(body.get("message_template_id") or ""), body.get("new_category")
            )
            return self._send(status, answer)
        if path == "/_sim/behaviour":
            if method == "POST":
                try:
                    state.configure(body or {})
                except (TypeError, ValueError, AttributeError) as exc:
                    return self._send(400, {"error": {"message": f"bad behaviour: {exc}"}})
            return self._send(200, {"data": state.snapshot()})
        return self._send(404, {"error": {"message": f"no simulator control {method} {path}"}})

    # ----------------------------------------------------------- Graph API
    def _messages(self, account_id: str, body) -> None:
        sim = self.sim
        if not isinstance(body, dict):
            return self._send(
                400, meta_error(100, "(#100) The parameter messaging_product is required.")
            )
        with sim.state.lock:
            send_webhooks = sim.state.send_webhooks
        if body.get("messaging_product") == "whatsapp":
            to = body.get("to")
            kind = body.get("type")
            if not to or kind not in ("text", "template"):
                return self._send(400, meta_error(100, "(#100) Invalid parameter"))
            if kind == "text" and not (body.get("text") or {}).get("body"):
                return self._send(
                    400, meta_error(131008, "(#131008) Required parameter is missing")
                )
            if kind == "template" and not (body.get("template") or {}).get("name"):
                return self._send(
                    400, meta_error(131008, "(#131008) Required parameter is missing")
                )
            wamid = sim.new_wamid()
            self._send(
                200,
                {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": to, "wa_id": to}],
                    "messages": [{"id": wamid, "message_status": "accepted"}],
                },
            )
            if send_webhooks:
                sim.schedule(sim.whatsapp_status_payloads(account_id, wamid, to))
            return None
        recipient = (
            (body.get("recipient") or {}).get("id")
            if isinstance(body.get("recipient"), dict)
            else None
        )
        if not recipient or not (body.get("message") or {}).get("text"):
            return self._send(
                400, meta_error(100, "(#100) param recipient and message[text] are required")
            )
        if body.get("messaging_type") not in ("RESPONSE", "UPDATE", "MESSAGE_TAG"):
            return self._send(
                400,
                meta_error(
                    100, "(#100) param messaging_type must be RESPONSE, UPDATE or MESSAGE_TAG"
                ),
            )
        if body.get("messaging_type") == "MESSAGE_TAG" and not body.get("tag"):
            return self._send(400, meta_error(100, "(#100) a MESSAGE_TAG send needs a tag"))
        mid = sim.new_mid()
        self._send(200, {"recipient_id": recipient, "message_id": mid})
        if send_webhooks:
            sim.schedule(sim.messaging_status_payloads(account_id, mid, recipient))
        return None

    def _create_template(self, waba_id: str, body) -> None:
        sim = self.sim
        if not isinstance(body, dict) or not all(
            body.get(k) for k in ("name", "language", "category")
        ):
            return self._send(
                400, meta_error(100, "(#100) name, language and category are required")
            )
        if body["category"] not in ("MARKETING", "UTILITY", "AUTHENTICATION"):
            return self._send(
                400, meta_error(100, "(#100) category must be MARKETING, UTILITY or AUTHENTICATION")
            )
        template = {
            "id": sim.new_template_id(),
            "name": body["name"],
            "language": body["language"],
            "category": body["category"],
            "status": "PENDING",
            "components": body.get("components") or [],
            "quality_score": {"score": "UNKNOWN"},
            "waba_id": waba_id,
        }
        with sim.state.lock:
            duplicate = any(
                t["waba_id"] == waba_id
                and t["name"] == template["name"]
                and t["language"] == template["language"]
                for t in sim.state.templates
            )
            if not duplicate:
                sim.state.templates.append(template)
            send_webhooks = sim.state.send_webhooks
        if duplicate:
            return self._send(
                400,
                meta_error(
                    100, "(#100) Message template already exists in this language", subcode=2388024
                ),
            )
        self._send(
            200, {"id": template["id"], "status": "PENDING", "category": template["category"]}
        )
        if send_webhooks:
            sim.schedule(sim.template_review_payloads(waba_id, template))
        return None

    def _list_templates(self, waba_id: str, query: dict) -> None:
        sim = self.sim
        try:
            limit = max(1, min(int(query.get("limit", 25)), 250))
        except ValueError:
            return self._send(400, meta_error(100, "(#100) limit must be an integer"))
        with sim.state.lock:
            review = sim.state.template_review
            items = [dict(t) for t in sim.state.templates if t["waba_id"] == waba_id]
        start = 0
        if query.get("after"):
            ids = [t["id"] for t in items]
            start = ids.index(query["after"]) + 1 if query["after"] in ids else len(items)
        page = items[start : start + limit]
        for item in page:
            item.pop("waba_id", None)
            if review:
                item["status"] = review
        paging: dict = {}
        if page:
            paging["cursors"] = {"before": page[0]["id"], "after": page[-1]["id"]}
            if start + limit < len(items):
                host, port = self.server.server_address[:2]
                paging["next"] = (
                    f"http://{host}:{port}/v24.0/{waba_id}/message_templates?limit={limit}&after={page[-1]['id']}"
                )
        return self._send(200, {"data": page, "paging": paging})
