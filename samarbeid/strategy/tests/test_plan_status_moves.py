"""A clerk's trial: the status page of an expired plan had «vedtatt» chosen in its list,
and saving it was refused («Bare en plan sendt til behandling kan vedtas.»). The page now
says the plan's status and offers only the moves the service allows from it
(`allowed_moves`, from `move_refusal`), none chosen; a plan with none says why instead of
showing a form."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import login
from samarbeid.governance.models import Decision
from samarbeid.strategy.forms import PlanStatusForm
from samarbeid.strategy.models import StrategicPlan
from samarbeid.strategy.services.plans import (
    PLAN_MOVES,
    allowed_moves,
    send_for_treatment,
    set_plan_status,
)
from samarbeid.strategy.tests.helpers import arena_of, goal, plan

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _options(page: str) -> list[str]:
    return re.findall(r'<option value="(\w*)"( selected)?>', page)


def _sent_plan(secretariat: Any, *, last: int = 2011) -> StrategicPlan:
    p = plan(arena_of(["3909"]), 2008, last)
    goal(p, 1)
    send_for_treatment(p, planned_date=None, actor=secretariat)
    p.refresh_from_db()
    return p


def _adopt_everywhere(p: StrategicPlan) -> None:
    Decision.objects.filter(case_id=p.case_id).update(
        outcome=Decision.Outcome.ADOPTED, meeting_date=timezone.localdate()
    )


def test_an_expired_plan_says_so_and_offers_no_form(client: Client, secretariat: Any) -> None:
    p = plan(arena_of(["3909"]), 2008, 2011)
    set_plan_status(p, "expired", expected_version=None, actor=secretariat)
    assert allowed_moves(p) == []
    login(client, secretariat)
    url = reverse("strategy:plan_status", args=[p.pk])
    page = _text(client.get(url))
    assert "Planen har nå status «utløpt»." in page
    assert "Planen kan ikke få ny status nå:" in page
    assert "Vedtatt: Bare en plan sendt til behandling kan vedtas." in page
    assert "Utløpt: Planen er allerede utløpt." in page
    assert "<select" not in page
    assert "<button" not in page.split("<main", 1)[1]
    # a post all the same changes nothing and says why again
    refused = client.post(url, {"status": "adopted", "version": p.version})
    assert refused.status_code == 200
    assert "Bare en plan sendt til behandling kan vedtas." in _text(refused)
    p.refresh_from_db()
    assert (p.status, p.version) == ("expired", 2)


def test_an_ended_draft_offers_only_expiry_with_nothing_chosen(
    client: Client, secretariat: Any
) -> None:
    p = plan(arena_of(["3909"]), 2008, 2011)
    login(client, secretariat)
    url = reverse("strategy:plan_status", args=[p.pk])
    page = _text(client.get(url))
    assert "Planen har nå status «utkast»." in page
    assert _options(page) == [("", " selected"), ("expired", "")]  # no move chosen
    assert '<option value="" selected>Velg ny status</option>' in page
    # the move not offered is refused in the service's words, on the field
    refused = client.post(url, {"status": "adopted", "version": p.version})
    assert refused.status_code == 200
    assert refused.context["form"].errors["status"] == [
        "Bare en plan sendt til behandling kan vedtas."
    ]
    nothing = client.post(url, {"status": "", "version": p.version})
    assert "Feltet er påkrevd." in _text(nothing)
    assert client.post(url, {"status": "expired", "version": p.version}).status_code == 302
    p.refresh_from_db()
    assert p.status == "expired"


def test_a_sent_plan_offers_adoption_once_every_council_has_treated_it(
    client: Client, secretariat: Any
) -> None:
    p = _sent_plan(secretariat, last=timezone.localdate().year + 2)
    login(client, secretariat)
    url = reverse("strategy:plan_status", args=[p.pk])
    waiting = _text(client.get(url))  # the council has not treated it: no move yet
    assert "Planen har nå status «sendt til politisk behandling»." in waiting
    assert "Vedtatt: Venter fortsatt på behandling i: Larvik." in waiting
    assert "Utløpt: Planperioden varer til og med" in waiting
    assert "<select" not in waiting
    _adopt_everywhere(p)
    page = _text(client.get(url))
    assert _options(page) == [("", " selected"), ("adopted", "")]
    assert client.post(url, {"status": "adopted", "version": p.version}).status_code == 302
    p.refresh_from_db()
    assert p.status == "adopted"


def test_the_form_offers_what_the_service_allows_for_every_status(secretariat: Any) -> None:
    """The form's choices are the service's allowed moves, whatever the plan's status."""
    p = _sent_plan(secretariat)
    _adopt_everywhere(p)
    for status in StrategicPlan.Status.values:
        p.status = status
        offered = [v for v, _label in PlanStatusForm(plan=p).fields["status"].choices if v]
        assert offered == allowed_moves(p)
        for move in PLAN_MOVES:
            if move not in offered:
                with pytest.raises(ValidationError):
                    set_plan_status(p, move, expected_version=None, actor=secretariat)
                p.refresh_from_db()
                p.status = status
    # sent, with no case (no council to adopt it) and a period not over: nothing
    assert allowed_moves(StrategicPlan(status="sent", last_year=2999)) == []


def test_the_service_refuses_to_expire_an_expired_plan(secretariat: Any) -> None:
    p = plan(arena_of(["3909"]), 2008, 2011)
    set_plan_status(p, "expired", expected_version=None, actor=secretariat)
    with pytest.raises(ValidationError, match=r"Planen er allerede utløpt\."):
        set_plan_status(p, "expired", expected_version=None, actor=secretariat)
    assert p.version == 2


def test_an_adopted_plan_says_it_is_adopted_already(client: Client, secretariat: Any) -> None:
    """A clerk's trial: an adopted plan's status page gave «Vedtatt: Bare en plan sendt til
    behandling kan vedtas.», as if the plan had never been sent."""
    p = _sent_plan(secretariat, last=2099)
    _adopt_everywhere(p)
    set_plan_status(p, "adopted", expected_version=None, actor=secretariat)
    login(client, secretariat)
    page = _text(client.get(reverse("strategy:plan_status", args=[p.pk])))
    assert "Planen har nå status «vedtatt»." in page
    assert "Vedtatt: Planen er allerede vedtatt." in page
    assert "Bare en plan sendt til behandling kan vedtas." not in page


def test_a_plan_without_goals_says_when_it_can_be_sent(client: Client, secretariat: Any) -> None:
    """A clerk's trial: «Send til politisk behandling» was offered before the plan had a
    goal; only the send page's save said one was needed."""
    p = plan(arena_of(["3909"]), 2030, 2033)
    login(client, secretariat)
    url = reverse("strategy:plan_detail", args=[p.pk])
    page = _text(client.get(url))
    assert "Planen kan sendes til politisk behandling når den har minst ett mål." in page
    assert reverse("strategy:plan_send", args=[p.pk]) not in page
    goal(p, 1)
    page = _text(client.get(url))
    assert reverse("strategy:plan_send", args=[p.pk]) in page


def test_the_plan_page_offers_a_status_change_only_when_a_move_is_allowed(
    client: Client, secretariat: Any
) -> None:
    """A clerk's trial: an expired or adopted plan's page offered «Endre status», whose page
    then only said why no move was allowed. The link stands only when one is, and the page
    reads the council treatments once (the link asks no query of its own)."""
    link_text = "Endre status"
    login(client, secretariat)
    p = _sent_plan(secretariat, last=timezone.localdate().year + 2)
    url = reverse("strategy:plan_detail", args=[p.pk])
    status_url = reverse("strategy:plan_status", args=[p.pk])
    waiting = _text(client.get(url))  # sent, the council has not treated it: no move
    assert link_text not in waiting
    assert status_url not in waiting
    _adopt_everywhere(p)
    with CaptureQueriesContext(connection) as queries:
        ready = _text(client.get(url))
    assert f'href="{status_url}">{link_text}</a>' in ready
    decisions = [q["sql"] for q in queries if '"governance_decision"' in q["sql"]]
    assert len(decisions) == 1, decisions
    set_plan_status(p, "adopted", expected_version=None, actor=secretariat)
    adopted = _text(client.get(url))  # adopted, its period not over: nothing left to do
    assert link_text not in adopted
    assert status_url not in adopted
    expired = plan(arena_of(["3909"]), 2008, 2011)
    goal(expired, 1)
    send_for_treatment(expired, planned_date=None, actor=secretariat)
    expired.refresh_from_db()
    expired_url = reverse("strategy:plan_detail", args=[expired.pk])
    ended = _text(client.get(expired_url))  # sent and ended: it may expire
    assert reverse("strategy:plan_status", args=[expired.pk]) in ended
    set_plan_status(expired, "expired", expected_version=None, actor=secretariat)
    gone = _text(client.get(expired_url))
    assert "Endre publisering" in gone  # the other action stays
    assert link_text not in gone


def test_a_draft_whose_period_is_over_offers_the_status_change(
    client: Client, secretariat: Any
) -> None:
    """A clerk's trial: a draft of 2020–2023 could be marked expired on its status page, but
    its plan page had no «Endre status» (the link stood only on sent plans)."""
    login(client, secretariat)
    old = plan(arena_of(["3909"]), 2008, 2011)
    page = _text(client.get(reverse("strategy:plan_detail", args=[old.pk])))
    assert f'href="{reverse("strategy:plan_status", args=[old.pk])}">Endre status</a>' in page
    current = plan(arena_of(["3909"]), 2025, timezone.localdate().year + 2)
    page = _text(client.get(reverse("strategy:plan_detail", args=[current.pk])))
    assert reverse("strategy:plan_status", args=[current.pk]) not in page
