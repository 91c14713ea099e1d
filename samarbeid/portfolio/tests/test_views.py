from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conftest import login
from samarbeid.arenas.tests.factories import current
from samarbeid.governance.models import Decision
from samarbeid.portfolio.models import Participation, Project
from samarbeid.portfolio.services import set_participation
from samarbeid.portfolio.tests.helpers import arena_of, council_decision, join_project, project_in

pytestmark = pytest.mark.django_db


def _fill(secretariat: Any, arena: Any, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        project = project_in(arena, secretariat, code=f"P{i}", focus_area_text="IKT")
        join_project(project, "3909", secretariat)


def test_index_overview(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909"], short_name="12K")
    arena_of([], parent=arena, kind="professional_group")
    _fill(secretariat, arena, 2)
    response = client.get(reverse("portfolio:index"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "0 gjennomført, 0 pågående, 1 faggrupper" in text
    assert "IKT" in text
    assert "3909 Larvik" in text


def test_list_filters_and_query_count(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909"])
    _fill(secretariat, arena, 2)
    url = reverse("portfolio:project_list")
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _fill(secretariat, arena, 6, start=10)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(small) == len(large)
    assert response.content.decode().count("Prosjekt P") == 8
    response = client.get(url, {"municipality": "3901"})
    assert "Ingen prosjekter passer" in response.content.decode()
    response = client.get(url, {"q": "P10", "status": "idea", "arena": str(arena.pk)})
    assert "Prosjekt P10" in response.content.decode()


def test_excel_export_of_filtered_list(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909"])
    _fill(secretariat, arena, 3)
    response = client.get(reverse("portfolio:project_export"), {"q": "P1"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Kode"
    assert [r[0] for r in rows[1:]] == ["P1"]
    assert rows[1][10] == 1


def test_unpublished_project_is_hidden(client: Client, secretariat: Any, reader: Any) -> None:
    project = project_in(arena_of(["3909"]), secretariat, published=False)
    assert client.get(project.get_absolute_url()).status_code == 404
    login(client, reader)
    assert client.get(project.get_absolute_url()).status_code == 200


def test_detail_shows_participation_and_history(client: Client, secretariat: Any) -> None:
    project = project_in(arena_of(["3909"]), secretariat, code="X", title="Felles IKT")
    _ = set_participation(
        project,
        current("3909"),
        "joined",
        since=date(2024, 5, 1),
        decision=council_decision(current("3909"), date(2024, 2, 1), case_number="12/24"),
        actor=secretariat,
    )
    text = client.get(project.get_absolute_url()).content.decode()
    assert "3909 Larvik" in text
    assert "sak 12/24" in text
    assert "Statushistorikk" in text


def test_create_and_edit_project(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909"])
    login(client, secretariat)
    response = client.post(
        reverse("portfolio:project_create"),
        {"arena": arena.pk, "code": "N1", "title": "Nytt prosjekt", "published": "on"},
    )
    project = Project.objects.get(code="N1")
    assert response.status_code == 302
    response = client.post(
        reverse("portfolio:project_edit", args=[project.pk]),
        {
            "arena": arena.pk,
            "code": "N1",
            "title": "Nytt navn",
            "version": project.version,
            "start": "2024-05-01",
            "end": "2024-01-01",
        },
    )
    assert "ds-validation-message" in response.content.decode()
    response = client.post(
        reverse("portfolio:project_edit", args=[project.pk]),
        {"arena": arena.pk, "code": "N1", "title": "Nytt navn", "version": project.version},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Nytt navn"


def test_create_refused_for_coordinator(client: Client, coordinator: Any) -> None:
    login(client, coordinator)
    assert client.get(reverse("portfolio:project_create")).status_code == 403


def test_status_form(client: Client, secretariat: Any, coordinator: Any) -> None:
    project = project_in(arena_of(["3909"]), secretariat)
    url = reverse("portfolio:project_status", args=[project.pk])
    login(client, coordinator)
    assert client.get(url).status_code == 403
    login(client, secretariat)
    response = client.post(
        url,
        {
            "status": "completed",
            "changed_on": "2024-06-01",
            "reason": "Ferdig",
            "version": project.version,
        },
    )
    assert "kan ikke få status" in response.content.decode()
    response = client.post(
        url,
        {
            "status": "proposed",
            "changed_on": "2024-06-01",
            "reason": "Klar",
            "version": project.version,
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == "proposed"


def test_participation_with_decision_on_same_page(
    client: Client, secretariat: Any, coordinator: Any
) -> None:
    project = project_in(arena_of(["3909", "3901"]), secretariat)
    url = reverse("portfolio:participation_change", args=[project.pk])
    larvik = current("3909")
    login(client, coordinator)
    data = {
        "p-municipality": larvik.pk,
        "p-status": "joined",
        "p-since": "2024-05-01",
        "d-body": "council",
        "d-outcome": "adopted",
    }
    response = client.post(url, data)
    assert "må bygge på et vedtak" in response.content.decode()
    assert not Participation.objects.exists()
    response = client.post(url, {**data, "d-meeting_date": "2024-04-10", "d-case_number": "33/24"})
    assert response.status_code == 302
    record = Participation.objects.get()
    assert record.decision is not None
    assert record.decision.case_number == "33/24"
    # A coordinator cannot record another municipality's: refused with who may (403).
    response = client.post(url, {**data, "p-municipality": current("3901").pk})
    assert response.status_code == 403
    assert "Bare koordinatoren for 3901 Horten" in response.content.decode()
    assert Participation.objects.count() == 1


def test_participation_refused_for_reader(client: Client, secretariat: Any, reader: Any) -> None:
    project = project_in(arena_of(["3909"]), secretariat)
    login(client, reader)
    url = reverse("portfolio:participation_change", args=[project.pk])
    assert client.get(url).status_code == 403


def test_municipality_page(client: Client, secretariat: Any) -> None:
    from samarbeid.governance.services.cases import send_case
    from samarbeid.portfolio.tests.helpers import make_case

    project = project_in(arena_of(["3909"]), secretariat, title="Felles strøm")
    larvik = current("3909")
    set_participation(
        project, larvik, "invited", since=date(2024, 3, 1), decision=None, actor=secretariat
    )
    case = make_case(title="Strategisk plan", opened=date(2024, 1, 10))
    send_case(case, [larvik], planned_date=date(2024, 2, 1), actor=secretariat)
    response = client.get(reverse("portfolio:municipality", args=[larvik.code]))
    text = response.content.decode()
    assert "Felles strøm" in text
    assert "Strategisk plan" in text
    assert "forsinket" in text
    assert client.get(reverse("portfolio:municipality", args=["nope"])).status_code == 404
    assert Decision.objects.filter(case=case).count() == 1


def test_municipality_page_lists_the_projects_of_the_municipalities_it_took_over(
    client: Client, secretariat: Any
) -> None:
    from samarbeid.arenas.tests.factories import DecisionFactory
    from samarbeid.registry.models import Municipality

    project = project_in(arena_of(["3909"]), secretariat, title="Felles strøm 2008")
    for code in ("0722", "0723"):
        municipality = Municipality.objects.get(code=code)
        Participation.objects.create(  # recorded in 2008, as the municipality was then
            project=project,
            municipality=municipality,
            status=Participation.Status.JOINED,
            since=date(2008, 1, 1),
            decision=DecisionFactory(municipality=municipality, meeting_date=date(2007, 12, 1)),
        )
    for url in (
        reverse("portfolio:municipality", args=["3911"]),
        reverse("registry:municipality_detail", args=["3911"]),
    ):
        text = client.get(url).content.decode()
        assert text.count("Felles strøm 2008") == 2
        assert "som Nøtterøy, 0722" in text
        assert "som Tjøme, 0723" in text


def test_index_counts_by_municipality_and_query_count(client: Client, secretariat: Any) -> None:
    """Per municipality: projects taken part in now and ever (a withdrawal ends "now" but
    not "ever"; joining a project twice counts once), from database aggregates
    in the same number of queries however many projects and participations there are."""
    arena = arena_of(["3909", "3901"], short_name="12K")
    url = reverse("portfolio:index")
    _fill(secretariat, arena, 2)
    client.get(url)
    cache.clear()  # measure the computation, not the cached figures
    caches["pages"].clear()  # nor the page (core.public_cache); the second look is cached
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as cached:
        assert client.get(url).status_code == 200
    assert len(cached) < len(small)
    _fill(secretariat, arena, 6, start=10)
    horten = current("3901")
    first, second = Project.objects.filter(arena=arena).order_by("code")[:2]
    for project in (first, second):
        join_project(project, "3901", secretariat)
    for project in (first, second):
        set_participation(
            project,
            horten,
            "withdrawn",
            since=date(2024, 9, 1),
            decision=council_decision(horten, date(2024, 8, 1)),
            reason="Prioriterer annet",
            actor=secretariat,
        )
    join_project(second, "3901", secretariat, since=date(2024, 10, 1), decided=date(2024, 9, 15))
    cache.clear()
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(small) == len(large)
    rows = response.context["overview"].by_municipality
    assert [(r["number"], r["name"], r["now"], r["ever"]) for r in rows] == [
        ("3901", "Horten", 1, 2),
        ("3909", "Larvik", 8, 8),
    ]
    assert rows[0]["code"] == horten.code
    text = response.content.decode()
    assert "3901 Horten" in text
    assert "3909 Larvik" in text


def test_the_status_form_chooses_nothing_at_first(client: Client, secretariat: Any) -> None:
    """A clerk's trial: the form came with «idé» chosen (the first status), seldom the next
    step; nothing is chosen until the clerk chooses, and sending it so is refused."""
    project = project_in(arena_of(["3909"]), secretariat)
    url = reverse("portfolio:project_status", args=[project.pk])
    login(client, secretariat)
    page = client.get(url).content.decode()
    assert '<option value="" selected>Velg ny status</option>' in page
    refused = client.post(
        url, {"status": "", "changed_on": "2024-06-01", "reason": "x", "version": project.version}
    )
    assert "Feltet er påkrevd." in refused.content.decode()
    project.refresh_from_db()
    assert project.status == "idea"
