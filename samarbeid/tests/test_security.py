"""Security settings: CSP on every page, secure cookies and HSTS in production, log-in
lock-out, `check --deploy` clean with production settings, and dependencies without known
vulnerabilities (pip-audit, opt-in since it needs the network)."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import login

ROOT = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "samarbeid.example.no",
}


def _run(args: list[str], extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(extra_env)
    return subprocess.run(  # noqa: S603 — fixed arguments
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings() -> None:
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_are_strict() -> None:
    script = (
        "import json, django, os; os.environ['DJANGO_SETTINGS_MODULE']='samarbeid.settings';"
        "django.setup(); from django.conf import settings as s;"
        "print(json.dumps({k: getattr(s, k) for k in ["
        "'SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','SECURE_HSTS_SECONDS',"
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS','SECURE_SSL_REDIRECT','DEBUG','SESSION_COOKIE_HTTPONLY',"
        "'SECURE_CONTENT_TYPE_NOSNIFF','X_FRAME_OPTIONS']}))"
    )
    result = _run(["-c", script], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"]
    assert values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SESSION_COOKIE_HTTPONLY"]
    assert values["X_FRAME_OPTIONS"] == "DENY"


def test_production_refuses_to_start_without_secret_key() -> None:
    result = _run(["manage.py", "check"], {"DEBUG": "false", "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_security_middleware_is_on() -> None:
    assert settings.MIDDLEWARE[0] == "django.middleware.security.SecurityMiddleware"
    assert "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE
    assert "axes.middleware.AxesMiddleware" in settings.MIDDLEWARE


# --- CSP on every page ---------------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+=", re.IGNORECASE)


def _argument_free_paths() -> list[str]:
    """Every page of the site whose URL needs no arguments (discovered, not listed)."""
    paths: list[str] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern).startswith(("admin/", "api/")):
                    continue
                ns = pattern.namespace or namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                try:
                    paths.append(reverse(name))
                except Exception:  # noqa: S112 — needs arguments; other tests cover those
                    continue

    walk(get_resolver().url_patterns, "", "")
    return sorted(set(paths) - {"/logg-ut/", "/i18n/setlang/"})


def _assert_csp_clean(response: Any, path: str) -> None:
    policy = response.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy, path
    assert "unsafe-inline" not in policy, path
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), f"inline <script> on {path}"
        assert not STYLE_ATTRIBUTE.search(html), f"style attribute on {path}"
        assert not INLINE_HANDLER.search(html), f"inline event handler on {path}"


@pytest.mark.django_db
def test_every_page_works_under_the_csp(client: Client, secretariat: Any) -> None:
    paths = _argument_free_paths()
    assert "/apne-data/" in paths
    assert "/arenaer/" in paths
    for user in (None, secretariat):
        if user is not None:
            login(client, user)
        for path in paths:
            response = client.get(path)
            assert response.status_code < 500, path
            _assert_csp_clean(response, path)


@pytest.mark.django_db
def test_api_docs_render_offline_under_the_csp(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    _assert_csp_clean(response, "/api/v1/docs")
    html = response.content.decode()
    assert "cdn." not in html
    assert "https://" not in html
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        served = client.get(asset)
        assert served.status_code == 200, asset
    assert client.get("/api/v1/openapi.json").status_code == 200


# --- Log-in lock-out -------------------------------------------------------------------------


@pytest.mark.django_db
def test_five_failed_log_ins_lock_the_account(client: Client, reader: Any) -> None:
    assert settings.AXES_ENABLED
    assert settings.AXES_FAILURE_LIMIT == 5
    url = reverse("login")
    for _attempt in range(4):
        response = client.post(url, {"username": "leser", "password": "feil-passord"})
        assert response.status_code == 200  # the form again, with an error
    locked = client.post(url, {"username": "leser", "password": "feil-passord"})
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Innloggingen er midlertidig sperret" in page
    assert "5 mislykkede" in page
    # Even the right password is refused now.
    right = client.post(url, {"username": "leser", "password": "test-pass-123"})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another user from the same address is not locked out.
    other = client.post(url, {"username": "ukjent", "password": "x"})
    assert other.status_code == 200


@pytest.mark.django_db
def test_a_successful_log_in_before_the_limit_resets_the_count(client: Client, reader: Any) -> None:
    url = reverse("login")
    for _attempt in range(4):
        client.post(url, {"username": "leser", "password": "feil"})
    assert client.post(url, {"username": "leser", "password": "test-pass-123"}).status_code == 302
    client.logout()
    for _attempt in range(4):
        assert client.post(url, {"username": "leser", "password": "feil"}).status_code == 200


# --- Dependencies ----------------------------------------------------------------------------


@pytest.mark.skipif(
    os.environ.get("RUN_PIP_AUDIT") != "1",
    reason="needs the network; run with RUN_PIP_AUDIT=1 (or `make audit-deps`)",
)
def test_pip_audit_is_clean() -> None:
    tool = shutil.which("pip-audit") or str(Path(sys.executable).parent / "pip-audit")
    result = subprocess.run(  # noqa: S603
        [tool, "-r", "requirements.txt"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
