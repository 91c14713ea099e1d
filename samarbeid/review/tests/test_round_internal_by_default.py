"""A review round weighs whether arenas should close: a clerk's trial found a new round
public the moment it was started ("Publisert" ticked by default; its draft assessments open
without logging in). A round is internal until the secretariat publishes it on purpose."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.review.models import ReviewRound

pytestmark = pytest.mark.django_db


def test_the_new_round_form_leaves_publishing_unticked(client: Client, secretariat: Any) -> None:
    login(client, secretariat)
    page = client.get(reverse("review:round_create")).content.decode()
    published = page[page.index('name="published"') - 200 : page.index('name="published"') + 200]
    assert "checked" not in published


def test_a_round_started_in_the_api_is_internal_until_published(
    client: Client, secretariat: Any
) -> None:
    arena = ArenaFactory(name="KS Vestfold", short_name="KS-V")
    login(client, secretariat)
    response = client.post(
        "/api/v1/reviews",
        data=json.dumps({"title": "Rydding", "arena": arena.pk, "primary_task": "Oppgaven"}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    review = ReviewRound.objects.get()
    assert review.published is False
    assert Client().get(f"/api/v1/reviews/{review.pk}").status_code == 404
    assert Client().get(review.get_absolute_url()).status_code == 404
