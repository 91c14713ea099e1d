"""Money reads as a clerk reads it on every page: "150 000,50 kr", not "150000,50 kr"
(issue 19 point 10: the project page showed the stored figure as it is)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from samarbeid.portfolio.tests.helpers import arena_of, project_in

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def test_a_projects_budget_reads_with_thousands_apart(client: Client, secretariat: Any) -> None:
    project = project_in(arena_of(["3909"]), secretariat, budget=Decimal("150000.50"))
    client.force_login(secretariat)
    page = client.get(project.get_absolute_url()).content.decode()
    assert f"150{NBSP}000,50 kr" in page
    assert "150000,50" not in page
    assert "150000.50" not in page


def test_in_english_the_budget_reads_in_english(client: Client, secretariat: Any) -> None:
    project = project_in(arena_of(["3909"]), secretariat, budget=Decimal("150000.50"))
    client.force_login(secretariat)
    page = client.get(project.get_absolute_url() + "?lang=en").content.decode()
    assert "150,000.50 kr" in page
