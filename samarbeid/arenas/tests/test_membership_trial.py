"""A clerk's trial of the membership pages: the end form said its errors one round at a
time; an end made by mistake could not be undone on the page (the API could, but refused
it when the end rested on a decision to leave); the arena page did not show the decision to
leave."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import bearer, login, problem_of
from samarbeid.arenas.models import Membership
from samarbeid.arenas.services import reopen_membership
from samarbeid.arenas.tests.factories import ArenaFactory, DecisionFactory, MembershipFactory
from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.governance.models import Decision
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db

LATE_DECISION = "Vedtaket om uttreden (15.01.2026) er datert etter at medlemskapet sluttet."
BEFORE_START = "Sluttdato kan ikke være før startdato."


def _field_errors(html: str, field_id: str) -> list[str]:
    """The messages shown under the field `field_id` (partials/field.html)."""
    block = re.search(rf'<div id="{re.escape(field_id)}_error">(.*?)</div>', html, re.S)
    if block is None:
        return []
    return [
        re.sub(r"<span class=\"ds-sr-only\">.*?</span>", "", message).strip()
        for message in re.findall(
            r"<p class=\"ds-validation-message\"[^>]*>(.*?)</p>", block[1], re.S
        )
    ]


def _end(client: Client, membership: Membership, **fields: str) -> Any:
    data = {"m-version": str(membership.version), "d-body": "council", "d-outcome": "adopted"}
    data.update({name.replace("__", "-"): value for name, value in fields.items()})
    return client.post(reverse("arenas:membership_end", args=[membership.pk]), data)


def _ended(left: date = date(2025, 6, 30), **fields: Any) -> Membership:
    """Larvik's membership since 01.03.2024, ended on its council's decision of 03.03.2025."""
    membership = MembershipFactory(**fields)
    membership.left = left
    membership.leave_reason = "Utmeldt"
    membership.leave_decision = DecisionFactory(
        municipality=membership.municipality, case_number="PS 14/25", meeting_date=date(2025, 3, 3)
    )
    membership.save()
    return membership


def test_the_end_form_shows_every_error_it_can_know_at_once(
    client: Client, secretariat: Any
) -> None:
    membership = MembershipFactory()  # joined 01.03.2024
    login(client, secretariat)
    # an end before the start, and no meeting date for the decision: both at once
    response = _end(client, membership, m__left="2024-01-01")
    html = response.content.decode()
    assert response.status_code == 200
    assert _field_errors(html, "id_m-left") == [BEFORE_START]
    assert _field_errors(html, "id_d-meeting_date") == ["Feltet er påkrevd."]
    # a decision dated after the end, and a review date no one can mean: both, field by field
    response = _end(
        client,
        membership,
        m__left="2025-12-31",
        m__next_review="1800-01-01",
        d__meeting_date="2026-01-15",
    )
    html = response.content.decode()
    assert _field_errors(html, "id_d-meeting_date") == [LATE_DECISION]
    assert _field_errors(html, "id_m-next_review") != []
    # the end before the start and the decision after the end: each on its field
    response = _end(client, membership, m__left="2024-01-01", d__meeting_date="2026-01-15")
    html = response.content.decode()
    assert _field_errors(html, "id_m-left") == [BEFORE_START]
    assert _field_errors(html, "id_d-meeting_date") == [
        "Vedtaket om uttreden (15.01.2026) er datert etter at medlemskapet sluttet."
    ]
    membership.refresh_from_db()
    assert membership.left is None
    assert not Decision.objects.filter(meeting_date=date(2026, 1, 15)).exists()
    # what is right is saved
    response = _end(client, membership, m__left="2025-12-31", d__meeting_date="2025-06-01")
    assert response.status_code == 302


def test_the_api_lists_every_error_of_an_end_at_once(client: Client, secretariat: Any) -> None:
    membership = MembershipFactory()
    decisions = Decision.objects.count()

    def patch(body: dict[str, Any]) -> list[dict[str, Any]]:
        response = client.patch(
            f"/api/v1/memberships/{membership.pk}",
            {"version": membership.version, **body},
            content_type="application/json",
            headers=bearer(secretariat),
        )
        return list(problem_of(response, 422)["errors"])

    late = {"body": "council", "meeting_date": "2026-01-15"}
    errors = patch({"left": "2025-12-31", "leave_decision": late, "next_review": "1800-01-01"})
    assert {"loc": ["leave_decision"], "msg": LATE_DECISION} in errors
    assert ["next_review"] in [error["loc"] for error in errors]
    # Larvik (3909) was not a municipality in 2019: said with the end before the start
    before_larvik = {"body": "council", "meeting_date": "2019-06-01"}
    errors = patch({"left": "2024-01-01", "leave_decision": before_larvik})
    assert {"loc": ["left"], "msg": BEFORE_START} in errors
    assert any("fantes ikke som kommune 01.06.2019" in error["msg"] for error in errors)
    membership.refresh_from_db()
    assert membership.left is None
    assert Decision.objects.count() == decisions


def test_reopening_clears_the_end_and_the_decision_to_leave_audited(secretariat: Any) -> None:
    membership = _ended()
    version = membership.version
    reopen_membership(membership, expected_version=version, actor=secretariat)
    membership.refresh_from_db()
    assert (membership.left, membership.leave_decision, membership.leave_reason) == (None, None, "")
    assert membership.version == version + 1
    entry = AuditEntry.objects.filter(object_id=str(membership.pk)).latest("pk")
    assert entry.channel == Channel.PAGE
    assert {"left", "leave_reason"} <= set(entry.changes)
    assert {"leave_decision", "leave_decision_id"} & set(entry.changes)


def test_the_api_reopens_an_end_that_rests_on_a_decision(client: Client, secretariat: Any) -> None:
    """PATCH {"left": null} was refused («Oppgi når medlemskapet sluttet.») when the end
    rested on a decision to leave: the decision goes with the end, as on the page."""
    membership = _ended()
    response = client.patch(
        f"/api/v1/memberships/{membership.pk}",
        {"version": membership.version, "left": None},
        content_type="application/json",
        headers=bearer(secretariat),
    )
    assert response.status_code == 200, response.content
    assert (response.json()["left"], response.json()["leave_decision"]) == (None, None)
    membership.refresh_from_db()
    assert (membership.left, membership.leave_decision, membership.leave_reason) == (None, None, "")


def test_the_page_reopens_an_ended_membership_on_confirmation(
    client: Client, secretariat: Any
) -> None:
    membership = _ended()
    login(client, secretariat)
    arena_page = client.get(membership.arena.get_absolute_url()).content.decode()
    url = reverse("arenas:membership_reopen", args=[membership.pk])
    assert url in arena_page
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Gjenåpne medlemskapet" in confirm.content.decode()
    assert "30.06.2025" in confirm.content.decode()
    response = client.post(url, {"version": membership.version}, follow=True)
    assert response.redirect_chain[-1][0] == membership.arena.get_absolute_url()
    assert "Medlemskapet er gjenåpnet." in response.content.decode()
    membership.refresh_from_db()
    assert (membership.left, membership.leave_decision) == (None, None)
    entry = AuditEntry.objects.filter(object_id=str(membership.pk)).latest("pk")
    assert entry.channel == Channel.PAGE
    # a stale confirmation saves nothing over what someone saved since
    membership.refresh_from_db()
    stale = client.post(url, {"version": membership.version - 1})
    assert stale.status_code == 200


def test_a_ceased_municipality_is_not_reopened_on_the_page_either(
    client: Client, secretariat: Any
) -> None:
    lardal = Municipality.objects.get(code="0728")
    membership = MembershipFactory(
        arena=ArenaFactory(established=date(2000, 1, 1)),
        municipality=lardal,
        decision=DecisionFactory(municipality=lardal, meeting_date=date(2005, 11, 1)),
        joined=date(2006, 1, 1),
        left=date(2017, 12, 31),
        leave_reason="Kommuneendring",
    )
    api = problem_of(
        client.patch(
            f"/api/v1/memberships/{membership.pk}",
            {"version": membership.version, "left": None},
            content_type="application/json",
            headers=bearer(secretariat),
        ),
        422,
    )["errors"][0]["msg"]
    login(client, secretariat)
    url = reverse("arenas:membership_reopen", args=[membership.pk])
    assert url not in client.get(membership.arena.get_absolute_url()).content.decode()
    # opened by its address, the page says the refusal at once and offers no button
    # (a clerk's re-check pressed it to learn so)
    shown = client.get(url).content.decode()
    assert api in shown
    assert "Gjenåpne medlemskapet</button>" not in shown
    response = client.post(url, {"version": membership.version})
    assert response.status_code == 200
    page = response.content.decode()
    assert api in page
    # said of the form, which has no end date field to file it under
    assert response.context["form"].non_field_errors() == [api]
    membership.refresh_from_db()
    assert membership.left == date(2017, 12, 31)


def test_an_open_membership_has_nothing_to_reopen(client: Client, secretariat: Any) -> None:
    membership = MembershipFactory()
    login(client, secretariat)
    shown = client.get(reverse("arenas:membership_reopen", args=[membership.pk])).content
    assert "Medlemskapet er ikke avsluttet; det er ingenting å gjenåpne." in shown.decode()
    assert "Gjenåpne medlemskapet</button>" not in shown.decode()


def test_who_may_not_edit_the_arena_cannot_reopen(
    client: Client, coordinator: Any, arena_secretariat: Any
) -> None:
    membership = _ended()
    url = reverse("arenas:membership_reopen", args=[membership.pk])
    assert client.post(url, {"version": membership.version}).status_code == 302  # to log-in
    login(client, coordinator)
    assert client.get(url).status_code == 403
    assert client.post(url, {"version": membership.version}).status_code == 403
    # the secretariat of another arena
    login(client, arena_secretariat)
    assert client.post(url, {"version": membership.version}).status_code == 403
    membership.refresh_from_db()
    assert membership.left == date(2025, 6, 30)


def test_the_arena_page_shows_the_decision_to_leave(client: Client) -> None:
    membership = _ended()
    html = client.get(membership.arena.get_absolute_url()).content.decode()
    past = html[html.index('id="past"') :]
    assert "stack-on-phone" in past
    assert 'data-label="Vedtak om uttreden"' in past
    assert "Kommunestyre i Larvik, sak PS 14/25, 03.03.2025" in past
    english = client.get(membership.arena.get_absolute_url() + "?lang=en").content.decode()
    assert 'data-label="Decision on withdrawal"' in english


def test_adding_a_member_says_the_decisions_and_the_memberships_errors_at_once(
    client: Client, secretariat: Any
) -> None:
    """Larvik (3909, the number since 01.01.2024) joined 01.06.2019 on its council's decision
    of 15.12.2019: the decision's municipality did not exist that day, nor the member on the
    day it joined. Both are said in one round (the decision was recorded first, so the
    membership's error came only once it was mended), and nothing is written."""
    arena = ArenaFactory()
    larvik = Municipality.objects.get(number="3909")
    login(client, secretariat)
    before = Decision.objects.count()
    response = client.post(
        reverse("arenas:membership_create", args=[arena.pk]),
        {
            "m-municipality": larvik.pk,
            "m-joined": "2019-06-01",
            "d-body": "council",
            "d-outcome": "adopted",
            "d-case_number": "PS 1/19",
            "d-meeting_date": "2019-12-15",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "3909 Larvik fantes ikke som kommune 15.12.2019." in html
    assert "3909 Larvik fantes ikke som kommune 01.06.2019." in html
    assert Decision.objects.count() == before
    assert not Membership.objects.filter(arena=arena).exists()
    problem = problem_of(
        client.post(
            f"/api/v1/arenas/{arena.pk}/memberships",
            {
                "municipality": "3909",
                "joined": "2024-06-01",
                "decision": {
                    "body": "council",
                    "outcome": "adopted",
                    "case_number": "PS 1/23",
                    "meeting_date": "2023-12-15",
                },
            },
            content_type="application/json",
            headers=bearer(secretariat),
        ),
        422,
    )
    messages = [e["msg"] for e in problem["errors"]]
    assert messages == ["3909 Larvik fantes ikke som kommune 15.12.2023."], problem
    assert Decision.objects.count() == before


def test_a_missing_end_date_reads_as_in_the_api(client: Client, secretariat: Any) -> None:
    """A clerk's re-check: the page said «Feltet er påkrevd.», the API «Oppgi når
    medlemskapet sluttet.» for the same missing end date."""
    membership = MembershipFactory()
    problem = problem_of(
        client.patch(
            f"/api/v1/memberships/{membership.pk}",
            {
                "version": membership.version,
                "leave_decision": {
                    "body": "council",
                    "outcome": "adopted",
                    "meeting_date": "2025-03-03",
                },
            },
            content_type="application/json",
            headers=bearer(secretariat),
        ),
        422,
    )
    words = [e["msg"] for e in problem["errors"] if e["loc"] == ["left"]]
    assert words == ["Oppgi når medlemskapet sluttet."], problem
    login(client, secretariat)
    html = _end(client, membership, d__meeting_date="2025-03-03").content.decode()
    assert _field_errors(html, "id_m-left") == words


def test_the_errors_of_both_forms_are_in_one_summary(client: Client, secretariat: Any) -> None:
    """A clerk's re-check: the membership's and the decision's errors came in two boxes,
    each «Skjemaet har feil som må rettes», the focus on the first only."""
    membership = MembershipFactory()
    login(client, secretariat)
    html = _end(client, membership).content.decode()
    assert html.count("Skjemaet har feil som må rettes") == 1
    summary = html.split("Skjemaet har feil som må rettes", 1)[1].split("</ul>", 1)[0]
    assert 'href="#id_m-left"' in summary
    assert 'href="#id_d-meeting_date"' in summary
