"""A read asks for the data version once, however many parts key a cache on it; after a
write inside it, the version is read afresh at each use (the write may roll back)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import arena_with_members
from samarbeid.core.services import update_record
from samarbeid.core.stamps import (
    bulk_write,
    bump,
    cached_aggregate,
    current_version,
    version_per_request,
)

pytestmark = pytest.mark.django_db


def _stamp_reads(context: CaptureQueriesContext) -> int:
    return sum("core_datastamp" in q["sql"] for q in context.captured_queries)


def test_outside_a_request_each_use_reads_the_version() -> None:
    with CaptureQueriesContext(connection) as context:
        current_version()
        current_version()
    assert _stamp_reads(context) == 2


def test_a_request_reads_it_once() -> None:
    with version_per_request(), CaptureQueriesContext(connection) as context:
        first = current_version()
        assert current_version() == first
        cached_aggregate("anything", lambda: 1)
    assert _stamp_reads(context) == 1


def test_a_request_that_reads_nothing_asks_nothing() -> None:
    with version_per_request(), CaptureQueriesContext(connection) as context:
        pass
    assert _stamp_reads(context) == 0


def test_after_a_write_the_version_is_read_again_at_each_use() -> None:
    with version_per_request():
        before = current_version()
        bump()
        after = current_version()
        assert after != before
        with CaptureQueriesContext(connection) as context:
            current_version()
            current_version()
        assert _stamp_reads(context) == 2


def test_a_figure_cached_in_a_rolled_back_write_is_not_read_after_it(secretariat: Any) -> None:
    """The rollback case of test_stamps, inside one request: the rolled-back name was cached
    under the write's version; after the rollback the request must not key on that."""
    arena = arena_with_members(["3909"], name="Før")
    with version_per_request():
        current_version()
        with transaction.atomic():
            update_record(
                arena, {"name": "Rullet tilbake"}, expected_version=None, actor=secretariat
            )
            inside = cached_aggregate("name", lambda: Arena.objects.get(pk=arena.pk).name)
            transaction.set_rollback(True)
        assert inside == "Rullet tilbake"
        assert cached_aggregate("name", lambda: Arena.objects.get(pk=arena.pk).name) == "Før"


def test_a_bulk_write_inside_reads_what_it_wrote() -> None:
    with version_per_request():
        before = current_version()
        with bulk_write():
            assert current_version() != before


def test_the_home_page_reads_the_version_once(client: Client, secretariat: Any) -> None:
    """The header's parts and the page's figures each key on the version (it was read
    twice on the secretariat's home page: one query more than the page had)."""
    client.force_login(secretariat)
    client.get("/")
    with CaptureQueriesContext(connection) as context:
        assert client.get("/").status_code == 200
    assert _stamp_reads(context) == 1
