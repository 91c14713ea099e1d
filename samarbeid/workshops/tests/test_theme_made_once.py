"""A theme becomes a project once (a clerk's trial made one twice without a word); a
refused row keeps what was typed, its error on the row; and what a user makes from the
demo's workshop is the user's, not example data."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.portfolio.models import Project
from samarbeid.review.models import CooperationProposal
from samarbeid.workshops.models import Group, Question
from samarbeid.workshops.services.answers import submit_answer
from samarbeid.workshops.services.themes import theme_to_project, theme_to_proposal

pytestmark = pytest.mark.django_db


def _row(client: Client, question: Question, theme: str, code: str, **more: str) -> Any:
    return client.post(
        reverse("workshops:themes", args=[question.pk]),
        {
            "action": "outcome",
            "out-theme": theme,
            "out-kind": "project",
            "out-code": code,
            "out-start": "2025-03-01",
            **more,
        },
    )


def _skole_made_into_p1(
    client: Client, secretariat: Any, groups: list[Group], ranked: Question
) -> None:
    """The first group answered Skole and IKT-drift, and the secretariat made Skole project
    P-1 on the page."""
    submit_answer(groups[0], ranked, themes=["Skole", "IKT-drift"])
    login(client, secretariat)
    assert _row(client, ranked, "Skole", "P-1").status_code == 302


def _row_of(page: str, theme: str) -> str:
    """The table row of `theme` on the themes page."""
    row = page[page.index(f'<th scope="row">{theme}') :]
    return row[: row.index("</tr>")]


def test_the_service_refuses_a_second_project_from_a_theme(
    secretariat: Any, groups: list[Group], ranked: Question
) -> None:
    submit_answer(groups[0], ranked, themes=["Skole"])
    first = theme_to_project(ranked, "Skole", code="P-1", actor=secretariat)
    with pytest.raises(ValidationError) as refused:
        theme_to_project(ranked, "Skole", code="P-2", actor=secretariat)
    assert "allerede gjort om til prosjektidéen" in str(refused.value.message_dict["theme"])
    assert Project.objects.filter(arena=ranked.workshop.arena).count() == 1
    assert first.project is not None
    # a proposal from the same theme is another kind of work: allowed, once
    theme_to_proposal(ranked, "Skole", actor=secretariat)
    with pytest.raises(ValidationError):
        theme_to_proposal(ranked, "Skole", actor=secretariat)
    assert CooperationProposal.objects.count() == 1


def test_the_page_refuses_on_the_row_and_links_to_the_project(
    client: Client, secretariat: Any, groups: list[Group], ranked: Question
) -> None:
    _skole_made_into_p1(client, secretariat, groups, ranked)
    project = Project.objects.get(code="P-1")
    response = _row(client, ranked, "Skole", "P-2", **{"out-end": "2026-12-31"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "allerede gjort om til prosjektidéen" in page
    assert f'href="{project.get_absolute_url()}"' in page
    assert Project.objects.filter(code="P-2").count() == 0
    # the typed values stand in the refused row, the error within it, not above the table
    row = _row_of(page, "Skole")
    assert "allerede gjort om til prosjektidéen" in row
    assert 'value="P-2"' in row
    assert 'value="2026-12-31"' in row
    assert "Theme:" not in page  # the error is named in bokmål (a clerk's trial saw "Theme:")
    assert 'value="P-2"' not in _row_of(page, "IKT-drift")
    assert page.index("allerede gjort om") > page.index("<table")


def test_a_row_with_a_taken_code_keeps_its_values(
    client: Client, secretariat: Any, groups: list[Group], ranked: Question
) -> None:
    _skole_made_into_p1(client, secretariat, groups, ranked)
    response = _row(client, ranked, "IKT-drift", "P-1")
    page = response.content.decode()
    row = _row_of(page, "IKT-drift")
    assert 'value="P-1"' in row
    assert "ds-validation-message" in row or "ds-error-summary" in row


def test_a_project_made_from_the_demo_workshop_is_not_example_data(
    client: Client, secretariat: Any, groups: list[Group], ranked: Question
) -> None:
    workshop = ranked.workshop
    workshop.is_example_data = True
    workshop.save(update_fields=["is_example_data"])
    submit_answer(groups[0], ranked, themes=["Skole", "Vei"])
    login(client, secretariat)
    assert _row(client, ranked, "Skole", "P-9").status_code == 302
    project = Project.objects.get(code="P-9")
    assert not project.is_example_data
    assert "(eksempel)" not in client.get(project.get_absolute_url()).content.decode()
    theme_to_proposal(ranked, "Vei", actor=secretariat)
    assert not CooperationProposal.objects.get().is_example_data
