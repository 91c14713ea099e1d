"""Workshop → project, both ways (issue 19, point 6): a project made from a workshop theme
keeps its origin (the theme's `ThemeOutcome`), its page and API name the theme and the
workshop (only to those who may see the workshop), the question's whole text is carried
over, and the period is asked for (start defaults to the workshop's date), so the page never
shows "? –". A group's answer saved again stamps "Sist lagret"."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import bearer, login, problem_of
from samarbeid.portfolio.models import Project
from samarbeid.workshops.models import Answer, Group, Question, ThemeOutcome, Workshop
from samarbeid.workshops.services.answers import submit_answer
from samarbeid.workshops.services.themes import theme_to_project, theme_to_proposal
from samarbeid.workshops.services.workshops import update_workshop

pytestmark = pytest.mark.django_db

LONG = (
    "Hvilke innsatsområder er de viktigste for samarbeidet de neste fire årene, og hvilke "
    "bør kommunene ta fatt på først? Skriv det viktigste øverst."
)


@pytest.fixture
def long_question(workshop: Workshop, ranked: Question, groups: list[Group]) -> Question:
    Question.objects.filter(pk=ranked.pk).update(text=LONG)
    ranked.refresh_from_db()
    submit_answer(groups[0], ranked, themes=["Digital kompetanse i skolen", "IKT-drift"])
    return ranked


def _themes_post(client: Client, question: Question, **fields: str) -> Any:
    data = {
        "action": "outcome",
        "out-theme": "Digital kompetanse i skolen",
        "out-kind": "project",
        "out-code": "9K-H04-1",
        **{f"out-{k}": v for k, v in fields.items()},
    }
    return client.post(reverse("workshops:themes", args=[question.pk]), data)


def test_a_project_made_on_the_themes_page_keeps_its_origin_text_and_period(
    client: Client, secretariat: Any, long_question: Question
) -> None:
    login(client, secretariat)
    form = client.get(reverse("workshops:themes", args=[long_question.pk])).content.decode()
    assert 'name="out-start"' in form
    assert 'value="2004-03-12"' in form  # the workshop's date is the default start
    response = _themes_post(client, long_question, start="2004-04-01", end="2005-06-30")
    assert response.status_code == 302
    project = Project.objects.get(code="9K-H04-1")
    assert (project.start, project.end) == (date(2004, 4, 1), date(2005, 6, 30))
    assert LONG in project.description  # the whole question, never cut at 80 characters
    assert "«Digital kompetanse i skolen»" in project.description
    page = client.get(project.get_absolute_url()).content.decode()
    assert "01.04.2004 – 30.06.2005" in page
    assert "? –" not in page
    plenary = reverse("workshops:plenary", args=[long_question.pk])
    workshop_url = reverse("workshops:detail", args=[long_question.workshop_id])
    assert f'href="{plenary}">Tema «Digital kompetanse i skolen»</a>' in page
    assert f'href="{workshop_url}">Hankø (12.03.2004)</a>' in page


def test_the_start_defaults_to_the_workshops_date_and_a_bad_period_is_refused(
    client: Client, secretariat: Any, long_question: Question
) -> None:
    login(client, secretariat)
    refused = _themes_post(client, long_question, start="2004-04-01", end="2004-03-01")
    assert refused.status_code == 200
    assert "Sluttdato kan ikke være før startdato." in refused.content.decode()
    assert not Project.objects.filter(code="9K-H04-1").exists()
    # before the workshop's date, with no start given: the service's check, on the form
    refused = _themes_post(client, long_question, start="", end="2004-01-01")
    assert "Sluttdato kan ikke være før startdato." in refused.content.decode()
    assert not Project.objects.filter(code="9K-H04-1").exists()
    assert _themes_post(client, long_question, start="", end="").status_code == 302
    project = Project.objects.get(code="9K-H04-1")
    assert (project.start, project.end) == (date(2004, 3, 12), None)
    assert "12.03.2004 – " in client.get(project.get_absolute_url()).content.decode()


def test_only_those_who_may_see_the_workshop_see_the_origin(
    client: Client, secretariat: Any, long_question: Question
) -> None:
    outcome = theme_to_project(
        long_question, "Digital kompetanse i skolen", code="9K-H04-1", actor=secretariat
    )
    project = outcome.project
    assert project is not None
    plenary = reverse("workshops:plenary", args=[long_question.pk])
    api = f"/api/v1/projects/{project.pk}"
    public = client.get(project.get_absolute_url()).content.decode()
    assert plenary in public
    assert client.get(api).json()["origin"] == {
        "workshop": long_question.workshop_id,
        "workshop_title": "Hankø",
        "workshop_date": "2004-03-12",
        "question": long_question.pk,
        "theme": "Digital kompetanse i skolen",
    }
    # unpublished as the secretariat does it: through the write path, which raises the data
    # version, so no page cached for the public before still shows the origin
    workshop = Workshop.objects.get(pk=long_question.workshop_id)
    update_workshop(
        workshop, {"published": False}, expected_version=workshop.version, actor=secretariat
    )
    hidden = client.get(project.get_absolute_url()).content.decode()
    assert plenary not in hidden
    assert "Opphav" not in hidden
    assert client.get(plenary).status_code == 404  # the link would have led nowhere
    assert client.get(api).json()["origin"] is None
    login(client, secretariat)
    assert plenary in client.get(project.get_absolute_url()).content.decode()
    assert client.get(api).json()["origin"]["theme"] == "Digital kompetanse i skolen"


def test_the_api_takes_the_same_period(secretariat: Any, long_question: Question) -> None:
    url = f"/api/v1/workshop-questions/{long_question.pk}/outcomes"

    def post(**body: Any) -> Any:
        payload = {"theme": "Digital kompetanse i skolen", "kind": "project", "code": "WS-1"}
        return Client().post(
            url,
            json.dumps(payload | body),
            content_type="application/json",
            headers=bearer(secretariat),
        )

    problem = problem_of(post(start="2004-04-01", end="2004-03-01"), 422)
    assert {e["loc"][-1] for e in problem["errors"]} == {"end"}
    assert "Sluttdato kan ikke være før startdato." in problem["detail"]
    assert problem_of(post(end="2003-12-31"), 422)["errors"][0]["loc"] == ["end"]
    assert not Project.objects.filter(code="WS-1").exists()
    assert not ThemeOutcome.objects.exists()
    created = post(start="2004-05-01", end="2006-12-31")
    assert created.status_code == 201, created.content
    project = Project.objects.get(pk=created.json()["target"])
    assert (project.start, project.end) == (date(2004, 5, 1), date(2006, 12, 31))
    assert LONG in project.description
    detail = Client().get(f"/api/v1/projects/{project.pk}").json()
    assert (detail["start"], detail["end"]) == ("2004-05-01", "2006-12-31")
    assert detail["origin"]["question"] == long_question.pk
    second = post(code="WS-2", theme="IKT-drift")
    assert second.status_code == 201, second.content
    assert Project.objects.get(code="WS-2").start == date(2004, 3, 12)  # the workshop's date


def test_saving_an_answer_again_stamps_sist_lagret(
    groups: list[Group], open_question: Question
) -> None:
    first = submit_answer(groups[0], open_question, text="Felles legevakt")
    old = timezone.now() - timedelta(hours=3)
    Answer.objects.filter(pk=first.pk).update(updated=old)
    again = submit_answer(groups[0], open_question, text="Felles legevakt og barnevern")
    again.refresh_from_db()
    assert again.updated > old + timedelta(hours=2)
    page = Client().get(groups[0].get_group_url()).content.decode()
    shown = timezone.localtime(again.updated).strftime("%d.%m.%Y %H:%M")
    assert f"Sist lagret {shown}" in page


def test_a_proposal_made_from_a_theme_carries_the_whole_question(
    secretariat: Any, long_question: Question
) -> None:
    outcome = theme_to_proposal(long_question, "IKT-drift", actor=secretariat)
    assert outcome.proposal is not None
    assert LONG in outcome.proposal.need
