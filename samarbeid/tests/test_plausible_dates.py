"""Plausible dates on every write (issue 19, point 2): a benefit's target date 01.01.1800 was
accepted. Every API write and every form page that takes a date refuses one outside the
window of its kind (`samarbeid.core.dates`), naming the field, saving nothing; the valid
request still passes.

The requests are the permission matrix's rows (`samarbeid/<app>/tests/permission_rows.py`):
a new write with a date is covered as soon as it has its row."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.db import transaction
from django.forms import BaseForm

from samarbeid.audit.models import AuditEntry
from samarbeid.tests import matrix
from samarbeid.tests.matrix import ApiRow, FormRow
from samarbeid.tests.test_permission_matrix import (  # the matrix's world and its personas
    _world,
    api_client,
    fast_passwords,  # noqa: F401  (an autouse fixture, used by being imported)
    page_client,
    quiet,  # noqa: F401  (a fixture, used by name)
    world,  # noqa: F401  (a fixture, used by name)
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_test_connection", "quiet")]
JSON = "application/json"
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
TYPO = "1800-01-01"
REFUSAL = "Datoen 01.01.1800 er utenfor det som er rimelig for"


def _date_keys(body: dict[str, Any]) -> list[str]:
    return [
        key for key, value in body.items() if isinstance(value, str) and ISO_DAY.fullmatch(value)
    ]


def _send(client: Any, api_row: ApiRow, url: str, body: dict[str, Any], headers: Any) -> Any:
    """The request as the API takes it: JSON, or multipart/form-data for an upload."""
    if api_row.multipart:
        for value in body.values():
            if hasattr(value, "seek"):
                value.seek(0)  # the same file sent again from its start
        return client.post(url, body, headers=headers)
    return client.generic(
        api_row.method, url, data=json.dumps(body), content_type=JSON, headers=headers
    )


def _forms(response: Any) -> list[BaseForm]:
    """The forms the page showed again."""
    return [
        value
        for context in response.context
        for value in context.flatten().values()
        if isinstance(value, BaseForm)
    ]


API_ROWS = [r for r in matrix.api_rows() if r.writes]
FORM_ROWS = [r for r in matrix.form_rows() if r.writes]


@pytest.mark.parametrize("api_row", API_ROWS, ids=lambda r: f"{r.method} {r.path}")
def test_every_api_write_refuses_an_implausible_date(
    world: dict[str, Any],  # noqa: F811  (the imported fixture)
    horten: Any,
    larvik: Any,
    api_row: ApiRow,
) -> None:
    url, body = api_row.build(_world(world, horten, larvik))
    keys = _date_keys(body)
    if not keys:
        pytest.skip("no date in this write")
    client, headers = api_client(world, "secretariat")
    for key in keys:
        before = AuditEntry.objects.count()
        response = _send(client, api_row, url, {**body, key: TYPO}, headers)
        assert response.status_code == 422, (key, response.content[:400])
        assert response["Content-Type"] == "application/problem+json"
        errors = response.json()["errors"]
        assert [key] in [e["loc"] for e in errors], (key, errors)
        assert any(REFUSAL in e["msg"] for e in errors), errors
        assert AuditEntry.objects.count() == before
    response = _send(client, api_row, url, body, headers)
    assert response.status_code == api_row.expected["secretariat"], response.content[:400]


@pytest.mark.parametrize("form_row", FORM_ROWS, ids=lambda r: r.name)
def test_every_form_page_refuses_an_implausible_date(
    world: dict[str, Any],  # noqa: F811  (the imported fixture)
    horten: Any,
    larvik: Any,
    form_row: FormRow,
) -> None:
    url, data = form_row.build(_world(world, horten, larvik))
    keys = _date_keys(data)
    if not keys:
        pytest.skip("no date on this form")
    client = page_client(world, "secretariat")
    for key in keys:
        before = AuditEntry.objects.count()
        response = client.post(url, {**data, key: TYPO})
        assert response.status_code in (200, 422), (key, response.status_code)
        name = key.split("-", 1)[-1]  # the form's prefix off ("m-joined")
        refused = [
            str(message)
            for form in _forms(response)
            if form.prefix is None or key.startswith(f"{form.prefix}-")
            for message in form.errors.get(name, [])
        ]
        assert any(REFUSAL in m for m in refused), (key, [f.errors for f in _forms(response)])
        assert REFUSAL in response.content.decode()
        assert AuditEntry.objects.count() == before
    response = client.post(url, data)
    assert response.status_code == form_row.expected["secretariat"]


def test_the_rows_cover_the_writes_that_take_dates(
    world: dict[str, Any],  # noqa: F811  (the imported fixture)
    horten: Any,
    larvik: Any,
) -> None:
    """The tests above are not empty: most date-taking writes send a date in their row."""

    def takes_a_date(row: ApiRow | FormRow) -> bool:
        with transaction.atomic():  # each row builds its records; none stays
            found = bool(_date_keys(row.build(_world(world, horten, larvik))[1]))
            transaction.set_rollback(True)
        return found

    api = [r for r in API_ROWS if takes_a_date(r)]
    forms = [r for r in FORM_ROWS if takes_a_date(r)]
    assert len(api) >= 30, [f"{r.method} {r.path}" for r in api]
    assert len(forms) >= 26, [r.name for r in forms]
