"""Real-browser tests: Playwright for Python driving Debian's Chromium against pytest-django's
live server. Playwright's own browser download is not used (not available here): the
`chromium` Debian package must be installed at /usr/bin/chromium.

Without it the tests skip on a developer machine, but fail in CI (CI=true), so a missing
browser never passes silently."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from samarbeid.accounts.models import Role, RoleAssignment
from samarbeid.finance.tests.helpers import run_ready_arena
from samarbeid.registry.models import Municipality
from samarbeid.registry.services import import_municipalities

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# inside one unless told that this is safe (it is: the test thread only waits on it).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# The session's Chromium (`browser`) is in samarbeid/tests/conftest.py, shared with the
# scenario tests: Playwright's sync API allows one instance per thread.
PASSWORD = "browser-pass-9k-12k"  # test users only
# Known and reported: htmx injects its indicator <style>, which the strict CSP blocks
# (harmless: the indicator class is unused). Fix in base.html:
# <meta name="htmx-config" content='{"includeIndicatorStyles": false}'>
# Inline styles or scripts the Content Security Policy may block without failing a test.
KNOWN_CSP: list[str] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def register(transactional_db: None) -> None:
    """Live-server tests are transactional: the database is flushed after each one, so the
    register loaded for the session may be gone. Load it again when it is."""
    if not Municipality.objects.exists():
        import_municipalities()


_warm: set[str] = set()


def _warm_up(url: str) -> None:
    """The live server's first answer can take many seconds on a busy machine (it loads
    translations, templates and the URLconf); wait for it once, outside any page timeout."""
    if url in _warm:
        return
    import urllib.request

    with urllib.request.urlopen(f"{url}/healthz", timeout=120) as response:  # noqa: S310
        assert response.status == 200
    _warm.add(url)


@contextlib.contextmanager
def watched_page(browser: Any, base_url: str, timeout: int) -> Iterator[Any]:
    """A page in a fresh browser context on `base_url` (Norwegian), failing the test on any
    JavaScript error or Content Security Policy violation (`page.js_errors` so far)."""
    context = browser.new_context(base_url=base_url, locale="nb-NO")
    context.set_default_timeout(timeout)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def on_console(message: Any) -> None:
        text = message.text
        csp = message.type == "error" and "Content Security Policy" in text
        if csp and not any(known in text for known in KNOWN_CSP):
            errors.append(text)

    page.on("console", on_console)
    page.js_errors = errors
    yield page
    context.close()
    assert not errors, f"JavaScript errors or CSP violations: {errors}"


@pytest.fixture
def page(browser: Any, live_server: Any, register: None) -> Iterator[Any]:
    _warm_up(live_server.url)
    with watched_page(browser, live_server.url, 30_000) as page:
        yield page


def make_user(username: str, role: str, **scope: Any) -> Any:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    RoleAssignment.objects.create(user=user, role=role, **scope)
    return user


@pytest.fixture
def secretariat_user(register: None) -> Any:
    return make_user("sekretariat-nett", Role.SECRETARIAT)


@pytest.fixture
def coordinator_user(register: None) -> Any:
    larvik = Municipality.objects.current().get(number="3909")
    return make_user("koordinator-nett", Role.COORDINATOR, municipality=larvik)


def log_in(page: Any, user: Any) -> None:
    page.goto("/logg-inn/")
    page.get_by_label("Brukernavn").fill(user.username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()
    assert "/logg-inn/" not in page.url, "log-in failed"


def draft_run_on_its_page(page: Any, user: Any) -> Any:
    """Log in as `user` and draft the 2026 invoice run of the clerks' trial arena («BT») with
    the button on its finance page, as a clerk does; return the arena once the task's page
    is shown."""
    arena = run_ready_arena()
    log_in(page, user)
    page.goto(reverse("finance:arena", args=[arena.pk]))
    page.get_by_label("År").fill("2026")
    page.get_by_label("Fakturadato").fill("2026-03-02")
    page.get_by_role("button", name="Lag utkast").click()
    page.get_by_role("heading", level=1, name="Utkast til fakturakjøring 2026 for BT").wait_for()
    return arena
