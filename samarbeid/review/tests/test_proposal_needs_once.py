"""A proposal started from planning needs shows each need once on its page (a clerk's trial,
fund3 point 2): the needs are listed under «Bygger på behov fra kommunenes planstrategier»,
and the proposal's own need, as first written from them, sums them up without repeating
each need's text."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.planning.queries import need_text
from samarbeid.planning.tests.factories import need, strategy
from samarbeid.review.models import CooperationProposal

pytestmark = pytest.mark.django_db


def _needs() -> list[Any]:
    return [
        need(
            strategy(number),
            "health_care",
            description=f"Eldreomsorg mot 2030 i {name}: flere eldre og færre i arbeidsfør alder",
            partners="Nabokommunene i Vestfold; helseforetaket",
        )
        for number, name in (("3909", "Larvik"), ("3907", "Sandefjord"), ("3911", "Færder"))
    ]


def test_the_proposal_page_shows_each_need_once(client: Client, secretariat: Any) -> None:
    needs = _needs()
    login(client, secretariat)
    url = reverse("review:proposal_from_needs") + "?tema=health_care"
    form = client.get(url).context["form"]
    response = client.post(
        url,
        {
            "title": "Felles eldreomsorg mot 2030",
            "need": form.initial["need"],
            "proposed_form": "",
            "published": "on",
            "planning_needs": [n.pk for n in needs],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    proposal = CooperationProposal.objects.get()
    html = client.get(proposal.get_absolute_url()).content.decode()
    for item in needs:
        assert html.count(item.description) == 1, item.description
        assert html.count(f'href="{item.get_absolute_url()}"') == 1
    # the proposal's need still says where it comes from, and with whom
    for name in ("Larvik", "Sandefjord", "Færder"):
        assert name in proposal.need
    assert "Nabokommunene i Vestfold; helseforetaket" in proposal.need


def test_the_need_text_names_each_partner_once() -> None:
    text = need_text(_needs())
    assert text.count("Nabokommunene i Vestfold; helseforetaket") == 1, text
    assert "flere eldre" not in text
