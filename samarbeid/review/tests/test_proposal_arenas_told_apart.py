"""A clerk's trial: the proposal forms listed 'Nærings- og regionalpolitisk partnerskap'
twice with nothing to tell them apart; same-named arenas now show their short name."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.arenas.tests.factories import ArenaFactory

pytestmark = pytest.mark.django_db


def test_the_proposal_form_tells_same_named_arenas_apart(client: Client, secretariat: Any) -> None:
    ArenaFactory(name="Næringspartnerskapet", short_name="NP-V")
    ArenaFactory(name="Næringspartnerskapet", short_name="KS-V-27")
    login(client, secretariat)
    page = client.get(reverse("review:proposal_create")).content.decode()
    assert "Næringspartnerskapet (NP-V" in page
    assert "Næringspartnerskapet (KS-V-27" in page
