"""A council treats a case once on the treatment board: a clerk's trial recorded Lardal's
council decision a second time through the API and the board of a 12-member case read
"13 av 13". A second treatment by the same body of the same municipality is refused on the
municipality field (page and API: the same service); the first is edited instead."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import login
from samarbeid.arenas.tests.factories import ArenaFactory, CaseFactory
from samarbeid.governance.models import Decision
from samarbeid.governance.services.decisions import record_decision, update_decision
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db


def _larvik() -> Municipality:
    return Municipality.objects.current().get(number="3909")


def test_a_second_treatment_by_the_same_council_is_refused(
    client: Client, secretariat: Any
) -> None:
    case = CaseFactory(title="Felles plan", arena=ArenaFactory(), opened=date(2024, 1, 10))
    first = record_decision(
        Decision(case=case, body=Decision.Body.COUNCIL, municipality=_larvik()),
        actor=secretariat,
    )
    login(client, secretariat)
    body = {
        "case": case.pk,
        "body": "council",
        "municipality": "3909",
        "meeting_date": "2024-04-01",
        "outcome": "adopted",
    }
    response = client.post("/api/v1/decisions", json.dumps(body), content_type="application/json")
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == [
        {
            "loc": ["municipality"],
            "msg": "3909 Larvik har allerede en behandling av saken i dette organet. "
            "Endre den i stedet.",
        }
    ]
    assert list(Decision.objects.filter(case=case)) == [first]
    # another body of the same municipality may treat it (the executive committee first)
    record_decision(
        Decision(case=case, body=Decision.Body.EXECUTIVE_COMMITTEE, municipality=_larvik()),
        actor=secretariat,
    )
    # the first is edited, not refused as its own duplicate; a new one is still refused
    update_decision(
        first,
        {"outcome": Decision.Outcome.ADOPTED, "meeting_date": date(2024, 4, 1)},
        expected_version=first.version,
        actor=secretariat,
    )
    assert Decision.objects.get(pk=first.pk).outcome == Decision.Outcome.ADOPTED
    with pytest.raises(ValidationError):
        record_decision(
            Decision(case=case, body=Decision.Body.COUNCIL, municipality=_larvik()),
            actor=secretariat,
        )
