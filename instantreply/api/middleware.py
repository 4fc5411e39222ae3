"""Django's session, CSRF, auth and messages middleware, for the site only.

Those four serve the pages for people (/admin, /docs). The API (/v1, /meta)
authenticates with Bearer keys, never reads a session or a cookie, and every
view under it is CSRF-exempt, yet each layer still cost every API request its
set-up and response work (bench/platform_throughput.py). These subclasses step
aside for API paths and behave exactly as Django's own everywhere else; being
subclasses, they still satisfy the admin's system checks.
"""

from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.middleware.csrf import CsrfViewMiddleware

_API_ROOTS = ("/v1", "/meta")
_API_PREFIXES = ("/v1/", "/meta/")


def is_api_path(path: str) -> bool:
    return path.startswith(_API_PREFIXES) or path in _API_ROOTS


class _SiteOnly:
    def __call__(self, request):
        if is_api_path(request.path_info):
            return self.get_response(request)
        return super().__call__(request)


class SiteSessionMiddleware(_SiteOnly, SessionMiddleware):
    pass


class SiteCsrfViewMiddleware(_SiteOnly, CsrfViewMiddleware):
    def process_view(self, request, callback, callback_args, callback_kwargs):
        if is_api_path(request.path_info):
            return None
        return super().process_view(request, callback, callback_args, callback_kwargs)


class SiteAuthenticationMiddleware(_SiteOnly, AuthenticationMiddleware):
    pass


class SiteMessageMiddleware(_SiteOnly, MessageMiddleware):
    pass
