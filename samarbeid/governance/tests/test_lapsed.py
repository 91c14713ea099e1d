"""Treatments that can be finished (issue 17, point 8): a treatment of a municipality that
ceased lapses with the change and names the successor, unless the secretariat passes it on;
the successor's coordinator may record the predecessor's decision; "overdue" counts only
treatments that can still be done."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any, cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import bearer, login, problem_of, race_secretariat
from samarbeid.arenas.tests.factories import ArenaFactory, CaseFactory, DecisionFactory
from samarbeid.governance.as_of import treatment_overdue
from samarbeid.governance.models import Case, Decision
from samarbeid.governance.services.decisions import update_decision
from samarbeid.governance.services.treatments import (
    lapse_ceased_treatments,
    transfer_to_successor,
    treatment_board,
)
from samarbeid.registry.models import Municipality
from samarbeid.registry.permissions import can_record_for_predecessor

pytestmark = pytest.mark.django_db


def _on(number: str, day: date) -> Municipality:
    return next(m for m in Municipality.objects.filter(number=number) if m.is_valid_on(day))


def _lardal_row(case: Case) -> Decision:
    return case.decisions.get(municipality__number="0728")


def test_board_shows_a_ceased_municipalitys_treatment_as_lapsed(case_2017: Case) -> None:
    board = treatment_board(case_2017, today=date(2026, 1, 1))
    states = {r.decision.municipality.number: r.state for r in board.rows}  # type: ignore[union-attr]
    assert states == {"0728": "lapsed", "0301": "overdue"}
    assert (board.pending, board.overdue, board.lapsed) == (0, 1, 1)
    lardal = next(r for r in board.rows if r.state == "lapsed")
    assert [m.number for m in lardal.successors] == ["3909"]
    assert lardal.lapse_note == "Lardal (0728) opphørte 01.01.2018; etterfølger: Larvik (3909)."
    assert not treatment_overdue(_lardal_row(case_2017), timezone.localdate())


def test_case_page_list_and_api_count_only_what_can_still_be_done(
    client: Client, case_2017: Case
) -> None:
    page = client.get(case_2017.get_absolute_url()).content.decode()
    assert "bortfalt" in page
    assert "Lardal (0728) opphørte 01.01.2018; etterfølger: Larvik (3909)." in page
    listing = client.get(reverse("governance:case_list")).content.decode()
    row = listing[listing.index("Felles plan 2018") :]
    assert "<td>1</td></tr>" in row[: row.index("</tr>") + 5]  # one overdue: Oslo's
    body = client.get(f"/api/v1/cases/{case_2017.pk}").json()
    assert (body["pending"], body["overdue"], body["lapsed"]) == (0, 1, 1)
    lardal = next(t for t in body["treatments"] if t["municipality"] == "0728")
    assert lardal["state"] == "lapsed"
    assert lardal["successors"] == ["3909"]
    assert lardal["lapsed_on"] == "2018-01-01"


def test_follow_successors_closes_the_treatment_as_lapsed(
    case_2017: Case, secretariat: Any
) -> None:
    out = StringIO()
    call_command("follow_successors", "--user", secretariat.username, stdout=out)
    lardal = _lardal_row(case_2017)
    assert lardal.outcome == "lapsed"
    assert lardal.lapsed_on == date(2018, 1, 1)
    assert lardal.successor is not None
    assert lardal.successor.number == "3909"
    oslo = case_2017.decisions.get(municipality__number="0301")
    assert oslo.outcome == ""  # Oslo still exists: its treatment stays open
    assert lapse_ceased_treatments(case_2017.arena, actor=secretariat) == 0  # once


def test_lapse_is_the_secretariats(case_2017: Case, coordinator: Any) -> None:
    with pytest.raises(PermissionDenied):
        lapse_ceased_treatments(case_2017.arena, actor=coordinator)
    assert _lardal_row(case_2017).outcome == ""


def test_secretariat_passes_the_treatment_on_to_the_successor_on_the_page(
    client: Client, case_2017: Case, secretariat: Any
) -> None:
    login(client, secretariat)
    lardal = _lardal_row(case_2017)
    page = client.get(case_2017.get_absolute_url()).content.decode()
    assert "Overfør til etterfølger" in page
    url = reverse("governance:treatment_transfer", args=[lardal.pk])
    response = client.post(url, {"version": lardal.version}, follow=True)
    assert "Behandlingen er overført til etterfølgeren: 3909 Larvik." in response.content.decode()
    lardal.refresh_from_db()
    assert lardal.outcome == "transferred"
    assert lardal.successor.number == "3909"
    larvik = case_2017.decisions.get(municipality__number="3909")
    assert larvik.outcome == ""
    assert larvik.body == "council"
    board = treatment_board(case_2017, timezone.localdate())
    assert (board.pending, board.lapsed) == (1, 1)
    # a second pass is refused with a message, nothing more is created
    again = client.post(url, {"version": lardal.version}, follow=True).content.decode()
    assert "Behandlingen er allerede overført." in again
    assert case_2017.decisions.count() == 3


def test_transfer_refusals(
    client: Client, case_2017: Case, coordinator: Any, secretariat: Any
) -> None:
    lardal = _lardal_row(case_2017)
    login(client, coordinator)
    url = reverse("governance:treatment_transfer", args=[lardal.pk])
    assert client.post(url, {"version": lardal.version}).status_code == 403
    oslo = case_2017.decisions.get(municipality__number="0301")
    with pytest.raises(ValidationError) as exc:
        transfer_to_successor(oslo, expected_version=oslo.version, actor=secretariat)
    assert "finnes fortsatt" in str(exc.value)
    with pytest.raises(ValidationError):  # the successor did not exist on the planned date
        transfer_to_successor(
            lardal, planned_date=date(2017, 12, 1), expected_version=None, actor=secretariat
        )
    assert _lardal_row(case_2017).outcome == ""  # nothing half saved
    assert case_2017.decisions.count() == 2


def test_transfer_in_the_api(
    client: Client, case_2017: Case, secretariat: Any, coordinator: Any
) -> None:
    lardal = _lardal_row(case_2017)
    url = f"/api/v1/decisions/{lardal.pk}/transfer"
    problem_of(
        client.post(
            url, {"version": lardal.version}, "application/json", headers=bearer(coordinator)
        ),
        403,
    )
    problem_of(
        client.post(url, {"version": 99}, "application/json", headers=bearer(secretariat)), 409
    )
    response = client.post(
        url,
        {"version": lardal.version, "planned_date": "2026-03-05"},
        "application/json",
        headers=bearer(secretariat),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["transferred"]["outcome"] == "transferred"
    assert [d["municipality"] for d in body["created"]] == ["3909"]
    assert body["created"][0]["planned_date"] == "2026-03-05"
    oslo = case_2017.decisions.get(municipality__number="0301")
    problem_of(
        client.post(
            f"/api/v1/decisions/{oslo.pk}/transfer",
            {"version": oslo.version},
            "application/json",
            headers=bearer(secretariat),
        ),
        422,
    )


def test_successors_coordinator_records_the_predecessors_decision(
    client: Client, case_2017: Case, coordinator: Any, other_coordinator: Any
) -> None:
    lardal = _lardal_row(case_2017)
    assert can_record_for_predecessor(coordinator, lardal.municipality)
    assert not can_record_for_predecessor(other_coordinator, lardal.municipality)
    oslo = case_2017.decisions.get(municipality__number="0301")
    assert not can_record_for_predecessor(coordinator, oslo.municipality)
    login(client, coordinator)
    page = client.get(case_2017.get_absolute_url()).content.decode()
    assert reverse("governance:treatment_edit", args=[lardal.pk]) in page
    assert reverse("governance:treatment_edit", args=[oslo.pk]) not in page
    url = reverse("governance:treatment_edit", args=[lardal.pk])
    # after Lardal ceased: refused with a field error
    late = client.post(
        url,
        {"version": lardal.version, "meeting_date": "2018-02-01", "outcome": "adopted"},
    )
    assert late.status_code == 200
    assert "fantes ikke som kommune" in late.content.decode()
    response = client.post(
        url,
        {
            "version": lardal.version,
            "case_number": "PS 77/17",
            "planned_date": "2017-11-30",
            "meeting_date": "2017-12-14",
            "outcome": "adopted",
        },
    )
    assert response.status_code == 302
    lardal.refresh_from_db()
    assert lardal.outcome == "adopted"
    assert lardal.case_number == "PS 77/17"
    login(client, other_coordinator)
    assert client.get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        update_decision(lardal, {"text": "x"}, expected_version=None, actor=other_coordinator)


@pytest.mark.django_db(transaction=True)
def test_two_clerks_passing_the_same_treatment_on_at_once() -> None:
    """On PostgreSQL, for real: two clerks pass Lardal's treatment on at the same moment.
    The first locks the row and waits (up to 3 s) for the second to find the successors too;
    the second is held at the lock instead, and then refused: Larvik gets the case once.
    (SQLite ignores row locks: skipped there.)"""
    import contextlib
    import threading
    from unittest import mock

    from django.db import connection

    from samarbeid.finance.tests.helpers import at_once
    from samarbeid.governance.services import treatments

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (DATABASE_URL=postgres://…)")
    clerk = race_secretariat("samtidig-overforing")
    case = cast(Case, CaseFactory(title="Samtidig", arena=ArenaFactory(), opened=date(2017, 10, 1)))
    lardal = DecisionFactory(
        case=case,
        municipality=_on("0728", date(2017, 10, 1)),
        meeting_date=None,
        planned_date=None,
        outcome="",
    )
    both_found = threading.Barrier(2, timeout=3)
    find = treatments._heirs_of

    def finding(municipality: Municipality, today: date) -> list[Municipality]:
        heirs = find(municipality, today)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_found.wait()
        return heirs

    def transfer() -> str:
        created = transfer_to_successor(
            Decision.objects.get(pk=lardal.pk), expected_version=None, actor=clerk
        )
        return ",".join(d.municipality.number for d in created)  # type: ignore[union-attr]

    with mock.patch.object(treatments, "_heirs_of", finding):
        results = at_once(transfer)
    assert results == ["3909", "Behandlingen er allerede overført."]
    assert case.decisions.filter(municipality__number="3909").count() == 1


def test_a_plans_adoption_row_of_a_ceased_council_has_lapsed(case_2017: Case) -> None:
    from samarbeid.strategy.services.plans import AdoptionRow

    lardal = _lardal_row(case_2017)
    assert AdoptionRow(lardal.municipality, lardal).state == "lapsed"  # type: ignore[arg-type]
    oslo = case_2017.decisions.get(municipality__number="0301")
    assert AdoptionRow(oslo.municipality, oslo).state == "pending"  # type: ignore[arg-type]
