"""A membership ends on the member's decision to leave: the page's form asks for it, and
the API and the service refuse an end without one (a clerk's trial ended a membership by
PATCH /api/v1/memberships/{id} with `left` alone, which the page refuses)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import bearer, problem_of
from samarbeid.arenas.forms import ArenaForm
from samarbeid.arenas.models import Membership
from samarbeid.arenas.services import update_membership
from samarbeid.arenas.tests.factories import (
    ArenaFactory,
    DecisionFactory,
    MembershipFactory,
    leave_on_decision,
)
from samarbeid.governance.models import Decision
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db


def _ceased_member(code: str, left: date | None = None) -> Membership:
    """A membership since 2006 of a municipality that ceased 31.12.2017 (Nøtterøy 0722,
    Lardal 0728), ended by the merger when `left` is that day."""
    municipality = Municipality.objects.get(code=code)
    return MembershipFactory(
        arena=ArenaFactory(established=date(2000, 1, 1)),
        municipality=municipality,
        decision=DecisionFactory(municipality=municipality, meeting_date=date(2005, 11, 1)),
        joined=date(2006, 1, 1),
        left=left,
        leave_reason="Kommuneendring" if left else "",
    )


def test_the_service_refuses_an_end_without_a_decision_to_leave(secretariat: Any) -> None:
    membership = MembershipFactory()
    with pytest.raises(ValidationError) as refused:
        update_membership(
            membership, {"left": date(2026, 6, 30)}, expected_version=None, actor=secretariat
        )
    assert "vedtak om uttreden" in refused.value.message_dict["leave_decision"][0]
    membership.refresh_from_db()
    assert membership.left is None


def test_the_service_ends_it_on_a_decision_and_keeps_an_old_end_as_it_is(
    secretariat: Any,
) -> None:
    membership = MembershipFactory()
    leave_on_decision(
        membership, left=date(2026, 6, 30), decided=date(2026, 3, 1), actor=secretariat
    )
    # a membership ended by a merger (no decision of its own) can still be edited otherwise
    merged = _ceased_member("0722", left=date(2017, 12, 31))
    update_membership(
        merged, {"next_review": date(2027, 1, 1)}, expected_version=None, actor=secretariat
    )
    merged.refresh_from_db()
    assert merged.next_review == date(2027, 1, 1)


def test_the_api_refuses_an_end_without_a_decision_on_its_field(
    client: Client, secretariat: Any
) -> None:
    membership = MembershipFactory()
    decisions = Decision.objects.count()
    response = client.patch(
        f"/api/v1/memberships/{membership.pk}",
        {"version": membership.version, "left": "2026-06-30"},
        content_type="application/json",
        headers=bearer(secretariat),
    )
    problem = problem_of(response, 422)
    assert {"loc": ["leave_decision"], "msg": problem["errors"][0]["msg"]} in problem["errors"]
    assert "vedtak om uttreden" in problem["errors"][0]["msg"]
    membership.refresh_from_db()
    assert membership.left is None
    assert Decision.objects.count() == decisions

    ended = client.patch(
        f"/api/v1/memberships/{membership.pk}",
        {
            "version": membership.version,
            "left": "2026-06-30",
            "leave_decision": {"body": "council", "meeting_date": "2026-03-01"},
        },
        content_type="application/json",
        headers=bearer(secretariat),
    )
    assert ended.status_code == 200, ended.content
    stored = Membership.objects.get(pk=membership.pk)
    assert stored.left == date(2026, 6, 30)
    assert stored.leave_decision is not None


def test_the_apis_membership_refusals_speak_the_readers_language(
    client: Client, secretariat: Any
) -> None:
    membership = MembershipFactory()
    url = f"/api/v1/arenas/{membership.arena.pk}/memberships"
    body = {"municipality": "3909", "joined": "2026-01-01"}
    headers = bearer(secretariat)
    bokmal = problem_of(
        client.post(url, body, content_type="application/json", headers=headers), 422
    )
    assert bokmal["errors"] == [
        {"loc": ["decision"], "msg": "Et medlemskap må bygge på et vedtak."}
    ]
    english = problem_of(
        client.post(url + "?lang=en", body, content_type="application/json", headers=headers), 422
    )
    assert english["errors"] == [{"loc": ["decision"], "msg": "A membership rests on a decision."}]


def test_a_ceased_municipalitys_ended_membership_is_not_opened_again(
    client: Client, secretariat: Any
) -> None:
    """A clerk's trial: PATCH {"left": null} made Lardal (ceased 2017) a member again with
    no end, and the history's restore did the same; an end after 2017 was refused."""
    membership = _ceased_member("0728", left=date(2017, 12, 31))
    response = client.patch(
        f"/api/v1/memberships/{membership.pk}",
        {"version": membership.version, "left": None},
        content_type="application/json",
        headers=bearer(secretariat),
    )
    problem = problem_of(response, 422)
    assert problem["errors"][0]["loc"] == ["left"]
    assert "kan ikke åpnes igjen" in problem["errors"][0]["msg"]
    membership.refresh_from_db()
    assert membership.left == date(2017, 12, 31)
    # a current municipality's end made by mistake may be taken away
    larvik = MembershipFactory(left=date(2025, 6, 30))
    update_membership(larvik, {"left": None}, expected_version=None, actor=secretariat)
    larvik.refresh_from_db()
    assert larvik.left is None


def test_an_end_on_the_day_the_municipality_ceased_needs_no_decision(secretariat: Any) -> None:
    """The merger ends it (as follow_successors does): an end on that day, set again after a
    mistake or by restoring that version, rests on the merger, not on a decision to leave."""
    membership = _ceased_member("0728")
    update_membership(
        membership, {"left": date(2017, 12, 31)}, expected_version=None, actor=secretariat
    )
    with pytest.raises(ValidationError) as refused:
        update_membership(
            membership, {"left": date(2016, 12, 31)}, expected_version=None, actor=secretariat
        )
    assert "leave_decision" in refused.value.message_dict


def test_a_decision_to_leave_made_after_the_end_is_refused(secretariat: Any) -> None:
    """A clerk's trial: a membership ended 31.03.2026 on a decision of 01.11.2026 was saved,
    where a membership that starts before its decision is refused."""
    membership = MembershipFactory()
    late = DecisionFactory(municipality=membership.municipality, meeting_date=date(2026, 11, 1))
    with pytest.raises(ValidationError) as refused:
        update_membership(
            membership,
            {"left": date(2026, 3, 31), "leave_decision": late},
            expected_version=None,
            actor=secretariat,
        )
    assert refused.value.message_dict["leave_decision"] == [
        "Vedtaket om uttreden (01.11.2026) er datert etter at medlemskapet sluttet."
    ]
    membership.refresh_from_db()
    assert membership.left is None


def test_an_organisation_number_in_groups_is_taken_on_the_page_and_by_the_api(
    client: Client, secretariat: Any
) -> None:
    """A clerk's trial: «974 760 673», as Brønnøysund prints it, was refused on the page
    («har 11 tegn») and by the API («Har ikke riktig form.»); both store the 9 digits."""
    arena = ArenaFactory()
    response = client.patch(
        f"/api/v1/arenas/{arena.pk}",
        {"version": arena.version, "organisation_number": "974 760 673"},
        content_type="application/json",
        headers=bearer(secretariat),
    )
    assert response.status_code == 200, response.content
    arena.refresh_from_db()
    assert arena.organisation_number == "974760673"
    form = ArenaForm(instance=arena)
    data = {name: form[name].value() or "" for name in form.fields}
    data["organisation_number"] = "974 760 673"
    data["version"] = arena.version
    grouped = ArenaForm(data, instance=arena)
    grouped.is_valid()
    assert "organisation_number" not in grouped.errors
    assert grouped.cleaned_data["organisation_number"] == "974760673"
    wrong = ArenaForm({**data, "organisation_number": "123 456 789"}, instance=arena)
    assert not wrong.is_valid()
    assert wrong.errors["organisation_number"] == [
        "Organisasjonsnummeret har feil kontrollsiffer; sjekk det."
    ]
    # what is wrong is said: a digit short, or a letter (a re-check found one text for all)
    short = ArenaForm({**data, "organisation_number": "97476067"}, instance=arena)
    assert short.errors["organisation_number"] == [
        "Organisasjonsnummeret har 8 sifre; det skal ha ni."
    ]
    dashed = ArenaForm({**data, "organisation_number": "974-760-673"}, instance=arena)
    assert dashed.errors["organisation_number"] == [
        "Et organisasjonsnummer har bare sifre (ni, gjerne i grupper på tre)."
    ]
