"""Issue 10 item 7: production settings. With DEBUG off `manage.py check --deploy`
is clean; HTTPS (HSTS, secure cookies, redirect, a TLS-terminating proxy's header)
is configurable; admin passwords are validated and admin logins lock out after
repeated failures (django-axes)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import User
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent.parent

PRODUCTION_LIKE = {
    "DEBUG": "false",
    "INSTANTREPLY_TESTING": "false",
    "SECRET_KEY": "k3Y-" + "x7Qp9zL2" * 7,
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "META_APP_SECRET": "meta-app-secret",
    "META_VERIFY_TOKEN": "meta-verify-token",
    "ALLOWED_HOSTS": "api.example.com",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https",
}


def deploy_check(**overrides) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "SESSION_", "CSRF_", "DJANGO_SETTINGS"))
        and k not in {"INSTANTREPLY_ALLOW_DEV_SECRETS", "DATABASE_URL", "REDIS_URL"}
    }
    env.update({**PRODUCTION_LIKE, **overrides})
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_the_deploy_check_is_clean_with_debug_off_and_a_production_environment():
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "value", "check_id"),
    [
        ("SECURE_HSTS_SECONDS", "0", "security.W004"),
        ("SECURE_SSL_REDIRECT", "false", "security.W008"),
        ("SESSION_COOKIE_SECURE", "false", "security.W010"),
    ],
)
def test_the_deploy_check_fails_when_a_protection_is_turned_off(name, value, check_id):
    result = deploy_check(**{name: value})
    assert result.returncode == 1
    assert check_id in result.stderr + result.stdout


@pytest.mark.slow
def test_a_malformed_proxy_header_setting_refuses_to_start():
    result = deploy_check(SECURE_PROXY_SSL_HEADER="https")
    assert result.returncode == 1
    assert "SECURE_PROXY_SSL_HEADER must look like 'X-Forwarded-Proto: https'" in result.stderr


@pytest.fixture
def https_behind_a_proxy(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True


def test_behind_a_tls_proxy_https_requests_are_served_with_hsts(https_behind_a_proxy, api_client):
    response = api_client.get("/v1/contacts", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_plain_http_is_redirected_to_https_except_health_probes(https_behind_a_proxy, db):
    client = Client()
    response = client.get("/v1/contacts", headers={"Host": "testserver"})
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/v1/contacts"
    assert client.get("/healthz").status_code == 200


@pytest.fixture
def staff(db):
    return User.objects.create_user(
        "ops", "ops@example.com", "Correct-Horse-Battery-9", is_staff=True, is_superuser=True
    )


def admin_login(client, password, address="198.51.100.20"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "ops", "password": password},
        REMOTE_ADDR=address,
    )


def test_admin_logins_are_locked_out_after_five_failures(staff, settings):
    client = Client()
    for _ in range(4):
        failed = admin_login(client, "wrong-password")
        assert failed.status_code == 200  # the login form again, with its error
    assert admin_login(client, "wrong-password").status_code == 429  # the fifth locks
    locked = admin_login(client, "Correct-Horse-Battery-9")
    assert locked.status_code == 429
    assert "sessionid" not in locked.cookies
    # Another address is not locked out with this one.
    assert admin_login(Client(), "Correct-Horse-Battery-9", "198.51.100.21").status_code == 302


def test_a_successful_login_resets_the_failure_count(staff):
    client = Client()
    for _ in range(4):
        admin_login(client, "wrong-password")
    assert admin_login(client, "Correct-Horse-Battery-9").status_code == 302
    for _ in range(4):
        assert admin_login(Client(), "wrong-password").status_code == 200
    assert admin_login(Client(), "Correct-Horse-Battery-9").status_code == 302


def test_admin_passwords_are_validated(staff):
    client = Client()
    client.force_login(staff)
    response = client.post(
        "/admin/password_change/",
        {
            "old_password": "Correct-Horse-Battery-9",
            "new_password1": "12345678",
            "new_password2": "12345678",
        },
    )
    assert response.status_code == 200  # the form again, refused
    text = response.content.decode()
    assert "This password is too common." in text
    assert "This password is entirely numeric." in text
    staff.refresh_from_db()
    assert staff.check_password("Correct-Horse-Battery-9")
