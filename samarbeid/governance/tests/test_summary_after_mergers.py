"""A clerk's trial: a case's summary («0 av 12 har sluttet seg til») counted lapsed and
transferred treatments in the total, so a municipality that merged away counted beside its
successor. The total is who is to treat the case now: Tjøme's and Nøtterøy's treatments
count as Færder's one (as the demo's Vestfold cases have them), whether they lapsed on read,
were closed by follow_successors or passed on to Færder."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any, cast

import pytest
from django.core.management import call_command
from django.test import Client

from samarbeid.arenas.tests.factories import ArenaFactory, CaseFactory, DecisionFactory, on
from samarbeid.governance.models import Case, Decision
from samarbeid.governance.services.treatments import transfer_to_successor, treatment_board

pytestmark = pytest.mark.django_db

SENT = date(2017, 10, 1)
TODAY = date(2026, 1, 1)
# Horten (renumbered 3801, then 3901), Nøtterøy and Tjøme (Færder 0729, 3811, 3911), Oslo
COUNCILS = ("0701", "0722", "0723", "0301")


@pytest.fixture
def vestfold_case() -> Case:
    """A case sent in 2017 to four councils, none of which has treated it."""
    case = cast(
        Case, CaseFactory(title="Felles plan", arena=ArenaFactory(short_name="VK"), opened=SENT)
    )
    for number in COUNCILS:
        _treatment(case, number, SENT)
    return case


def _treatment(case: Case, number: str, day: date, **fields: Any) -> Decision:
    fields = {"meeting_date": None, "outcome": "", "case_number": "", **fields}
    return cast(
        Decision,
        DecisionFactory(
            case=case, municipality=on(number, day), planned_date=date(2017, 11, 30), **fields
        ),
    )


def _row(case: Case, number: str) -> Decision:
    return case.decisions.get(municipality__number=number)


def test_merged_municipalities_count_once_as_their_successor(vestfold_case: Case) -> None:
    assert treatment_board(vestfold_case, date(2017, 12, 1)).summary == (
        "0 av 4 har sluttet seg til"
    )
    # Horten as 3901, Færder as 3911 (once for Nøtterøy and Tjøme), Oslo
    board = treatment_board(vestfold_case, TODAY)
    assert board.lapsed == 3
    assert board.summary == "0 av 3 har sluttet seg til"


def test_closed_by_follow_successors_still_counts_the_successor_once(
    vestfold_case: Case, secretariat: Any
) -> None:
    call_command("follow_successors", "--user", secretariat.username, stdout=StringIO())
    assert _row(vestfold_case, "0723").outcome == Decision.Outcome.LAPSED
    assert treatment_board(vestfold_case, TODAY).summary == "0 av 3 har sluttet seg til"


def test_passed_on_to_faerder_counts_faerders_treatment_once_on_the_page(
    client: Client, vestfold_case: Case, secretariat: Any
) -> None:
    created = transfer_to_successor(
        _row(vestfold_case, "0723"), expected_version=None, actor=secretariat, today=TODAY
    )
    assert [d.municipality.number for d in created] == ["3911"]  # type: ignore[union-attr]
    assert (
        transfer_to_successor(
            _row(vestfold_case, "0722"), expected_version=None, actor=secretariat, today=TODAY
        )
        == []
    )
    assert vestfold_case.decisions.count() == 5
    assert treatment_board(vestfold_case, TODAY).summary == "0 av 3 har sluttet seg til"

    faerder = _row(vestfold_case, "3911")
    faerder.outcome, faerder.meeting_date = Decision.Outcome.ADOPTED, date(2025, 3, 1)
    faerder.save()
    page = client.get(vestfold_case.get_absolute_url(), {"per": "2026-01-01"}).content.decode()
    summary = page[page.index('id="board-summary"') :]
    assert summary[: summary.index("</p>")].endswith("<strong>1 av 3 har sluttet seg til</strong>")
    body = client.get(f"/api/v1/cases/{vestfold_case.pk}", {"per": "2026-01-01"}).json()
    assert body["summary"] == "1 av 3 har sluttet seg til"


def test_a_successor_renumbered_since_is_followed_to_todays(secretariat: Any) -> None:
    """Passed on in 2018 to Færder 0729, whose own treatment then lapsed with the 2020
    renumbering: Færder 3911 is one municipality to treat the case, not two."""
    case = cast(Case, CaseFactory(title="Plan", arena=ArenaFactory(short_name="VK2"), opened=SENT))
    lapse = {"lapsed_on": date(2018, 1, 1), "successor": on("0729", date(2018, 1, 1))}
    _treatment(case, "0722", SENT, outcome=Decision.Outcome.TRANSFERRED, **lapse)
    _treatment(case, "0723", SENT, outcome=Decision.Outcome.LAPSED, **lapse)
    _treatment(case, "0729", date(2018, 1, 1))
    _treatment(case, "0301", SENT)
    board = treatment_board(case, TODAY)
    assert board.lapsed == 3
    assert board.summary == "0 av 2 har sluttet seg til"
