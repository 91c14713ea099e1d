from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import ArenaFactory, DecisionFactory, arena_with_members
from samarbeid.core.versioning import VersionConflict
from samarbeid.governance.models import Case, Decision
from samarbeid.portfolio.models import Project
from samarbeid.portfolio.services import create_project
from samarbeid.review.models import (
    Alternative,
    ComparisonCriterion,
    ComparisonParticipant,
    CooperationProposal,
    ModelComparison,
    ProposalCriterion,
    ReviewRound,
    Score,
)
from samarbeid.review.services.advisor import advise
from samarbeid.review.services.comparisons import (
    add_alternative,
    add_criterion,
    add_participant,
    comparison_result,
    create_comparison,
    set_score,
    set_scores,
    set_weight,
)
from samarbeid.review.services.exits import due_reviews, exit_analysis
from samarbeid.review.services.overlap import municipality_load, overlap_list
from samarbeid.review.services.proposals import (
    create_proposal,
    mark_ready,
    reopen_proposal,
    update_criterion,
)
from samarbeid.review.services.rounds import (
    apply_round,
    confirm_round,
    round_facts,
    update_item,
)
from samarbeid.review.tests.api_helpers import add_parts, new_round

pytestmark = pytest.mark.django_db

VESTFOLD = ["3901", "3903", "3905", "3907", "3909", "3911"]


# --- overlap ---


def test_overlap_ranks_crafted_arenas_and_explains_in_norwegian() -> None:
    employer = arena_with_members(
        ["3901", "3903", "3909"],
        name="Arbeidsgiverforum",
        short_name="AGF",
        purpose="Arbeidsgiverpolitikk, lønnsforhandlinger og tariff for kommunene",
    )
    employer_twin = arena_with_members(
        ["3901", "3903", "3909"],
        name="Lønnsnettverk",
        short_name="LN",
        purpose="Lønnsforhandlinger og tariff; felles arbeidsgiverpolitikk",
    )
    partial = arena_with_members(
        ["3909", "3911"],
        name="Kystled",
        short_name="KYST",
        purpose="Friluftsliv langs kysten",
    )
    arena_with_members(
        ["3905"], name="Rovvilt", short_name="ROV", purpose="Forvaltning av rovvilt i utmark"
    )
    rows = overlap_list(min_score=0.05, day=date(2025, 1, 1))
    assert (rows[0].a, rows[0].b) == (employer, employer_twin)
    assert rows[0].pair.members_jaccard == 1.0
    assert "Samme 3 medlemmer" in rows[0].reason
    assert "lignende formål" in rows[0].reason
    assert "tariff" in rows[0].reason
    partial_rows = [r for r in rows if partial in (r.a, r.b)]
    assert partial_rows
    assert all("felles medlemmer" in r.reason for r in partial_rows)
    assert all("ulikt formål" in r.reason for r in partial_rows)
    scores = [r.pair.score for r in rows]
    assert scores == sorted(scores, reverse=True)
    # the rovvilt arena shares neither members nor words with the others
    assert not [r for r in rows if "ROV" in (r.a.short_name, r.b.short_name)]


def test_closed_arenas_are_not_in_the_overlap_list() -> None:
    arena_with_members(["3901"], purpose="tariff lønn", short_name="A1")
    arena_with_members(["3901"], purpose="tariff lønn", short_name="A2", status="closed")
    assert overlap_list(min_score=0.0, day=date(2025, 1, 1)) == []


def test_load_per_municipality_counts_arenas_and_board_meetings(larvik: Any) -> None:
    day = date(2025, 6, 1)
    first = arena_with_members(["3909", "3901"], short_name="F")
    second = arena_with_members(["3909"], short_name="S")
    for meeting in (date(2025, 3, 1), date(2025, 3, 1), date(2025, 5, 1), date(2023, 1, 1)):
        DecisionFactory(
            body=Decision.Body.ARENA_BOARD, arena=first, municipality=None, meeting_date=meeting
        )
    DecisionFactory(
        body=Decision.Body.ARENA_BOARD, arena=second, municipality=None, meeting_date=day
    )
    rows = {r.municipality.number: r for r in municipality_load(day=day)}
    # two meetings in the last 12 months in the first (same-day decisions = one meeting)
    assert (rows["3909"].arenas, rows["3909"].meetings) == (2, 3)
    assert (rows["3901"].arenas, rows["3901"].meetings) == (1, 2)
    assert next(iter(rows)) == "3909"  # busiest first


# --- review rounds ---


@pytest.fixture
def ks() -> Arena:
    return arena_with_members(
        VESTFOLD, name="KS Vestfold", short_name="KS-V", kind=Arena.Kind.KS_BODY
    )


@pytest.fixture
def nk() -> Arena:
    arena: Arena = ArenaFactory.create(name="n-k", short_name="n-k", kind=Arena.Kind.STRATEGIC)
    return arena


def _round(ks: Arena, secretariat: Any) -> ReviewRound:
    ArenaFactory(name="Lobbyvirksomhet", short_name="LOB", parent=ks, kind=Arena.Kind.OTHER)
    ArenaFactory(name="Kystled Vestfold", short_name="KYS", parent=ks, kind=Arena.Kind.OTHER)
    ArenaFactory(name="Gammel", short_name="OLD", parent=ks, status="closed", status_reason="x")
    create_project(
        Project(
            arena=ks,
            code="P1",
            title="Personalsektor KU",
            status=Project.Status.ONGOING,
            start=date(2024, 1, 1),
        ),
        actor=secretariat,
    )
    return new_round(
        ks,
        secretariat,
        title="Rydding i KS-V",
        primary_task="Arbeidsgiverrollen og rammebetingelser",
    )


def _recommend(review: ReviewRound, actor: Any, nk: Arena) -> None:
    for item in review.items.select_related("arena", "project"):
        name = str(item)
        if "Lobby" in name or "Personal" in name:
            changes: dict[str, Any] = {"recommendation": "continue", "serves_primary_task": "yes"}
        else:
            changes = {"recommendation": "transfer", "target_arena": nk, "reason": "Regionalt"}
        update_item(item, changes, expected_version=None, actor=actor)


def test_round_takes_open_children_and_projects(ks: Arena, secretariat: Any) -> None:
    review = _round(ks, secretariat)
    names = sorted(str(i) for i in review.items.all())
    assert names == ["Kystled Vestfold", "Lobbyvirksomhet", "P1 Personalsektor KU"]
    facts = round_facts(review)
    lobby = next(f for f in facts if str(f.item) == "Lobbyvirksomhet")
    assert lobby.participants_inherited_from == ks
    assert len(lobby.participants) == 6


def test_transfer_without_target_is_refused(ks: Arena, secretariat: Any) -> None:
    review = _round(ks, secretariat)
    item = review.items.get(arena__short_name="KYS")
    with pytest.raises(ValidationError) as exc:
        update_item(
            item,
            {"recommendation": "transfer", "reason": "Passer ikke"},
            expected_version=None,
            actor=secretariat,
        )
    assert "target_arena" in exc.value.message_dict
    item.refresh_from_db()
    assert item.recommendation == ""


def test_outsider_cannot_change_items(ks: Arena, secretariat: Any, coordinator: Any) -> None:
    review = _round(ks, secretariat)
    with pytest.raises(PermissionDenied):
        update_item(
            review.items.first(),  # type: ignore[arg-type]
            {"recommendation": "continue"},
            expected_version=None,
            actor=coordinator,
        )


def test_confirm_needs_every_recommendation(ks: Arena, secretariat: Any) -> None:
    review = _round(ks, secretariat)
    with pytest.raises(ValidationError, match="mangler anbefaling"):
        confirm_round(review, meeting_date=date(2025, 2, 1), actor=secretariat)
    assert not Case.objects.exists()


def test_confirm_and_apply_closes_and_transfers_once(
    ks: Arena, nk: Arena, secretariat: Any
) -> None:
    review = _round(ks, secretariat)
    _recommend(review, secretariat, nk)
    decision = confirm_round(
        review, meeting_date=date(2025, 2, 1), case_number="3/25", actor=secretariat
    )
    assert decision.is_positive
    assert decision.case is not None
    assert decision.arena == ks
    with pytest.raises(ValidationError, match="allerede vedtatt"):
        update_item(
            review.items.first(),  # type: ignore[arg-type]
            {"recommendation": "close", "reason": "x"},
            expected_version=None,
            actor=secretariat,
        )
    apply_round(review, actor=secretariat)
    kystled = Arena.objects.get(short_name="KYS")
    assert kystled.status == Arena.Status.TRANSFERRED
    assert kystled.transferred_to == nk
    assert kystled.ended == date(2025, 2, 1)
    assert "Rydding i KS-V" in kystled.status_reason
    assert Arena.objects.get(short_name="LOB").status == Arena.Status.ACTIVE
    assert review.applied_on == date(2025, 2, 1)
    with pytest.raises(ValidationError, match="to ganger"):
        apply_round(review, actor=secretariat)


def test_apply_transfers_project_with_history(ks: Arena, nk: Arena, secretariat: Any) -> None:
    review = _round(ks, secretariat)
    for item in review.items.all():
        update_item(
            item,
            {"recommendation": "transfer", "target_arena": nk, "reason": "Til n-k"},
            expected_version=None,
            actor=secretariat,
        )
    confirm_round(review, meeting_date=date(2025, 2, 1), actor=secretariat)
    apply_round(review, actor=secretariat)
    project = Project.objects.get(code="P1")
    assert project.status == Project.Status.TRANSFERRED
    assert project.transferred_to == nk
    last = project.status_changes.order_by("-id").first()
    assert last is not None
    assert last.decision == review.decision
    assert last.changed_on == date(2025, 2, 1)


def test_apply_without_decision_is_refused(ks: Arena, secretariat: Any) -> None:
    review = _round(ks, secretariat)
    with pytest.raises(ValidationError, match="vedtatt før"):
        apply_round(review, actor=secretariat)


# --- cooperation proposals ---


def _proposal(actor: Any) -> CooperationProposal:
    return create_proposal(
        CooperationProposal(
            title="Felles innkjøp", need="Lavere anskaffelseskostnader", status="ready"
        ),
        actor=actor,
    )


def test_create_proposal_adds_the_eight_criteria_as_open(secretariat: Any) -> None:
    proposal = _proposal(secretariat)
    assert proposal.status == CooperationProposal.Status.DRAFT
    assert proposal.criteria.count() == 8
    assert set(proposal.criteria.values_list("state", flat=True)) == {"open"}


def test_create_proposal_refuses_empty_need_and_outsiders(secretariat: Any, reader: Any) -> None:
    with pytest.raises(ValidationError):
        create_proposal(CooperationProposal(title="X", need=" "), actor=secretariat)
    with pytest.raises(PermissionDenied):
        create_proposal(CooperationProposal(title="X", need="Y"), actor=reader)
    assert not CooperationProposal.objects.exists()


def test_ready_is_refused_while_a_criterion_is_open(secretariat: Any) -> None:
    proposal = _proposal(secretariat)
    criteria = list(proposal.criteria.all())
    for criterion in criteria[1:]:
        update_criterion(
            criterion,
            {"state": "met", "evidence": "Vedtak i rådmannsgruppen"},
            expected_version=None,
            actor=secretariat,
        )
    with pytest.raises(ValidationError) as exc:
        mark_ready(proposal, actor=secretariat)
    assert "Vite hvorfor" in str(exc.value)
    proposal.refresh_from_db()
    assert proposal.status == "draft"
    update_criterion(
        criteria[0], {"state": "in_progress"}, expected_version=None, actor=secretariat
    )
    mark_ready(proposal, actor=secretariat)
    assert proposal.status == "ready"
    assert proposal.override_reason == ""


def test_secretariat_override_with_reason(secretariat: Any) -> None:
    proposal = _proposal(secretariat)
    mark_ready(proposal, override_reason="Frist fra departementet", actor=secretariat)
    assert proposal.status == "ready"
    assert proposal.override_reason == "Frist fra departementet"
    with pytest.raises(ValidationError):
        mark_ready(proposal, actor=secretariat)


def test_met_criterion_needs_evidence(secretariat: Any) -> None:
    criterion = _proposal(secretariat).criteria.first()
    assert criterion is not None
    with pytest.raises(ValidationError) as exc:
        update_criterion(criterion, {"state": "met"}, expected_version=None, actor=secretariat)
    assert "evidence" in exc.value.message_dict
    criterion.refresh_from_db()
    assert criterion.state == ProposalCriterion.State.OPEN


# --- legal-form advisor ---


def test_advisor_individual_decisions_leaves_only_host_forms() -> None:
    advice = {a.form.code: a for a in advise(["individual_decisions"])}
    suitable = {code for code, a in advice.items() if a.suitable}
    assert suitable == {"host_admin", "host_board"}
    assert "enkeltvedtak" in advice["iks"].reasons[0]
    assert "opphevet" in advice["samkommune"].reasons[0]


def test_advisor_own_entity_and_services() -> None:
    advice = {a.form.code: a for a in advise(["produce_services", "own_legal_entity"])}
    assert not advice["ipr"].suitable
    assert "produsere tjenester" in advice["ipr"].reasons[0]
    assert not advice["host_admin"].suitable
    assert advice["iks"].suitable
    assert "«IKS»" in " ".join(advice["iks"].conditions)


def test_advisor_unknown_need() -> None:
    with pytest.raises(ValidationError):
        advise(["fly"])


# --- model comparison ---


@pytest.fixture
def comparison(secretariat: Any) -> ModelComparison:
    return create_comparison(ModelComparison(title="Innherred"), actor=secretariat)


def _hand_checked(comparison: ModelComparison, actor: Any) -> dict[str, Any]:
    parts = add_parts(
        comparison,
        actor,
        alternatives=["X", "Y"],
        criteria=[("c1", 50), ("c2", 50)],
        participants=["Levanger"],
    )
    (x, y), (c1, c2), (p,) = parts.alternatives, parts.criteria, parts.participants
    for alt, crit, value in ((x, c1, 10), (x, c2, 0), (y, c1, 3), (y, c2, 6)):
        set_score(alt, crit, p, value, actor=actor)
    return {"x": x, "y": y, "c1": c1, "c2": c2, "p": p}


def test_ranking_and_sensitivity_hand_checked(
    comparison: ModelComparison, secretariat: Any
) -> None:
    # X = (50·10 + 50·0)/100 = 5; Y = (50·3 + 50·6)/100 = 4.5.
    # c1 at 40: X = 400/90 = 4.44 < Y = 420/90 = 4.67, Y wins. c1 at 60: X keeps it.
    # c2 at 60: X = 500/110 = 4.55 < Y = 510/110 = 4.64, Y wins. c2 at 40: X keeps it.
    objs = _hand_checked(comparison, secretariat)
    result = comparison_result(comparison)
    assert [(r.alternative.name, r.total) for r in result.ranking] == [
        ("X", Fraction(5)),
        ("Y", Fraction(9, 2)),
    ]
    changed = {(s.criterion.name, s.weight) for s in result.sensitivity if s.changed}
    assert changed == {("c1", 40), ("c2", 60)}
    assert result.robust is False
    assert all(s.winners == [objs["y"]] for s in result.sensitivity if s.changed)


def test_robust_when_winner_dominates(comparison: ModelComparison, secretariat: Any) -> None:
    objs = _hand_checked(comparison, secretariat)
    set_score(objs["x"], objs["c2"], objs["p"], 9, actor=secretariat)
    result = comparison_result(comparison)
    assert result.robust is True
    assert result.ranking[0].alternative == objs["x"]


def test_missing_scores_are_listed(comparison: ModelComparison, secretariat: Any) -> None:
    add_alternative(Alternative(comparison=comparison, name="IKS"), actor=secretariat)
    add_criterion(
        ComparisonCriterion(comparison=comparison, name="Økonomi", weight=40), actor=secretariat
    )
    result = comparison_result(comparison)
    assert result.ranking == []
    assert "Ingen poeng for «IKS» på «Økonomi»." in result.missing


@pytest.mark.parametrize("weight", [-1, 101, 250])
def test_weight_outside_0_100_is_refused(
    comparison: ModelComparison, secretariat: Any, weight: int
) -> None:
    with pytest.raises(ValidationError) as exc:
        add_criterion(
            ComparisonCriterion(comparison=comparison, name="Økonomi", weight=weight),
            actor=secretariat,
        )
    assert "0 til 100" in str(exc.value)
    assert not ComparisonCriterion.objects.exists()


def test_set_weight_refuses_out_of_range(comparison: ModelComparison, secretariat: Any) -> None:
    objs = _hand_checked(comparison, secretariat)
    with pytest.raises(ValidationError):
        set_weight(objs["c1"], 110, actor=secretariat)
    objs["c1"].refresh_from_db()
    assert objs["c1"].weight == 50


def test_score_from_someone_not_in_the_comparison_is_refused(
    comparison: ModelComparison, secretariat: Any
) -> None:
    objs = _hand_checked(comparison, secretariat)
    other = create_comparison(ModelComparison(title="Annen"), actor=secretariat)
    stranger = add_participant(
        ComparisonParticipant(comparison=other, name="Steinkjer"), actor=secretariat
    )
    before = Score.objects.count()
    with pytest.raises(ValidationError) as exc:
        set_score(objs["x"], objs["c1"], stranger, 5, actor=secretariat)
    assert "ikke deltaker" in exc.value.message_dict["participant"][0]
    with pytest.raises(ValidationError):
        set_score(objs["x"], objs["c1"], objs["p"], 11, actor=secretariat)
    assert Score.objects.count() == before


def test_ruled_out_form_cannot_be_an_alternative(secretariat: Any) -> None:
    proposal = create_proposal(
        CooperationProposal(title="Barnevern", need="Vedtak", needs=["individual_decisions"]),
        actor=secretariat,
    )
    comparison = create_comparison(
        ModelComparison(title="Barnevern", proposal=proposal), actor=secretariat
    )
    with pytest.raises(ValidationError, match="utelukket"):
        add_alternative(
            Alternative(comparison=comparison, name="IKS", kind="legal_form", form="iks"),
            actor=secretariat,
        )
    add_alternative(
        Alternative(
            comparison=comparison, name="Vertskommune", kind="legal_form", form="host_board"
        ),
        actor=secretariat,
    )


# --- periodic reviews and exit ---


def test_due_reviews(secretariat: Any, today: date) -> None:
    overdue = ArenaFactory(next_review=today - timedelta(days=3))
    due = ArenaFactory(next_review=today + timedelta(days=10))
    ArenaFactory(next_review=today + timedelta(days=400))
    ArenaFactory(next_review=today - timedelta(days=3), status="closed", status_reason="x")
    result = due_reviews(secretariat)
    assert result.overdue_arenas == [overdue]
    assert result.due_arenas == [due]


def test_exit_analysis_lists_projects_and_decision(
    ks: Arena, secretariat: Any, larvik: Any
) -> None:
    from samarbeid.portfolio.services import set_participation

    project = create_project(
        Project(arena=ks, code="P9", title="Lederforum", status=Project.Status.ONGOING),
        actor=secretariat,
    )
    decision: Decision = DecisionFactory.create(municipality=larvik, meeting_date=date(2024, 4, 1))
    set_participation(
        project, larvik, "joined", since=date(2024, 4, 2), decision=decision, actor=secretariat
    )
    membership = ks.memberships.get(municipality=larvik)
    result = exit_analysis(membership)
    assert result.projects == [project]
    assert "Larvik" in result.decision_needed
    assert result.notice


def test_set_scores_is_all_or_none_and_stays_in_its_comparison(
    comparison: ModelComparison, secretariat: Any, coordinator: Any
) -> None:
    objs = _hand_checked(comparison, secretariat)
    other = create_comparison(ModelComparison(title="Annen"), actor=secretariat)
    foreign = add_alternative(Alternative(comparison=other, name="Z"), actor=secretariat)
    foreign_c = add_criterion(
        ComparisonCriterion(comparison=other, name="c", weight=10), actor=secretariat
    )
    before = {s.pk: s.value for s in Score.objects.all()}
    with pytest.raises(ValidationError) as exc:
        set_scores(
            comparison,
            objs["p"],
            [("a", objs["x"], objs["c1"], 1), ("b", objs["y"], objs["c1"], 11)],
            actor=secretariat,
        )
    assert list(exc.value.message_dict) == ["b"]
    with pytest.raises(ValidationError) as exc:
        set_scores(comparison, objs["p"], [("z", foreign, foreign_c, 5)], actor=secretariat)
    assert list(exc.value.message_dict) == ["z"]
    with pytest.raises(PermissionDenied):
        set_scores(comparison, objs["p"], [("a", objs["x"], objs["c1"], 1)], actor=coordinator)
    assert {s.pk: s.value for s in Score.objects.all()} == before
    saved = set_scores(comparison, objs["p"], [("a", objs["x"], objs["c1"], 1)], actor=secretariat)
    assert [s.value for s in saved] == [1]


def test_reopen_with_a_stale_version_is_refused(secretariat: Any) -> None:
    proposal = create_proposal(
        CooperationProposal(title="Innkjøp", need="Avtaler"), actor=secretariat
    )
    mark_ready(proposal, override_reason="Haster", actor=secretariat)
    with pytest.raises(VersionConflict):
        reopen_proposal(proposal, expected_version=1, actor=secretariat)
    proposal.refresh_from_db()
    assert proposal.status == CooperationProposal.Status.READY


def test_rank_totals_round_half_up_exactly() -> None:
    """A weighted sum on the half rounds up, as every figure does (a float read 7,225 as
    7,22 but 5,275 as 5,28)."""
    from fractions import Fraction
    from types import SimpleNamespace

    from samarbeid.review.services.comparisons import RankRow

    def shown(total: Fraction) -> str:
        return str(RankRow.total_display.fget(SimpleNamespace(total=total)))

    assert shown(Fraction(7225, 1000)) == "7,23"
    assert shown(Fraction(6925, 1000)) == "6,93"
    assert shown(Fraction(5275, 1000)) == "5,28"
    assert shown(Fraction(1, 3)) == "0,33"
