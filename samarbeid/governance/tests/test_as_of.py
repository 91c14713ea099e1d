"""Read as of a date (issue 19, point 5): a process plan's overdue steps, a case's treatment
board and the case list's counts are judged against the day the user picks ("Per dato",
`?per=`), on the page and in the API; a value that is not a date is a field error on the page
and 422 problem+json in the API.

The plan is the demo's Innherred plan of 2007 (portfolio/demo.py, from seed 004, slide 8:
"ISK – Hva skjer videre?"). Worked by hand as of 01.10.2007:

    1 Vedta mandat               03.05.2007             done 03.05.2007  → done
    2 Behandling i kst.          09.05.2007             done 09.05.2007  → done
    3 Arbeid med forprosjektet   10.05.2007–30.06.2007  done 30.06.2007  → done
    4 Orientering i kst.         13.06.2007             done 13.06.2007  → done
    5 Fortsatt arbeid            01.08.2007–14.09.2007  not done, due 14.09 < 01.10 → overdue
    6 Behandling / vedtak i kst. 26.09.2007             not done, due 26.09 < 01.10 → overdue
    7 Sende ny søknad            01.11.2007–30.11.2007  due 30.11 ≥ 01.10 → not yet

so 2 steps were overdue then (today all three open ones are)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import problem_of
from samarbeid.arenas.tests.factories import ArenaFactory, CaseFactory, DecisionFactory
from samarbeid.governance.as_of import STEP_OVERDUE, step_state
from samarbeid.governance.case_list import with_treatment_counts
from samarbeid.governance.models import Case, Decision, ProcessPlan, ProcessStep
from samarbeid.governance.queries import overdue_steps
from samarbeid.governance.services.treatments import treatment_board
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db

STEPS = [  # order, title, planned, planned end, done (as the demo has them)
    (1, "Vedta mandat for forprosjekt «ISK 2»", date(2007, 5, 3), None, date(2007, 5, 3)),
    (2, "Behandling i kommunestyret", date(2007, 5, 9), None, date(2007, 5, 9)),
    (3, "Arbeid med forprosjektet", date(2007, 5, 10), date(2007, 6, 30), date(2007, 6, 30)),
    (4, "Orientering / diskusjon i kommunestyret", date(2007, 6, 13), None, date(2007, 6, 13)),
    (5, "Fortsatt arbeid med forprosjektet", date(2007, 8, 1), date(2007, 9, 14), None),
    (6, "Behandling / vedtak i kommunestyret", date(2007, 9, 26), None, None),
    (7, "Sende ny søknad", date(2007, 11, 1), date(2007, 11, 30), None),
]


def _on(number: str, day: date) -> Municipality:
    return next(m for m in Municipality.objects.filter(number=number) if m.is_valid_on(day))


@pytest.fixture
def innherred_plan() -> ProcessPlan:
    plan = ProcessPlan.objects.create(
        title="Innherred samkommune – hva skjer videre? (2007)",
        arena=ArenaFactory(short_name="ISK"),
    )
    for order, title, planned, end, done in STEPS:
        ProcessStep.objects.create(
            plan=plan,
            order=order,
            title=title,
            planned_date=planned,
            planned_end=end,
            done_date=done,
        )
    return plan


def _done_column(page: str) -> list[str]:
    """Each step's "Utført" cell: a date, "forsinket" or "ikke ennå"."""
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    cells = []
    for row in body.split("</tr>")[:-1]:
        last = row.rsplit("<td>", 1)[1]
        if "forsinket" in last:
            cells.append("forsinket")
        elif "ikke ennå" in last:
            cells.append("ikke ennå")
        else:
            cells.append(last[:10])
    return cells


def test_the_innherred_plan_read_as_of_1_october_2007(
    client: Client, innherred_plan: ProcessPlan
) -> None:
    page = client.get(innherred_plan.get_absolute_url(), {"per": "2007-10-01"}).content.decode()
    assert "Vurdert per 01.10.2007" in page
    assert "2 steg er forsinket." in page
    assert _done_column(page) == [
        "03.05.2007",
        "09.05.2007",
        "30.06.2007",
        "13.06.2007",
        "forsinket",
        "forsinket",
        "ikke ennå",
    ]
    assert 'value="2007-10-01"' in page  # the field keeps the day asked for
    today = client.get(innherred_plan.get_absolute_url()).content.decode()
    assert "3 steg er forsinket." in today
    assert f"Vurdert per {timezone.localdate():%d.%m.%Y}" in today


def test_a_step_done_after_the_day_was_not_done_then(
    client: Client, innherred_plan: ProcessPlan
) -> None:
    """As of 20.06.2007 step 3 (done 30.06) was still under way and step 4 (13.06) done;
    as of 01.07.2007 nothing was late. A step done late was overdue before it was done."""
    page = client.get(innherred_plan.get_absolute_url(), {"per": "20.06.2007"}).content.decode()
    assert _done_column(page)[:5] == [
        "03.05.2007",
        "09.05.2007",
        "ikke ennå",
        "13.06.2007",
        "ikke ennå",
    ]
    assert "forsinket" not in page
    late = ProcessStep.objects.get(plan=innherred_plan, order=5)
    late.done_date = date(2007, 9, 20)
    assert step_state(late, date(2007, 9, 19)) == STEP_OVERDUE
    assert step_state(late, date(2007, 9, 20)) == "done"


def test_a_day_that_is_not_a_date_is_a_field_error_on_the_page(
    client: Client, innherred_plan: ProcessPlan
) -> None:
    response = client.get(innherred_plan.get_absolute_url(), {"per": "31.02.2007"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Skriv en gyldig dato, f.eks. 01.10.2007." in page
    assert 'id="id_per_error"' in page
    assert f"Vurdert per {timezone.localdate():%d.%m.%Y}" in page  # judged against today


def test_the_api_reads_the_plan_as_of_the_day(client: Client, innherred_plan: ProcessPlan) -> None:
    url = f"/api/v1/process-plans/{innherred_plan.pk}"
    body = client.get(url, {"per": "2007-10-01"}).json()
    assert body["as_of"] == "2007-10-01"
    assert [s["overdue"] for s in body["steps"]] == [False] * 4 + [True, True, False]
    today = client.get(url).json()
    assert today["as_of"] == timezone.localdate().isoformat()
    assert [s["overdue"] for s in today["steps"]] == [False] * 4 + [True] * 3
    for bad in ("2007-13-01", "i går", "2007-02-30"):
        problem = problem_of(client.get(url, {"per": bad}), 422)
        assert problem["errors"][0]["loc"] == ["per"]
        assert problem["errors"][0]["msg"] == "Skriv en gyldig dato, f.eks. 01.10.2007."


def test_the_case_board_as_of_a_day_before_the_municipality_ceased(
    client: Client, case_2017: Case
) -> None:
    """On 15.12.2017 Lardal still existed: its treatment was overdue, not lapsed, and named
    no successor; today it has lapsed to Larvik."""
    page = client.get(case_2017.get_absolute_url(), {"per": "2017-12-15"}).content.decode()
    assert "Vurdert per 15.12.2017" in page
    assert "opphørte" not in page
    assert page.count('data-color="danger">forsinket</span>') == 2
    body = client.get(f"/api/v1/cases/{case_2017.pk}", {"per": "2017-12-15"}).json()
    assert body["as_of"] == "2017-12-15"
    assert (body["pending"], body["overdue"], body["lapsed"]) == (0, 2, 0)
    assert {t["state"] for t in body["treatments"]} == {"overdue"}
    assert all(t["successors"] == [] and t["lapsed_on"] is None for t in body["treatments"])
    before = client.get(f"/api/v1/cases/{case_2017.pk}", {"per": "2017-11-30"}).json()
    assert (before["pending"], before["overdue"]) == (2, 0)  # planned that very day
    later = client.get(f"/api/v1/cases/{case_2017.pk}", {"per": "2018-01-02"}).json()
    assert (later["overdue"], later["lapsed"]) == (1, 1)
    lardal = next(t for t in later["treatments"] if t["municipality"] == "0728")
    assert lardal["successors"] == ["0712"]  # Larvik's number on that day
    problem = problem_of(client.get(f"/api/v1/cases/{case_2017.pk}", {"per": "x"}), 422)
    assert problem["errors"][0]["loc"] == ["per"]
    bad = client.get(case_2017.get_absolute_url(), {"per": "x"})
    assert bad.status_code == 200
    assert "Skriv en gyldig dato" in bad.content.decode()


def test_the_case_list_counts_as_of_the_day(client: Client, case_2017: Case) -> None:
    listing = client.get("/saker/", {"per": "2017-12-15"}).content.decode()
    assert "Vurdert per 15.12.2017" in listing
    row = listing[listing.index("Felles plan 2018") :]
    assert "<td>2</td></tr>" in row[: row.index("</tr>") + 5]  # both overdue then
    api = client.get("/api/v1/cases", {"per": "2017-12-15"}).json()["items"]
    assert [c["overdue"] for c in api if c["title"] == "Felles plan 2018"] == [2]
    problem = problem_of(client.get("/api/v1/cases", {"per": "2017-12-32"}), 422)
    assert problem["errors"][0]["loc"] == ["per"]
    assert "Skriv en gyldig dato" in client.get("/saker/", {"per": "nei"}).content.decode()


def test_a_decision_met_after_the_day_was_not_decided_then(case_2017: Case) -> None:
    oslo = case_2017.decisions.get(municipality__number="0301")
    oslo.outcome, oslo.meeting_date = Decision.Outcome.ADOPTED, date(2017, 12, 12)
    oslo.save()
    before = treatment_board(case_2017, date(2017, 12, 1))
    assert (before.decided, before.overdue, before.summary) == (0, 2, "0 av 2 har sluttet seg til")
    after = treatment_board(case_2017, date(2017, 12, 13))
    assert (after.decided, after.overdue, after.summary) == (1, 1, "1 av 2 har sluttet seg til")


def test_reading_as_of_a_day_costs_no_more_queries(
    client: Client, innherred_plan: ProcessPlan, case_2017: Case
) -> None:
    for url in (innherred_plan.get_absolute_url(), case_2017.get_absolute_url(), "/saker/"):
        counts = []
        for query in ({}, {"per": "2017-12-15"}):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url, query).status_code == 200
            counts.append(len(ctx.captured_queries))
        assert counts[1] <= counts[0], url  # as many, or fewer with nothing lapsed yet


# The case list's counts (SQL) are the board's (Python) on every day ----------------------------


@pytest.fixture
def mixed_case() -> Case:
    """Treatments of every kind: open, postponed, decided (met 2017-06-01), rejected,
    stored as lapsed and as transferred (from 2018-01-01), in a municipality that ceased
    (Lardal) and ones that did not (Oslo, Bergen), and the arena's own body."""
    case = cast(Case, CaseFactory(title="Blandet", arena=ArenaFactory(), opened=date(2016, 1, 1)))
    lardal = _on("0728", date(2017, 1, 1))
    oslo = _on("0301", date(2017, 1, 1))
    bergen = _on("4601", date(2020, 1, 1))
    larvik = _on("3909", date(2024, 6, 1))
    rows: list[dict[str, Any]] = [
        {"municipality": lardal, "planned_date": date(2017, 3, 1)},
        {"municipality": oslo, "planned_date": date(2017, 3, 1)},
        {"municipality": bergen, "planned_date": None},
        {
            "municipality": oslo,
            "outcome": "adopted",
            "meeting_date": date(2017, 6, 1),
            "planned_date": date(2017, 5, 1),
        },
        {
            "municipality": bergen,
            "outcome": "rejected",
            "meeting_date": date(2016, 6, 1),
            "planned_date": date(2016, 7, 1),
        },
        {
            "municipality": oslo,
            "outcome": "postponed",
            "meeting_date": date(2017, 2, 1),
            "planned_date": date(2017, 2, 1),
        },
        {
            "municipality": lardal,
            "outcome": "lapsed",
            "lapsed_on": date(2018, 1, 1),
            "planned_date": date(2017, 9, 1),
        },
        {
            "municipality": lardal,
            "outcome": "transferred",
            "lapsed_on": date(2018, 1, 1),
            "successor": larvik,
            "planned_date": date(2017, 12, 1),
        },
    ]
    for row in rows:
        DecisionFactory(
            case=case,
            **{"outcome": "", "meeting_date": None, "case_number": "", **row},
        )
    DecisionFactory(
        case=case,
        body=Decision.Body.ARENA_BOARD,
        municipality=None,
        arena=case.arena,
        outcome="",
        meeting_date=None,
        planned_date=date(2017, 4, 1),
    )
    return case


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(day=st.dates(min_value=date(2015, 6, 1), max_value=date(2019, 6, 1)))
def test_the_list_counts_what_the_board_shows(mixed_case: Case, day: date) -> None:
    board = treatment_board(mixed_case, day)
    counted = with_treatment_counts(Case.objects.filter(pk=mixed_case.pk), day).get()
    assert (counted.total, counted.decided, counted.overdue) == (  # type: ignore[attr-defined]
        board.total,
        board.decided,
        board.overdue,
    )


def test_the_board_on_the_eve_of_the_change_and_after(mixed_case: Case) -> None:
    eve = treatment_board(mixed_case, date(2017, 12, 31))
    after = treatment_board(mixed_case, date(2017, 12, 31) + timedelta(days=1))
    assert (eve.decided, eve.lapsed) == (2, 0)
    assert (after.decided, after.lapsed) == (2, 3)  # Lardal's three, stored or not


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(day=st.dates(min_value=date(2007, 4, 1), max_value=date(2008, 1, 31)))
def test_the_first_pages_overdue_steps_are_the_plans(
    innherred_plan: ProcessPlan, day: date
) -> None:
    """The dashboard's query (SQL) names the steps the plan page marks overdue, on any day."""
    steps = list(innherred_plan.steps.all())
    expected = {s.pk for s in steps if step_state(s, day) == STEP_OVERDUE}
    assert innherred_plan.arena_id is not None
    assert {s.pk for s in overdue_steps([innherred_plan.arena_id], day)} == expected


def test_an_implausible_day_is_refused_with_the_window(
    client: Client, innherred_plan: ProcessPlan
) -> None:
    """A clerk's trial read the plan "Vurdert per 01.01.1800" without a word: a day outside
    a plan's window is a typing error, on the page and in the API."""
    page = client.get(innherred_plan.get_absolute_url(), {"per": "1800-01-01"}).content.decode()
    assert "Datoen 01.01.1800 er utenfor det som er rimelig" in page
    assert "Vurdert per 01.01.1800" not in page
    url = f"/api/v1/process-plans/{innherred_plan.pk}"
    problem = problem_of(client.get(url, {"per": "2999-12-31"}), 422)
    assert problem["errors"][0]["loc"] == ["per"]
    assert "31.12.2999" in problem["errors"][0]["msg"]


@pytest.mark.django_db
def test_looking_back_shows_no_outcome_from_after_the_day(client: Client, case_2017: Case) -> None:
    """A clerk's trial read a case "0 av 12 … venter" as of a day before it was opened, with
    each waiting row showing the meeting and outcome that came later."""
    decision = case_2017.decisions.filter(municipality__number="0301").get()
    decision.meeting_date = date(2017, 12, 14)
    decision.outcome = Decision.Outcome.ADOPTED
    decision.text = "Oslo slutter seg til planen"
    decision.save()
    before = client.get(case_2017.get_absolute_url(), {"per": "2017-12-01"}).content.decode()
    assert "Oslo slutter seg til planen" not in before
    assert "14.12.2017" not in before
    after = client.get(case_2017.get_absolute_url(), {"per": "2017-12-15"}).content.decode()
    assert "Oslo slutter seg til planen" in after
    not_yet = client.get(case_2017.get_absolute_url(), {"per": "2017-05-01"}).content.decode()
    assert (
        f"Saken var ikke opprettet per 01.05.2017 (den ble opprettet {case_2017.opened:%d.%m.%Y})"
        in not_yet
    )
