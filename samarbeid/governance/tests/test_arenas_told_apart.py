"""A clerk's trial: the case, decision and process plan pages offered «Nærings- og
regionalpolitisk partnerskap» twice with nothing to tell which; same-named arenas now show
their short name and year."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.arenas.tests.factories import ArenaFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "page", ["governance:case_create", "governance:decision_create", "governance:plan_create"]
)
def test_same_named_arenas_are_told_apart(client: Client, secretariat: Any, page: str) -> None:
    ArenaFactory(name="Partnerskapet", short_name="NRP-03", established=date(2003, 5, 1))
    ArenaFactory(name="Partnerskapet", short_name="NRP-27", established=None)
    ArenaFactory(name="Vestfold innkjøp", short_name="VI")
    login(client, secretariat)
    response = client.get(reverse(page))
    assert response.status_code == 200
    labels = [label for value, label in response.context["form"].fields["arena"].choices if value]
    assert "Partnerskapet (NRP-03, 2003)" in labels
    assert "Partnerskapet (NRP-27)" in labels
    assert "Vestfold innkjøp" in labels  # a name of its own keeps it
    assert "Partnerskapet" not in labels
    assert "Partnerskapet (NRP-03, 2003)" in response.content.decode()
