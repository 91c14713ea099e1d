"""Every form page takes one path (core.forms.form_page, issue 18): a stale save is refused
and the page shows what someone else saved, on the pages that used to show only the
refusal too (a comparison's weight, a project's status)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.portfolio.services import change_status
from samarbeid.portfolio.tests.helpers import arena_of, project_in
from samarbeid.review.models import ComparisonCriterion, ModelComparison
from samarbeid.review.services.comparisons import add_criterion, create_comparison, set_weight

pytestmark = pytest.mark.django_db

STORED_NOW = "Noen andre har lagret en nyere versjon mens du redigerte"


def test_a_stale_weight_shows_the_weight_saved_since(client: Client, secretariat: Any) -> None:
    comparison = create_comparison(ModelComparison(title="Innherred"), actor=secretariat)
    criterion = add_criterion(
        ComparisonCriterion(comparison=comparison, name="Økonomi", weight=60), actor=secretariat
    )
    started_from = criterion.version
    set_weight(criterion, 45, expected_version=started_from, actor=secretariat)
    login(client, secretariat)
    url = reverse("review:weight_edit", args=[criterion.pk])
    response = client.post(url, {"weight": "30", "version": started_from})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Posten er endret av noen andre" in content
    assert STORED_NOW in content
    assert "lagret: 45" in content
    assert "ditt forslag: 30" in content
    criterion.refresh_from_db()
    assert criterion.weight == 45


def test_a_stale_status_change_shows_the_status_saved_since(
    client: Client, secretariat: Any
) -> None:
    project = project_in(arena_of(["3909"]), secretariat)
    started_from = project.version
    change_status(
        project,
        "proposed",
        changed_on=date(2024, 6, 1),
        reason="Klar",
        expected_version=started_from,
        actor=secretariat,
    )
    login(client, secretariat)
    response = client.post(
        reverse("portfolio:project_status", args=[project.pk]),
        {
            "status": "discontinued",
            "changed_on": "2024-06-01",
            "reason": "Stopp",
            "version": started_from,
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert STORED_NOW in content
    project.refresh_from_db()
    assert project.status == "proposed"
