"""Admin login lockout (django-axes) for the logins a client makes."""

from axes.backends import AxesStandaloneBackend


class LoginLockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login that comes with a request (the
    admin's login form always does). A login made in code without one (a test's
    ``client.login``, the shell) has no client address to lock out: axes would
    refuse it outright, so it is left to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
