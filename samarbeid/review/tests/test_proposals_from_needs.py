"""A cooperation proposal starts from needs that municipalities' planning strategies name
(issue 24 point 4): 'Nytt forslag fra behov' prefills the need and keeps the links, the
proposal page shows each municipality's need, and the proposals page shows per theme which
municipalities named a need, in a bounded number of queries."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from conftest import bearer, login, problem_of
from samarbeid.audit.models import AuditEntry
from samarbeid.audit.services import history
from samarbeid.planning.models import PlanningStrategy
from samarbeid.planning.tests.factories import need, strategy
from samarbeid.review.models import CooperationProposal, ProposalNeed
from samarbeid.review.services.proposals import create_proposal

pytestmark = pytest.mark.django_db


def _procurement_needs() -> list[Any]:
    return [
        need(strategy(number), "procurement", description=f"Innkjøp i {number}")
        for number in ("3909", "3907", "3911")
    ]


def test_the_proposal_starts_from_the_needs_it_keeps(client: Client, secretariat: Any) -> None:
    larvik, sandefjord, faerder = _procurement_needs()
    need(strategy("3901"), "ict")  # another theme: not offered
    login(client, secretariat)
    url = (
        reverse("review:proposal_from_needs")
        + f"?tema=procurement&behov={larvik.pk}&behov={faerder.pk}"
    )
    page = client.get(url)
    form = page.context["form"]
    assert set(form.initial["planning_needs"]) == {larvik.pk, faerder.pk}
    assert "Larvik" in form.initial["need"]
    assert "Færder" in form.initial["need"]
    assert "Sandefjord" not in form.initial["need"]
    assert {n.pk for n in form.fields["planning_needs"].queryset} == {
        larvik.pk,
        sandefjord.pk,
        faerder.pk,
    }
    response = client.post(
        url,
        {
            "title": "Felles innkjøp",
            "need": form.initial["need"],
            "proposed_form": "",
            "published": "on",
            "planning_needs": [larvik.pk, sandefjord.pk],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    proposal = CooperationProposal.objects.get()
    assert set(proposal.planning_needs.all()) == {larvik, sandefjord}
    link = ProposalNeed.objects.filter(proposal=proposal).first()
    assert history(link).filter(action=AuditEntry.Action.CREATE).exists()
    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert "Bygger på behov fra kommunenes planstrategier" in detail
    assert larvik.strategy.get_absolute_url() in detail
    assert "Sandefjord" in detail


def test_only_the_secretariat_starts_a_proposal(
    client: Client, coordinator: Any, reader: Any
) -> None:
    url = reverse("review:proposal_from_needs") + "?tema=procurement"
    assert "/logg-inn/" in client.get(url)["Location"]
    for user in (coordinator, reader):
        login(client, user)
        assert client.get(url).status_code == 403


def test_a_need_taken_out_on_the_edit_page_is_unlinked(client: Client, secretariat: Any) -> None:
    larvik, sandefjord, _faerder = _procurement_needs()
    proposal = create_proposal(
        CooperationProposal(title="Felles innkjøp", need="Innkjøp"),
        planning_needs=[larvik, sandefjord],
        actor=secretariat,
    )
    login(client, secretariat)
    response = client.post(
        reverse("review:proposal_edit", args=[proposal.pk]),
        {
            "title": "Felles innkjøp",
            "need": "Innkjøp",
            "proposed_form": "",
            "published": "on",
            "planning_needs": [larvik.pk],
            "version": proposal.version,
        },
    )
    assert response.status_code == 302
    assert list(proposal.planning_needs.all()) == [larvik]


def test_a_need_a_proposal_builds_on_cannot_be_deleted(secretariat: Any, coordinator: Any) -> None:
    from django.core.exceptions import ValidationError

    from samarbeid.planning.services import delete_need, delete_strategy

    larvik, *_ = _procurement_needs()
    create_proposal(
        CooperationProposal(title="Felles innkjøp", need="Innkjøp"),
        planning_needs=[larvik],
        actor=secretariat,
    )
    with pytest.raises(ValidationError, match="Felles innkjøp"):
        delete_need(larvik, expected_version=larvik.version, actor=coordinator)
    with pytest.raises(ValidationError, match="Felles innkjøp"):
        delete_strategy(larvik.strategy, expected_version=1, actor=coordinator)
    assert PlanningStrategy.objects.filter(pk=larvik.strategy_id).exists()
    larvik.refresh_from_db()


def test_the_proposals_page_shows_per_theme_who_named_the_need(
    client: Client, secretariat: Any, django_assert_max_num_queries: Any
) -> None:
    _procurement_needs()
    need(strategy("3901", first_year=2016, last_year=2019), "procurement")  # replaced long ago
    need(strategy("3903", published=False), "procurement")  # internal only
    page = client.get(reverse("review:proposal_list")).content.decode()
    for name in ("Larvik", "Sandefjord", "Færder"):
        assert name in page
    assert "Horten" not in page
    assert "Holmestrand" not in page
    assert "Nytt forslag fra behov" not in page  # the public reads, does not start
    login(client, secretariat)
    assert "Holmestrand" in client.get(reverse("review:proposal_list")).content.decode()

    def count() -> int:
        cache.clear()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("review:proposal_list")).content.decode()
        assert "Nytt forslag fra behov" in html
        return len(queries)

    few = count()
    for number in ("3905", "3907", "3909", "3911"):
        need(strategy(number, title="Ny"), "health_care")
        need(strategy(number, title="Andre"), "ict")
    assert count() == few
    with django_assert_max_num_queries(few):
        client.get(reverse("review:proposal_list"))


def test_the_api_links_a_proposal_to_needs(client: Client, secretariat: Any) -> None:
    larvik, sandefjord, _faerder = _procurement_needs()
    headers = bearer(secretariat)
    response = client.post(
        "/api/v1/proposals",
        json.dumps({"title": "Felles innkjøp", "need": "Innkjøp", "planning_needs": [larvik.pk]}),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["planning_needs"] == [larvik.pk]
    body = problem_of(
        client.patch(
            f"/api/v1/proposals/{body['id']}",
            json.dumps({"version": body["version"], "planning_needs": [999999]}),
            content_type="application/json",
            headers=headers,
        ),
        422,
    )
    assert [e["loc"] for e in body["errors"]] == [["planning_needs"]]
    proposal = CooperationProposal.objects.get()
    patched = client.patch(
        f"/api/v1/proposals/{proposal.pk}",
        json.dumps({"version": proposal.version, "title": "Felles innkjøp i Vestfold"}),
        content_type="application/json",
        headers=headers,
    )
    assert patched.json()["planning_needs"] == [larvik.pk]  # left out: kept
    patched = client.patch(
        f"/api/v1/proposals/{proposal.pk}",
        json.dumps({"version": patched.json()["version"], "planning_needs": [sandefjord.pk]}),
        content_type="application/json",
        headers=headers,
    )
    assert patched.json()["planning_needs"] == [sandefjord.pk]


def test_a_need_a_proposal_builds_on_names_it_and_offers_no_delete(
    client: Client, coordinator: Any, secretariat: Any
) -> None:
    """A clerk's trial: the page offered 'Slett' on such a need, refused only after."""
    larvik, _sandefjord, _faerder = _procurement_needs()
    other = need(larvik.strategy, "ict", description="Felles IKT")
    proposal = create_proposal(
        CooperationProposal(title="Felles innkjøp", need="Innkjøp"),
        planning_needs=[larvik],
        actor=secretariat,
    )
    login(client, coordinator)
    page = client.get(
        reverse(
            "planning:strategy_detail", args=[larvik.strategy.municipality.code, larvik.strategy.pk]
        )
    ).content.decode()
    row = page[page.index(f'id="behov-{larvik.pk}"') :]
    row = row[: row.index("</tr>")]
    assert f'href="{proposal.get_absolute_url()}">Felles innkjøp</a>' in row
    assert "kan ikke slettes så lenge et forslag bygger på det" in row
    assert (
        reverse(
            "planning:need_delete",
            args=[larvik.strategy.municipality.code, larvik.strategy.pk, larvik.pk],
        )
        not in row
    )
    assert (
        reverse(
            "planning:need_delete",
            args=[larvik.strategy.municipality.code, larvik.strategy.pk, other.pk],
        )
        in page
    )
