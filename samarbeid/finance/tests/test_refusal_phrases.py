"""The refusals an invoice run's task can meet are phrases (a message id and its parameters),
so a failed task reads in the reader's language: each is told in bokmål and in English, a
run's status inside it too. The pages and the API say them as before (the other finance
tests hold their words)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from samarbeid.core.phrases import Phrase, Text, as_json, from_json
from samarbeid.finance.invoicing import create_run, create_runs
from samarbeid.finance.planning import refusals
from samarbeid.finance.run_checks import action_problems, check_draft, no_arena_to_draft
from samarbeid.finance.run_steps import approval_problems, approve_run, issue_run, refresh_run
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026, run_2026

pytestmark = pytest.mark.django_db


@pytest.fixture
def arena() -> Any:
    return h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name="12K")


def told(text: Text) -> tuple[str, str]:
    """`text` as a bokmål and an English reader read it, after a round trip through the
    task's storage (as_json / from_json)."""
    assert isinstance(text, Phrase), text
    stored = from_json(as_json(text))
    with translation.override("nb"):
        bokmal = str(stored)
    with translation.override("en"):
        english = str(stored)
    return bokmal, english


def refused(act: Any) -> list[Text]:
    with pytest.raises(ValidationError) as caught:
        act()
    return refusals(caught.value)


def test_a_draft_refused_for_its_year_is_told_in_either_language(
    arena: Any, secretariat: Any
) -> None:
    [no_budget] = refused(lambda: create_run(arena, 2030, actor=secretariat))
    assert told(no_budget) == ("12K har ikke noe budsjett for 2030.", "12K has no budget for 2030.")
    run_2026(arena, secretariat)
    [exists] = refused(lambda: create_run(arena, 2026, actor=secretariat))
    assert told(exists) == (
        "12K har allerede en fakturakjøring for 2026.",
        "12K already has an invoice run for 2026.",
    )
    # before queueing, on the year: the same phrases
    [on_year] = refused(lambda: check_draft(arena, 2026))
    assert told(on_year) == told(exists)
    assert told(no_arena_to_draft(2026)) == (
        "Ingen arena har et budsjett for 2026 uten fakturakjøring.",
        "No arena has a budget for 2026 without an invoice run.",
    )


def test_the_due_date_and_the_seller_are_told_in_either_language(
    arena: Any, secretariat: Any
) -> None:
    h.equal_budget(arena, 2026, "1000.00")
    [due] = refused(lambda: create_run(arena, 2026, actor=secretariat, due_days=-1))
    assert told(due) == (
        "Forfall kan ikke være før fakturadato.",
        "The due date cannot be before the invoice date.",
    )
    arena.host_municipality = None
    arena.save()
    [seller] = refused(lambda: create_runs([arena], 2026, actor=secretariat))
    assert told(seller) == (
        "Ingen vertskommune registrert for 12K; velg selger.",
        "No host municipality registered for 12K; choose a seller.",
    )


def test_a_budget_that_cannot_be_split_is_told_in_either_language(
    arena: Any, secretariat: Any
) -> None:
    """The planner's split errors reach a draft's task: no members in the budget's year,
    a missing fixed percentage (the members joined in 2026)."""
    h.equal_budget(arena, 2025, "1000.00")
    [no_members] = refused(lambda: create_run(arena, 2025, actor=secretariat))
    bokmal, english = told(no_members)
    assert bokmal == (
        "12K har ingen medlemmer i 2025, så basisbidraget «Basisbidrag» kan ikke fordeles."
    )
    assert english.startswith("12K has no members in 2025, so the base contribution")


def test_a_missing_figure_is_told_in_either_language(arena: Any, secretariat: Any) -> None:
    key = h.key(arena, 0, 0, fixed=100, name="Fast")
    h.budget(arena, 2026, "1000.00", key)
    problems = refused(lambda: create_run(arena, 2026, actor=secretariat))
    bokmal, english = told(problems[0])
    assert bokmal.startswith("Mangler fast prosent for ")
    assert "(nøkkel «Fast», linje «Basisbidrag»)" in bokmal
    assert english.startswith("Fixed percentage missing for ")


def test_a_run_in_the_wrong_state_is_told_with_its_status_in_either_language(
    arena: Any, secretariat: Any
) -> None:
    run = h.ready(run_2026(arena, secretariat))
    approve_run(run, expected_version=run.version, actor=secretariat)
    [again] = action_problems(run, "approve")
    assert told(again) == (
        "Kjøringen er allerede godkjent; den kan ikke godkjennes på nytt.",
        "The run is already approved; it cannot be approved again.",
    )
    [by_service] = refused(lambda: approve_run(run, expected_version=None, actor=secretariat))
    assert told(by_service) == told(again)
    [refresh] = action_problems(run, "refresh")
    assert told(refresh) == (
        "Kjøringen er godkjent og kan ikke endres.",
        "The run is approved and cannot be changed.",
    )
    [made_again] = refused(lambda: refresh_run(run, actor=secretariat))
    assert told(made_again) == told(refresh)
    issue_run(run, expected_version=run.version, actor=secretariat)
    [issued] = refused(lambda: issue_run(run, expected_version=None, actor=secretariat))
    assert told(issued) == ("Kjøringen er allerede utstedt.", "The run has already been issued.")
    assert action_problems(run, "issue") == [issued]


def test_approval_problems_are_told_in_either_language(arena: Any, secretariat: Any) -> None:
    run = run_2026(arena, secretariat)
    problems = approval_problems(run)
    bokmal, english = told(problems["seller_account"])
    assert bokmal.startswith("Kjøringen mangler selgerens kontonummer")
    assert english.startswith("The run has no seller bank account")
    bokmal, english = told(problems["references"])
    assert bokmal.startswith("Disse kjøperne mangler fakturareferanse: ")
    assert "Larvik (3909)" in english
    assert english != bokmal
    [must_approve] = refused(lambda: issue_run(run, expected_version=None, actor=secretariat))
    assert told(must_approve) == (
        "Kjøringen må godkjennes før den utstedes.",
        "The run must be approved before it is issued.",
    )
