"""What the lean WSGI paths in front of Django share (``instantreply.meta.ack``,
the /meta/webhook acknowledgement, and ``instantreply.api.lean``, the hottest list
reads): when they may run, the middleware's headers, and the end of a request.

Design note: a lean path answers a request Django would have answered, byte for
byte, without Django's per-request machinery. Three things make that hold:
  * it runs only while MIDDLEWARE holds nothing but the middleware whose work on
    its routes is accounted for (``ACCOUNTED_MIDDLEWARE``): the Site* ones and axes
    step aside on API paths, TraceMiddleware's work is done by the lean path, and
    Security, Common and XFrameOptions are run through their own hooks;
  * those hooks run on the first request of each shape — host, port, scheme, the
    proxy headers the settings trust, the user agent when some are refused: all
    they read (``verdict_keys``) — and their verdict (the headers they add, or a
    refusal, which sends the request to the full path) is kept for that shape;
  * Django sends request_started and request_finished around every request; their
    receivers close database connections past CONN_MAX_AGE or left unusable (and
    reset DEBUG's query log, close caches). A lean answer sends request_finished
    once a second at most (``finished``): a connection is closed at most a second
    later than Django would; a request whose statement failed goes to the full
    path, which checks its connection first.
"""

import time

from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.security import SecurityMiddleware

ACCOUNTED_MIDDLEWARE = {
    "instantreply.api.tracing.TraceMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "instantreply.api.middleware.SiteSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "instantreply.api.middleware.SiteCsrfViewMiddleware",
    "instantreply.api.middleware.SiteAuthenticationMiddleware",
    "instantreply.api.middleware.SiteMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
}
HOOKED = {
    "django.middleware.security.SecurityMiddleware": SecurityMiddleware,
    "django.middleware.common.CommonMiddleware": CommonMiddleware,
    "django.middleware.clickjacking.XFrameOptionsMiddleware": XFrameOptionsMiddleware,
}


class FrontDoor:
    """Base of a lean WSGI path: ``enabled``, the hooks, the kept verdicts and the
    throttled end of request. Subclasses answer in ``__call__``."""

    # The most distinct request shapes whose verdict is kept (hosts × schemes a
    # deployment is reached by).
    VERDICTS_MAX = 64
    CHECK_SECONDS = 1.0

    def __init__(self, django_app):
        self.django_app = django_app
        self.enabled = set(settings.MIDDLEWARE) <= ACCOUNTED_MIDDLEWARE
        self.verdicts: dict[tuple, list[tuple[str, str]]] = {}
        self.next_check = 0.0
        if not self.enabled:
            return
        present = [path for path in settings.MIDDLEWARE if path in HOOKED]
        # The same classes' hooks, in the order Django runs them: requests
        # outermost first, responses innermost first.
        instances = [HOOKED[path](_never_called) for path in present]
        self.request_hooks = [m.process_request for m in instances if hasattr(m, "process_request")]
        self.response_hooks = [
            m.process_response for m in reversed(instances) if hasattr(m, "process_response")
        ]
        self.verdict_keys = verdict_keys()

    def kept_verdict(self, environ, compute) -> list[tuple[str, str]] | None:
        """The verdict kept for this request's shape, else ``compute(environ)``'s
        (kept unless it is a refusal, None)."""
        shape = tuple(environ.get(name) for name in self.verdict_keys)
        verdict = self.verdicts.get(shape)
        if verdict is None:
            verdict = compute(environ)
            if verdict is None:
                return None
            if len(self.verdicts) >= self.VERDICTS_MAX:
                self.verdicts.clear()
            self.verdicts[shape] = verdict
        return verdict

    def hooked(self, environ, response):
        """``response`` after the middleware's request and response hooks ran around
        it, as Django would; None when a hook answers or refuses the request."""
        request = WSGIRequest(environ)
        try:
            for hook in self.request_hooks:
                if hook(request) is not None:
                    return None
            for hook in self.response_hooks:
                response = hook(request, response)
        except Exception:
            return None
        finally:
            request.close()
        return response if response.status_code == 200 else None

    def finished(self) -> None:
        at = time.monotonic()
        if at >= self.next_check:
            self.next_check = at + self.CHECK_SECONDS
            signals.request_finished.send(sender=WSGIHandler)


class Body(list):
    """A lean answer's body; closing it ends the request (``FrontDoor.finished``)."""

    def __init__(self, door: FrontDoor, body: bytes):
        super().__init__((body,))
        self.door = door

    def close(self):
        self.door.finished()


def verdict_keys() -> tuple[str, ...]:
    """What the hooked middleware read of a request."""
    names = ["HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "wsgi.url_scheme"]
    if settings.USE_X_FORWARDED_HOST:
        names.append("HTTP_X_FORWARDED_HOST")
    if settings.USE_X_FORWARDED_PORT:
        names.append("HTTP_X_FORWARDED_PORT")
    if settings.SECURE_PROXY_SSL_HEADER:
        names.append(settings.SECURE_PROXY_SSL_HEADER[0])
    if settings.DISALLOWED_USER_AGENTS:
        names.append("HTTP_USER_AGENT")
    return tuple(names)


def _never_called(request):
    raise AssertionError("a lean path runs middleware hooks, never a view")
