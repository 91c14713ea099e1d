"""The demo (issue 22 point 8): the 12K's chief executives' group and mayors' meeting with
the strategic plan 2008–2011 as item 1, sent to the councils; the Innherred joint board's
meeting of 03.05.2007 adopting the mandate for "ISK 2" (its decision the one the case
already holds); KS Vestfold's meeting where "Rydding i arenaer" is presented. Example data,
built idempotently through the services."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from samarbeid.arenas import demo as arenas_demo
from samarbeid.governance.models import Decision
from samarbeid.meetings import demo
from samarbeid.meetings.models import AgendaItem, Body, Meeting, MeetingDocument
from samarbeid.portfolio import demo as portfolio_demo
from samarbeid.review import demo as review_demo
from samarbeid.strategy import demo as strategy_demo
from samarbeid.strategy.models import StrategicPlan

pytestmark = pytest.mark.django_db


def test_the_demo_meetings(secretariat: Any, client: Client) -> None:
    arenas_demo.load(secretariat)
    portfolio_demo.load(secretariat)
    strategy_demo.load(secretariat)
    review_demo.load(secretariat)
    for _ in range(2):  # idempotent
        demo.load(secretariat)
    names = set(Body.objects.values_list("name", flat=True))
    assert {"Rådmannsutvalget", "Ordførermøtet", "Samkommunestyret"} <= names
    # KS Vestfold: "Rydding i arenaer" is presented in the mayors' meeting (seed 000)
    presented = Meeting.objects.get(items__title__startswith="Rydding i arenaer")
    assert (presented.body.name, presented.body.kind) == (
        "Ordførermøtet i KS Vestfold",
        Body.Kind.MAYORS,
    )
    assert Meeting.objects.count() == 4
    assert not Meeting.objects.filter(status__in=["planned", "notice_sent", "held"]).exists()
    assert not Body.objects.filter(is_example_data=False).exists()

    mayors = Meeting.objects.get(body__name="Ordførermøtet")
    plan_item = mayors.items.get()
    assert plan_item.reference == "Sak 1/07"
    plan = StrategicPlan.objects.get(arena=mayors.body.arena, first_year=2008)
    assert plan_item.case is not None
    assert plan_item.case == plan.case  # the case the plan is sent to the councils in
    assert "oversendes kommunene" in plan_item.decision_text
    # seed 001's sentence is the item's proposal, adopted as it stood: the minutes took it
    assert plan_item.proposal == plan_item.decision_text
    in_body = plan.case.decisions.get(body=Decision.Body.ARENA_BOARD)
    assert in_body.text == plan_item.proposal
    assert in_body.body_name == "Ordførermøtet"
    assert in_body.meeting_date == mayors.date
    assert in_body == plan_item.decision
    case_page = client.get(plan.case.get_absolute_url()).content.decode()
    assert "Ordførermøtet i 12K" in case_page

    isk = Meeting.objects.get(body__name="Samkommunestyret")
    assert isk.date == date(2007, 5, 3)
    item = isk.items.get()
    assert item.case is not None
    assert item.decision is not None
    board = Decision.objects.filter(case=item.case, body=Decision.Body.ARENA_BOARD)
    assert board.count() == 1  # the minutes completed the case's decision, not a second
    assert item.decision == board.get()
    assert item.proposal == item.decision_text == board.get().text
    assert item.proposal == "Mandat for forprosjekt «ISK 2» vedtas."
    notice_page = client.get(reverse("meetings:notice", args=[isk.pk])).content.decode()
    assert "Forslag til vedtak" in notice_page
    assert "Mandat for forprosjekt «ISK 2» vedtas." in notice_page
    councils = Decision.objects.filter(case=item.case, body=Decision.Body.COUNCIL)
    assert [d.meeting_date for d in councils] == [date(2007, 5, 9)] * 2  # Levanger, Verdal
    # the orientation of 13.06.2007 decides nothing: told in the item, no decision invented
    assert not Decision.objects.filter(case=item.case, meeting_date=date(2007, 6, 13)).exists()
    assert "13.06." in item.description
    case_page = client.get(item.case.get_absolute_url()).content.decode()
    assert "09.05.2007" in case_page

    for one in Meeting.objects.all():  # each meeting's printed notice is on its page
        notice = one.documents.get(kind=MeetingDocument.Kind.NOTICE)
        assert notice.content_type == "application/pdf"
        assert notice.file.read(5) == b"%PDF-"
        page = client.get(one.get_absolute_url()).content.decode()
        assert notice.title in page
        assert client.get(notice.get_absolute_url()).status_code == 200

    ks = AgendaItem.objects.get(title__startswith="Rydding i arenaer")
    assert ks.outcome == "noted"
    page = client.get(f"/moter/{isk.pk}/protokoll/").content.decode()
    assert "Mandat for forprosjekt «ISK 2» vedtas." in page
    assert "eksempel" in page
