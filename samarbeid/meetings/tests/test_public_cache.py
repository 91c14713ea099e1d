"""The meetings' public pages and API lists are served from the public cache
(core.public_cache) like the arenas' and projects': a change through a service shows on the
next anonymous read, on the list, the body, the meeting and the API."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from samarbeid.core.dates import shown
from samarbeid.meetings.services.meetings import update_meeting
from samarbeid.meetings.tests.factories import meeting

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "page", ["/moter/", "/moter/organ/{body}/", "/moter/{pk}/", "/api/v1/meetings"]
)
def test_a_change_shows_on_the_next_anonymous_read(
    client: Client, secretariat: Any, page: str
) -> None:
    one = meeting(date=date(2025, 3, 12), published=True)
    path = page.format(pk=one.pk, body=one.body_id)
    said = (lambda day: day.isoformat()) if "/api/" in path else shown
    first = client.get(path).content.decode()
    assert said(date(2025, 3, 12)) in first, path
    assert client.get(path).content.decode() == first  # the same answer, from the cache
    one.refresh_from_db()
    update_meeting(
        one, {"date": date(2025, 3, 19)}, expected_version=one.version, actor=secretariat
    )
    after = client.get(path).content.decode()
    assert said(date(2025, 3, 19)) in after
    assert said(date(2025, 3, 12)) not in after
