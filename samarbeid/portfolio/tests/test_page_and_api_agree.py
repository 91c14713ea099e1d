"""A clerk's trial found the participation and status writes saying one thing on the page
and another in the API, or the form offering what the rule refuses. Each write is one form
and one service; these tests hold the page and the API to the same words and statuses."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from conftest import bearer, login, problem_of
from samarbeid.arenas.tests.factories import current
from samarbeid.governance.models import Decision
from samarbeid.portfolio import lifecycle
from samarbeid.portfolio.forms import StatusForm
from samarbeid.portfolio.models import Participation, Project
from samarbeid.portfolio.services import change_status, set_participation
from samarbeid.portfolio.tests.helpers import arena_of, project_in
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db


def _page_errors(client: Client, project: Project, municipality: Municipality, since: str) -> Any:
    response = client.post(
        reverse("portfolio:participation_change", args=[project.pk]),
        {
            "p-municipality": municipality.pk,
            "p-status": "considering",
            "p-since": since,
            "d-body": "council",
            "d-outcome": "adopted",
        },
    )
    assert response.status_code == 200
    return response.context["form"].errors


def _api_post(client: Client, project: Project, headers: Any, **payload: Any) -> Any:
    return client.post(
        f"/api/v1/projects/{project.pk}/participations",
        {"status": "considering", **payload},
        content_type="application/json",
        headers=headers,
    )


# --- 1. A municipality that did not exist that day ---------------------------------------


@pytest.mark.parametrize(
    ("number", "since"),
    [
        ("0728", "2020-03-01"),  # Lardal ceased at the end of 2017
        ("3909", "2015-03-01"),  # Larvik (3909) was made in 2020
    ],
)
def test_the_api_refuses_a_municipality_of_another_time_in_the_pages_words(
    client: Client, secretariat: Any, number: str, since: str
) -> None:
    project = project_in(arena_of(["3909"]), secretariat)
    municipality = Municipality.objects.get(number=number)
    login(client, secretariat)
    page = _page_errors(client, project, municipality, since)
    problem = problem_of(
        _api_post(client, project, bearer(secretariat), municipality=number, since=since), 422
    )
    assert problem["errors"] == [{"loc": ["municipality"], "msg": page["municipality"][0]}], problem
    assert "fantes ikke som kommune" in page["municipality"][0]
    assert not Participation.objects.exists()


def test_the_api_refuses_a_number_no_municipality_ever_had_on_its_field(
    client: Client, secretariat: Any
) -> None:
    """The page offers no such municipality; what comes back is an error on the field (not
    404, which reads as «no such project»)."""
    project = project_in(arena_of(["3909"]), secretariat)
    problem = problem_of(
        _api_post(client, project, bearer(secretariat), municipality="9999", since="2024-05-01"),
        422,
    )
    assert problem["errors"] == [
        {"loc": ["municipality"], "msg": "Ingen kommune har nummeret 9999."}
    ]


# --- 2. Another municipality's participation is a permission matter ------------------------

WHO_MAY = (
    "Bare koordinatoren for 3901 Horten, eller sekretariatet for {arena} eller et "
    "sekretariat for alle arenaer, kan endre kommunens deltakelse i prosjektet."
)


def test_a_coordinator_posting_another_municipality_on_the_page_is_refused_with_who_may(
    client: Client, secretariat: Any, coordinator: Any
) -> None:
    project = project_in(arena_of(["3909", "3901"]), secretariat)
    url = reverse("portfolio:participation_change", args=[project.pk])
    login(client, coordinator)
    offered = client.get(url).context["form"].fields["municipality"].queryset
    assert [m.number for m in offered] == ["3909"]  # the page offers Larvik's own
    horten = current("3901")
    crafted = {
        "p-municipality": horten.pk,
        "p-status": "considering",
        "p-since": "2024-05-01",
        "d-body": "council",  # the decision's choices, as a browser sends them
        "d-outcome": "adopted",
    }
    for data in (
        crafted,
        # with the decision to record on the same page: no decision is written either
        {
            **crafted,
            "p-status": "joined",
            "d-meeting_date": "2024-04-10",
            "d-case_number": "33/24",
        },
    ):
        response = client.post(url, data)
        assert response.status_code == 403
        text = response.content.decode()
        assert WHO_MAY.format(arena=project.arena.short_name) in text
        assert "Ingenting er lagret." in text
    assert not Participation.objects.exists()
    assert not Decision.objects.filter(case_number="33/24").exists()


def test_a_coordinator_posting_another_municipality_by_the_api_is_refused_with_who_may(
    client: Client, secretariat: Any, coordinator: Any
) -> None:
    project = project_in(arena_of(["3909", "3901"]), secretariat)
    headers = bearer(coordinator)
    problem = problem_of(
        _api_post(client, project, headers, municipality="3901", since="2024-05-01"), 403
    )
    assert problem["detail"] == WHO_MAY.format(arena=project.arena.short_name)
    with_decision = _api_post(
        client,
        project,
        headers,
        municipality="3901",
        since="2024-05-01",
        status="joined",
        decision_record={"body": "council", "case_number": "33/24", "meeting_date": "2024-04-10"},
    )
    assert problem_of(with_decision, 403)["detail"] == problem["detail"]
    assert not Participation.objects.exists()
    assert not Decision.objects.filter(case_number="33/24").exists()
    client.cookies["django_language"] = "en"  # said in the reader's language
    english = _api_post(client, project, headers, municipality="3901", since="2024-05-01")
    assert problem_of(english, 403)["detail"] == (
        f"Only the coordinator for 3901 Horten, or the secretariat for {project.arena.short_name} "
        "or a secretariat for every arena, can change the municipality's participation in the "
        "project."
    )
    # Larvik's own is the coordinator's to record
    assert (
        _api_post(client, project, headers, municipality="3909", since="2024-05-01").status_code
        == 201
    )


def test_the_service_refuses_another_municipalitys_coordinator_with_who_may(
    secretariat: Any, coordinator: Any
) -> None:
    project = project_in(arena_of(["3909", "3901"]), secretariat)
    with pytest.raises(PermissionDenied) as refused:
        set_participation(
            project,
            current("3901"),
            "considering",
            since=date(2024, 5, 1),
            decision=None,
            actor=coordinator,
        )
    assert str(refused.value) == WHO_MAY.format(arena=project.arena.short_name)
    assert not Participation.objects.exists()


# --- 3. The status form offers only what the lifecycle allows ------------------------------


def _offered(form: StatusForm) -> list[str]:
    return [value for value, _label in form.fields["status"].choices if value]


def test_the_status_form_offers_only_the_lifecycles_next_statuses() -> None:
    for status in lifecycle.STATUSES:
        offered = _offered(StatusForm(current=status))
        assert set(offered) == lifecycle.allowed_next(status)
        assert offered == [s for s in lifecycle.STATUSES if s in offered]  # in lifecycle order
    assert _offered(StatusForm(current="completed")) == []


def test_the_status_page_offers_the_next_statuses_and_the_api_names_them(
    client: Client, secretariat: Any
) -> None:
    project = project_in(arena_of(["3909"]), secretariat)
    change_status(
        project, "proposed", changed_on=date(2024, 2, 1), reason="Klar", actor=secretariat
    )
    url = reverse("portfolio:project_status", args=[project.pk])
    login(client, secretariat)
    page = client.get(url).content.decode()
    for status in ("idea", "approved", "discontinued", "transferred"):
        assert f'<option value="{status}">' in page
    for status in ("proposed", "ongoing", "completed"):
        assert f'<option value="{status}">' not in page
    posted = {"changed_on": "2024-06-01", "reason": "Ferdig", "version": project.version}
    refused = client.post(url, {**posted, "status": "completed"})
    words = (
        "Et prosjekt med status «foreslått» kan ikke få status «gjennomført». Tillatt: idé, "
        "vedtatt, avbrutt, overført til annen arena."
    )
    assert refused.context["form"].errors["status"] == [words]
    problem = problem_of(
        client.post(
            f"/api/v1/projects/{project.pk}/status",
            {**posted, "status": "completed"},
            content_type="application/json",
            headers=bearer(secretariat),
        ),
        422,
    )
    assert problem["errors"] == [{"loc": ["status"], "msg": words}]
    project.refresh_from_db()
    assert project.status == "proposed"


# --- 4. A lead municipality that did not exist when the project started --------------------


def test_a_lead_municipality_of_another_time_is_refused_on_the_page_and_in_the_api(
    client: Client, secretariat: Any
) -> None:
    """The API refused Lardal (ceased 2017) as lead of a project started in 2021, saying no
    municipality had the number that day; the page took it. Both now refuse it on the field,
    in the same words; a project started while Lardal existed may have it as lead."""
    arena = arena_of(["3909"])
    lardal = Municipality.objects.get(number="0728")
    login(client, secretariat)
    page = client.post(
        reverse("portfolio:project_create"),
        {
            "arena": arena.pk,
            "code": "L1",
            "title": "Ledet av Lardal",
            "start": "2021-03-01",
            "lead_municipality": lardal.pk,
        },
    )
    assert page.status_code == 200
    words = page.context["form"].errors["lead_municipality"]
    assert words == ["0728 Lardal fantes ikke som kommune 01.03.2021."], words
    problem = problem_of(
        client.post(
            "/api/v1/projects",
            {
                "arena": arena.pk,
                "code": "L1",
                "title": "Ledet av Lardal",
                "start": "2021-03-01",
                "lead_municipality": "0728",
            },
            content_type="application/json",
        ),
        422,
    )
    assert problem["errors"] == [{"loc": ["lead_municipality"], "msg": words[0]}], problem
    assert not Project.objects.filter(code="L1").exists()
    allowed = client.post(
        reverse("portfolio:project_create"),
        {
            "arena": arena.pk,
            "code": "L2",
            "title": "Ledet av Lardal",
            "start": "2015-03-01",
            "lead_municipality": lardal.pk,
        },
    )
    assert allowed.status_code == 302
    assert Project.objects.get(code="L2").lead_municipality == lardal


# --- 5. A status that is final; a transfer to an arena that had ended ----------------------


def test_a_final_status_offers_no_form(client: Client, secretariat: Any) -> None:
    """A clerk's re-check: a completed project's status page said «Statusen er endelig» and
    still showed an empty form with «Lagre status»."""
    project = project_in(arena_of(["3909"]), secretariat, status=Project.Status.COMPLETED)
    login(client, secretariat)
    page = client.get(reverse("portfolio:project_status", args=[project.pk])).content.decode()
    assert "Statusen er endelig." in page
    assert "Lagre status" not in page


def test_a_project_is_not_transferred_to_an_arena_that_had_ended(
    client: Client, secretariat: Any
) -> None:
    """The list of arenas to transfer to held ended ones; the service took them. An arena
    that had ended by the day of the transfer is refused on `transferred_to`, page and API
    in the same words; one that ended later took the project in its time."""
    arena = arena_of(["3909"])
    ended = arena_of(["3909"], short_name="GML")
    ended.ended = date(2020, 12, 31)
    ended.status = ended.Status.CLOSED
    ended.save()
    project = project_in(arena, secretariat, status=Project.Status.ONGOING, start=date(2019, 1, 1))
    with pytest.raises(ValidationError) as refused:
        change_status(
            project,
            Project.Status.TRANSFERRED,
            changed_on=date(2024, 5, 1),
            reason="Overført",
            actor=secretariat,
            transferred_to=ended,
        )
    words = refused.value.message_dict["transferred_to"]
    assert words == [f"{ended.name} ble avsluttet 31.12.2020; velg en arena som fantes da."]
    problem = problem_of(
        client.post(
            f"/api/v1/projects/{project.pk}/status",
            {
                "status": "transferred",
                "changed_on": "2024-05-01",
                "reason": "Overført",
                "transferred_to": ended.pk,
                "version": project.version,
            },
            content_type="application/json",
            headers=bearer(secretariat),
        ),
        422,
    )
    assert problem["errors"] == [{"loc": ["transferred_to"], "msg": words[0]}], problem
    project.refresh_from_db()
    assert project.status == Project.Status.ONGOING
    change_status(
        project,
        Project.Status.TRANSFERRED,
        changed_on=date(2020, 6, 1),
        reason="Overført i arenaens tid",
        actor=secretariat,
        transferred_to=ended,
    )
    assert project.transferred_to == ended


def test_an_open_project_is_not_moved_into_an_arena_that_has_ended(
    client: Client, secretariat: Any
) -> None:
    """A clerk's re-check: the transfer refused an ended arena, but editing the project's
    arena moved an ongoing project into Innherred samkommune (ended 2017), page and API."""
    arena = arena_of(["3909"])
    ended = arena_of(["3909"], short_name="GML")
    ended.ended = date(2017, 12, 31)
    ended.status = ended.Status.CLOSED
    ended.save()
    project = project_in(arena, secretariat, status=Project.Status.ONGOING)
    words = [f"{ended.name} ble avsluttet 31.12.2017; et åpent prosjekt kan ikke flyttes dit."]
    login(client, secretariat)
    page = client.post(
        reverse("portfolio:project_edit", args=[project.pk]),
        {
            "arena": ended.pk,
            "code": project.code,
            "title": project.title,
            "version": project.version,
        },
    )
    assert page.status_code == 200
    assert page.context["form"].errors["arena"] == words
    problem = problem_of(
        client.patch(
            f"/api/v1/projects/{project.pk}",
            {"arena": ended.pk, "version": project.version},
            content_type="application/json",
        ),
        422,
    )
    assert problem["errors"] == [{"loc": ["arena"], "msg": words[0]}], problem
    project.refresh_from_db()
    assert project.arena == arena
