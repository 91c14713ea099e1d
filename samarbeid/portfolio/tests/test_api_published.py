"""A clerk's trial: the projects API took `published` on POST and PATCH but did not answer
it, so a client could not tell what it had stored. Every project answer now carries it (the
write's answer, the project and the list)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import login
from samarbeid.portfolio.models import Project
from samarbeid.portfolio.tests.helpers import arena_of

pytestmark = pytest.mark.django_db


def test_a_project_answers_whether_it_is_published(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909"])
    login(client, secretariat)
    created = client.post(
        "/api/v1/projects",
        {
            "arena": arena.pk,
            "code": "UP1",
            "title": "Upublisert",
            "start": "2024-01-01",
            "published": False,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["published"] is False
    pid = created.json()["id"]
    assert Project.objects.get(pk=pid).published is False
    assert client.get(f"/api/v1/projects/{pid}").json()["published"] is False
    listed = client.get("/api/v1/projects", {"arena": arena.pk}).json()["items"]
    assert [(p["id"], p["published"]) for p in listed] == [(pid, False)]

    changed = client.patch(
        f"/api/v1/projects/{pid}",
        {"version": created.json()["version"], "published": True},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["published"] is True
    client.logout()
    assert client.get(f"/api/v1/projects/{pid}").json()["published"] is True
