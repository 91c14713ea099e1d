"""After a refused save, the proposal's edit page is headed by the record as stored, not by
the title typed and not saved (a clerk's trial: «Endre Forslag X – fane 2»)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.arenas.models import Arena
from samarbeid.review.services.proposals import update_proposal
from samarbeid.review.tests.api_helpers import new_proposal

pytestmark = pytest.mark.django_db


def _post(proposal: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "version": proposal.version,
        "title": proposal.title,
        "need": proposal.need,
        "arena": proposal.arena_id,
        "proposed_form": "",
        "published": "on",
    }
    return data | changes


def _heading(page: str) -> str:
    start = page.index('<h1 class="ds-heading" data-size="lg">')
    return page[start : page.index("</h1>", start)].split(">", 1)[1]


def test_a_conflict_is_headed_by_the_stored_proposal(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    proposal = new_proposal(ks, secretariat)
    url = reverse("review:proposal_edit", args=[proposal.pk])
    stale = _post(proposal, title="Felles innkjøp – fane 2")
    update_proposal(
        proposal, {"title": "Felles innkjøp – fane 1"}, expected_version=1, actor=secretariat
    )
    page = login(client, secretariat).post(url, stale).content.decode()
    # core's conflict box, once: the review's template adds none of its own
    assert page.count("Noen andre har lagret en nyere versjon") == 1
    assert _heading(page) == "Endre Felles innkjøp – fane 1"
    # the form keeps what the user typed, for an informed second save
    assert 'value="Felles innkjøp – fane 2"' in page


def test_a_refused_save_is_headed_by_the_stored_proposal(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    proposal = new_proposal(ks, secretariat)
    url = reverse("review:proposal_edit", args=[proposal.pk])
    page = login(client, secretariat).post(url, _post(proposal, title="Nytt navn", need=""))
    text = page.content.decode()
    assert "Skjemaet har feil som må rettes" in text
    assert _heading(text) == "Endre Felles innkjøp"
