"""Scenario tests: one file per source document in /work/shared/seeds (000–004), each
following its flow through the pages in a real browser as a clerk would, on the demo data
(`manage.py load_demo`), and asserting the figures the clerk reads.

Loading the demo takes about 30 CPU seconds, far too long to repeat for every test, and
pytest-django's `live_server` makes every test transactional (the database is flushed after
each one). So this package loads the demo ONCE into the test database (committed) and serves
it from its own live server thread for all its tests. The tests are ordinary database tests
(`django_db`, one transaction rolled back after each): on SQLite the server thread shares the
test's in-memory connection, so what a test writes through the pages is rolled back with it;
on PostgreSQL the server has its own connection and such writes stay until the package ends.
No test depends on another's writes. When the package is done the database is flushed and the
municipality register loaded again, as the session began."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

# The JS/CSP error check is the browser tests' (DJANGO_ALLOW_ASYNC_UNSAFE is set when that
# module loads); the session's Chromium, `browser`, is samarbeid/tests/conftest.py's.
from samarbeid.tests.browser.conftest import _warm_up, watched_page


@pytest.fixture(scope="package")
def demo_site(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """The demo loaded into a fresh test database, served by a live server; its URL."""
    from django.core.management import call_command
    from pytest_django.live_server_helper import LiveServer

    from samarbeid.portal.demo import load_demo
    from samarbeid.registry.services import import_municipalities

    with django_db_blocker.unblock():
        load_demo()  # the session's database holds the register and nothing else
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()  # ALLOWED_HOSTS gets "localhost"
        try:
            _warm_up(server.url)
            yield server.url
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            import_municipalities()


@pytest.fixture
def page(browser: Any, demo_site: str) -> Iterator[Any]:
    """A fresh browser context on the demo site (Norwegian), failing the test on any
    JavaScript error or Content Security Policy violation."""
    with watched_page(browser, demo_site, 15_000) as page:
        yield page
