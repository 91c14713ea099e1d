"""A clerk's trial: `make run` served with DEBUG on (a mistyped address showed Django's
yellow debug page) and a POST-only action opened by hand answered a blank 405. Now the
product's own pages show."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.arenas.tests.factories import DecisionFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_a_post_only_address_opened_by_hand_explains_itself(
    client: Client, secretariat: Any
) -> None:
    decision = DecisionFactory()
    url = reverse("governance:treatment_transfer", args=[decision.pk])
    login(client, secretariat)
    came_from = "http://testserver" + reverse("governance:case_list")
    response = client.get(url, HTTP_REFERER=came_from)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert '<html lang="nb"' in page
    assert "site-header" in page  # the site's layout
    assert "Denne adressen tar bare imot innsendte skjema" in page
    assert f'href="{came_from}"' in page  # a way back
    assert 'href="/"' in page
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "This address only takes forms sent from a page" in english


def test_a_link_back_only_to_this_site(client: Client, secretariat: Any) -> None:
    decision = DecisionFactory()
    login(client, secretariat)
    response = client.get(
        reverse("governance:treatment_transfer", args=[decision.pk]),
        HTTP_REFERER="https://elsewhere.example/",
    )
    assert "elsewhere.example" not in response.content.decode()


def test_the_api_keeps_its_own_answer(client: Client) -> None:
    response = client.get("/api/v1/decisions/1/transfer")
    assert response.status_code == 405
    assert "Denne adressen" not in response.content.decode()


def test_the_api_says_a_method_it_does_not_take_as_a_problem(client: Client) -> None:
    """A clerk's trial: GET /api/v1/accounts/users answered 405 as text/html «Method not
    allowed»; every other API error is a problem description."""
    response = client.get("/api/v1/accounts/users")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response["Allow"] == "POST"
    assert response.json()["detail"] == "Adressen tar ikke imot GET, bare POST."
    assert client.delete("/api/v1/arenas")["Content-Type"] == "application/problem+json"


def _make_run_plan(*variables: str) -> str:
    """What `make run` would run (`make -n`), with `variables` set on its command line."""
    return subprocess.run(  # noqa: S603 — the tests' own arguments
        ["make", "-n", "run", *variables],  # noqa: S607 — make from PATH, as a developer runs it
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _served(plan: str) -> str:
    """The line of `plan` that starts the server."""
    return next(line for line in plan.splitlines() if "runserver" in line)


def test_make_run_serves_as_clerks_see_it() -> None:
    """DEBUG off (the product's 404), static files collected as `make serve` does, and
    plain HTTP on this machine (no HTTPS redirect, cookies without Secure)."""
    plan = _make_run_plan()
    served = _served(plan)
    for setting in (
        "DEBUG=${DEBUG:-false}",
        "SECURE_SSL_REDIRECT=false",
        "SECURE_COOKIES=false",
        "SECRET_KEY=",
    ):
        assert setting in served
    assert any(
        "collectstatic" in line and "DEBUG=${DEBUG:-false}" in line for line in plan.splitlines()
    )


def test_cookies_without_secure_when_asked() -> None:
    """SECURE_COOKIES=false lets `make run` sign in over plain HTTP with DEBUG off."""
    result = subprocess.run(  # noqa: S603 — fixed arguments
        [
            str(ROOT / ".venv/bin/python"),
            "-c",
            "from django.conf import settings; import django; django.setup();"
            "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "samarbeid.settings",
            "DEBUG": "false",
            "SECRET_KEY": "test-only",
            "SECURE_COOKIES": "false",
        },
    )
    assert result.stdout.split() == ["False", "False", "False"]


def test_make_run_links_e_mails_to_its_own_port() -> None:
    """The e-mails' links go where `make run` serves (a clerk's trial on PORT=8123 got links
    to port 8000, where nothing answered)."""
    served = _served(_make_run_plan("PORT=8123"))
    assert "SITE_URL=${SITE_URL:-http://127.0.0.1:8123}" in served
