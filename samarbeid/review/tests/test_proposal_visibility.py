"""Who reads a cooperation proposal (an integrator's trial): the public sees published
records only, internal users (any role) see all. A proposal is public when it is published
and its arena (if it has one) is; the pages around it name only what the reader may see."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import api_call, bearer, login
from samarbeid.arenas.models import Arena
from samarbeid.review.models import ModelComparison
from samarbeid.review.services.comparisons import create_comparison
from samarbeid.review.tests.api_helpers import new_proposal

pytestmark = pytest.mark.django_db


def _titles(response: Any) -> list[str]:
    return [p["title"] for p in response.json()["items"]]


def test_an_unpublished_proposal_is_read_by_internal_users_only(
    client: Client, ks: Arena, secretariat: Any, reader: Any
) -> None:
    hidden = new_proposal(ks, secretariat, published=False)
    detail_api = f"/api/v1/proposals/{hidden.pk}"
    detail_page = reverse("review:proposal_detail", args=[hidden.pk])
    # the public: neither in the lists nor by its address
    assert _titles(client.get("/api/v1/proposals")) == []
    assert client.get(detail_api).status_code == 404
    assert "Felles innkjøp" not in client.get(reverse("review:proposal_list")).content.decode()
    assert client.get(detail_page).status_code == 404
    # any role: all of it, and the read model says it is not published
    for user in (secretariat, reader):
        listed = api_call(client, "GET", "/api/v1/proposals", None, user)
        assert [(p["title"], p["published"]) for p in listed.json()["items"]] == [
            ("Felles innkjøp", False)
        ]
        one = api_call(client, "GET", detail_api, None, user)
        assert one.status_code == 200
        assert one.json()["published"] is False
        login(client, user)
        assert "Felles innkjøp" in client.get(reverse("review:proposal_list")).content.decode()
        assert client.get(detail_page).status_code == 200
        client.logout()


def test_the_read_model_says_a_proposal_is_published(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    created = api_call(
        client, "POST", "/api/v1/proposals", {"title": "Felles IKT", "need": "Drift"}, secretariat
    )
    assert created.status_code == 201, created.content
    assert created.json()["published"] is True
    assert client.get(f"/api/v1/proposals/{created.json()['id']}").json()["published"] is True


def test_a_proposal_of_an_unpublished_arena_is_not_public(
    client: Client, ks: Arena, secretariat: Any, reader: Any
) -> None:
    proposal = new_proposal(ks, secretariat)
    Arena.objects.filter(pk=ks.pk).update(published=False)
    detail_page = reverse("review:proposal_detail", args=[proposal.pk])
    assert _titles(client.get("/api/v1/proposals")) == []
    assert client.get(f"/api/v1/proposals/{proposal.pk}").status_code == 404
    assert client.get(f"/api/v1/proposals/{proposal.pk}/criteria").status_code == 404
    assert "Felles innkjøp" not in client.get(reverse("review:proposal_list")).content.decode()
    assert client.get(detail_page).status_code == 404
    assert _titles(api_call(client, "GET", "/api/v1/proposals", None, reader)) == ["Felles innkjøp"]
    login(client, reader)
    assert client.get(detail_page).status_code == 200


def test_a_proposal_of_no_arena_is_public_when_published(client: Client, secretariat: Any) -> None:
    created = api_call(
        client, "POST", "/api/v1/proposals", {"title": "Felles IKT", "need": "Drift"}, secretariat
    )
    assert created.status_code == 201, created.content
    assert _titles(client.get("/api/v1/proposals")) == ["Felles IKT"]
    assert client.get(f"/api/v1/proposals/{created.json()['id']}").status_code == 200


def test_the_pages_between_a_proposal_and_its_comparisons_name_only_what_is_public(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    hidden = new_proposal(ks, secretariat, published=False)
    shown = create_comparison(
        ModelComparison(title="Modeller", arena=ks, proposal=hidden), actor=secretariat
    )
    public = new_proposal(ks, secretariat)
    create_comparison(
        ModelComparison(title="Intern sammenligning", arena=ks, proposal=public, published=False),
        actor=secretariat,
    )
    comparison_page = client.get(reverse("review:comparison_detail", args=[shown.pk]))
    assert comparison_page.status_code == 200
    assert "Felles innkjøp" not in comparison_page.content.decode()
    proposal_page = client.get(reverse("review:proposal_detail", args=[public.pk]))
    assert proposal_page.status_code == 200
    assert "Intern sammenligning" not in proposal_page.content.decode()
    login(client, secretariat)
    assert (
        "Felles innkjøp"
        in client.get(reverse("review:comparison_detail", args=[shown.pk])).content.decode()
    )
    assert (
        "Intern sammenligning"
        in client.get(reverse("review:proposal_detail", args=[public.pk])).content.decode()
    )


def test_a_comparison_of_an_unpublished_arena_is_not_public(
    client: Client, ks: Arena, secretariat: Any, reader: Any
) -> None:
    comparison = create_comparison(ModelComparison(title="Modeller", arena=ks), actor=secretariat)
    Arena.objects.filter(pk=ks.pk).update(published=False)
    assert client.get("/api/v1/comparisons").json()["items"] == []
    assert client.get(f"/api/v1/comparisons/{comparison.pk}").status_code == 404
    assert "Modeller" not in client.get(reverse("review:comparison_list")).content.decode()
    detail_page = reverse("review:comparison_detail", args=[comparison.pk])
    assert client.get(detail_page).status_code == 404
    listed = api_call(client, "GET", "/api/v1/comparisons", None, reader).json()["items"]
    assert [c["title"] for c in listed] == ["Modeller"]
    login(client, reader)
    assert client.get(detail_page).status_code == 200


def test_the_comparison_api_gives_the_proposals_id_only_to_who_may_read_it(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    """A re-check: the page no longer named an unpublished proposal, but the API still gave
    its id (following it answered 404)."""
    hidden = new_proposal(ks, secretariat, published=False)
    shown = create_comparison(
        ModelComparison(title="Modeller", arena=ks, proposal=hidden), actor=secretariat
    )
    assert client.get(f"/api/v1/comparisons/{shown.pk}").json()["proposal"] is None
    listed = client.get("/api/v1/comparisons").json()["items"]
    assert [c["proposal"] for c in listed if c["id"] == shown.pk] == [None]
    token = bearer(secretariat)
    read = client.get(f"/api/v1/comparisons/{shown.pk}", headers=token)
    assert read.json()["proposal"] == hidden.pk, read.json()
    listed = client.get("/api/v1/comparisons", headers=token).json()["items"]
    assert [c["proposal"] for c in listed if c["id"] == shown.pk] == [hidden.pk]
