"""Issue 20's trial: a refusal says who may. The national population import is a
secretariat's for every arena (not a coordinator's, as the general sentence said); a
refusal without words of its own claims nothing about who may."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import bearer, login
from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.jobs.models import Job
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db

NATIONAL = "Bare et sekretariat for alle arenaer kan lese inn folketall fra SSB."
COORDINATOR_MAY = "eller koordinatoren for kommunen det gjelder"
FILE = '"07459"\n""\n"region";"Personer 2024"\n"K-3909 Larvik";48000\n'


def test_larviks_coordinator_is_told_who_imports_population(
    client: Client, larvik: Municipality, coordinator: Any
) -> None:
    login(client, coordinator)
    refused = client.post(
        reverse("registry:population_import", args=[larvik.code]),
        {"file": SimpleUploadedFile("07459.csv", FILE.encode(), "text/csv")},
    )
    assert refused.status_code == 403
    page = refused.content.decode()
    assert NATIONAL in page
    assert COORDINATOR_MAY not in page
    assert not Job.objects.exists()


def test_the_api_says_the_same(client: Client, coordinator: Any) -> None:
    refused = client.post(
        "/api/v1/population-files",
        json.dumps({"filename": "07459.csv", "content": FILE}),
        content_type="application/json",
        headers=bearer(coordinator),
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == NATIONAL
    assert not Job.objects.exists()


def test_a_general_refusal_claims_nothing_of_who_may(client: Client, reader: Any) -> None:
    arena: Any = ArenaFactory()
    login(client, reader)
    response = client.post(f"/arenaer/{arena.pk}/endre/", {"name": "Nytt navn"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Rollen din gir ikke tilgang til dette." in page
    assert COORDINATOR_MAY not in page
    assert "den som gir roller i Samarbeid" in page


@pytest.mark.parametrize(
    ("kind", "who_may"),
    [
        ("import_municipalities", "kan lese inn kommuneregisteret."),
        ("import_population", NATIONAL),
        ("import_legal_entities", "kan lese inn Enhetsregisteret."),
    ],
)
def test_the_national_imports_on_the_task_page_say_who_may(
    client: Client, coordinator: Any, kind: str, who_may: str
) -> None:
    """Started from /oppgaver/ny/<kind>/ (the task's own page), each national import tells a
    coordinator who may start it, on a look and on a sent form; nothing is queued."""
    login(client, coordinator)
    url = reverse("jobs:job_start", args=[kind])
    for response in (
        client.get(url),
        client.post(url, {"file": SimpleUploadedFile("x.csv", FILE.encode(), "text/csv")}),
    ):
        assert response.status_code == 403
        page = response.content.decode()
        assert "Bare et sekretariat for alle arenaer" in page
        assert who_may in page
        assert COORDINATOR_MAY not in page
    assert not Job.objects.exists()


def test_the_whole_data_set_is_an_administrators(client: Client, secretariat: Any) -> None:
    login(client, secretariat)
    for kind in ("export_all", "import_all"):
        refused = client.get(reverse("jobs:job_start", args=[kind]))
        assert refused.status_code == 403
        assert "Bare en administrator kan eksportere eller importere alle data." in (
            refused.content.decode()
        )
    client.cookies["django_language"] = "en"
    english = client.get(reverse("jobs:job_start", args=["export_all"])).content.decode()
    assert "Only an administrator can export or import all data." in english
