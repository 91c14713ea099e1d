from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.lib.ranking import GroupRanking, aggregate
from samarbeid.portfolio.models import Project
from samarbeid.workshops.models import Group, Question, ThemeMerge, Workshop
from samarbeid.workshops.services.answers import (
    RATE_LIMIT,
    RateLimited,
    answer_of,
    check_rate,
    submit_answer,
)
from samarbeid.workshops.services.groups import (
    add_group,
    delete_group,
    group_for_token,
    renew_group_link,
)
from samarbeid.workshops.services.plenary import pros_cons_results, ranked_results
from samarbeid.workshops.services.themes import (
    merge_suggestions,
    merge_themes,
    theme_to_project,
    theme_to_proposal,
    undo_merge,
)
from samarbeid.workshops.services.workshops import (
    create_workshop,
    set_question_status,
    update_question,
    update_workshop,
)
from samarbeid.workshops.tests.conftest import make_question

pytestmark = pytest.mark.django_db


def submit(group: Group, question: Question, *themes: str) -> None:
    submit_answer(group, question, themes=list(themes))


# --- workshops and groups -----------------------------------------------------------------------


def test_only_the_secretariat_creates_workshops(coordinator: Any, workshop: Workshop) -> None:
    with pytest.raises(PermissionDenied):
        create_workshop(
            Workshop(arena=workshop.arena, title="X", date=date(2024, 1, 1)), actor=coordinator
        )
    with pytest.raises(PermissionDenied):
        add_group(workshop, "Gruppe X", actor=coordinator)


def test_links_cannot_expire_before_the_workshop(secretariat: Any, workshop: Workshop) -> None:
    with pytest.raises(ValidationError) as exc:
        update_workshop(
            workshop,
            {"links_expire": date(2004, 3, 1)},
            expected_version=workshop.version,
            actor=secretariat,
        )
    assert "links_expire" in exc.value.message_dict


def test_group_names_are_unique(secretariat: Any, groups: list[Group]) -> None:
    with pytest.raises(ValidationError):
        add_group(groups[0].workshop, "Gruppe 1", actor=secretariat)
    with pytest.raises(ValidationError):
        add_group(groups[0].workshop, "  ", actor=secretariat)


def test_token_finds_its_group_only(groups: list[Group]) -> None:
    group = groups[0]
    assert group_for_token(group.token) == group
    assert group_for_token(group.token + "x") is None
    assert group_for_token("") is None
    assert group_for_token("a" * 500) is None
    # The database never holds the token itself.
    stored = Group.objects.values().get(pk=group.pk)
    assert group.token not in {str(v) for v in stored.values()}
    assert len({g.token for g in groups}) == 3


def test_token_expires_with_the_workshop(
    secretariat: Any, workshop: Workshop, groups: list[Group]
) -> None:
    update_workshop(
        workshop,
        {"links_expire": date(2004, 3, 12)},
        expected_version=workshop.version,
        actor=secretariat,
    )
    token = groups[0].token
    assert group_for_token(token, today=date(2004, 3, 12)) is not None
    assert group_for_token(token, today=date(2004, 3, 13)) is None


def test_renewed_link_replaces_the_old(secretariat: Any, groups: list[Group]) -> None:
    old = groups[0].token
    renew_group_link(groups[0], actor=secretariat)
    assert group_for_token(old) is None
    assert group_for_token(groups[0].token) == groups[0]


def test_group_with_answers_cannot_be_deleted(
    secretariat: Any, groups: list[Group], ranked: Question
) -> None:
    submit(groups[0], ranked, "IKT")
    with pytest.raises(ValidationError):
        delete_group(groups[0], actor=secretariat)
    delete_group(groups[1], actor=secretariat)
    assert not Group.objects.filter(pk=groups[1].pk).exists()


# --- answers ------------------------------------------------------------------------------------


def test_submit_and_edit_until_closed(
    secretariat: Any, groups: list[Group], ranked: Question
) -> None:
    submit(groups[0], ranked, "IKT", "Skole")
    submit(groups[0], ranked, "Skole", "IKT", "Vei")
    answer = answer_of(groups[0], ranked)
    assert answer is not None
    assert answer.themes == ["Skole", "IKT", "Vei"]
    assert answer.version == 2
    set_question_status(ranked, Question.Status.CLOSED, actor=secretariat)
    with pytest.raises(ValidationError, match="lukket"):
        submit(groups[0], ranked, "Kultur")
    with pytest.raises(ValidationError, match="lukket"):
        submit(groups[1], ranked, "Kultur")
    assert answer_of(groups[0], ranked).themes == ["Skole", "IKT", "Vei"]  # type: ignore[union-attr]


def test_draft_question_refuses_answers(
    secretariat: Any, workshop: Workshop, groups: list[Group]
) -> None:
    question = make_question(workshop, secretariat, status=Question.Status.DRAFT)
    with pytest.raises(ValidationError):
        submit(groups[0], question, "IKT")


def test_group_answers_only_its_own_workshop(
    secretariat: Any, groups: list[Group], ranked: Question
) -> None:
    other = create_workshop(
        Workshop(arena=ranked.workshop.arena, title="Annen", date=date(2005, 1, 1)),
        actor=secretariat,
    )
    stranger = add_group(other, "Fremmed", actor=secretariat)
    with pytest.raises(ValidationError):
        submit(stranger, ranked, "IKT")


def test_submission_limits(groups: list[Group], ranked: Question, open_question: Question) -> None:
    with pytest.raises(ValidationError, match="høyst 3"):
        submit(groups[0], ranked, "a", "b", "c", "d")
    with pytest.raises(ValidationError, match="minst 1"):
        submit(groups[0], ranked, " ", "")
    with pytest.raises(ValidationError, match="to ganger"):
        submit(groups[0], ranked, "IKT", "ikt")
    with pytest.raises(ValidationError):
        submit(groups[0], ranked, "x" * 121)
    with pytest.raises(ValidationError, match="2000"):
        submit_answer(groups[0], open_question, text="x" * 2001)
    with pytest.raises(ValidationError):
        submit_answer(groups[0], open_question, text="   ")
    answer = submit_answer(groups[0], open_question, text="  Ja, men mer forankring  ")
    assert answer.text == "Ja, men mer forankring"


def test_pros_and_cons(groups: list[Group], pros_cons: Question) -> None:
    with pytest.raises(ValidationError):
        submit_answer(groups[0], pros_cons, pros_cons=[{"pros": "a", "cons": ""}])
    with pytest.raises(ValidationError):
        submit_answer(groups[0], pros_cons, pros_cons=[{}, {}])
    submit_answer(
        groups[0],
        pros_cons,
        pros_cons=[{"pros": "Kontinuitet", "cons": "Usikkerhet"}, {"pros": "", "cons": "Mindre"}],
    )
    submit_answer(groups[1], pros_cons, pros_cons=[{"pros": "Erfaring"}, {"pros": "Lov"}])
    rows = pros_cons_results(pros_cons)
    assert [r.alternative for r in rows] == ["Nytt forsøk i 4 år", "Vertskommune"]
    assert rows[0].pros == [("Gruppe 1", "Kontinuitet"), ("Gruppe 2", "Erfaring")]
    assert rows[0].cons == [("Gruppe 1", "Usikkerhet")]
    assert rows[1].pros == [("Gruppe 2", "Lov")]


@pytest.mark.usefixtures("still_minute")
def test_rate_limit(groups: list[Group]) -> None:
    for _ in range(RATE_LIMIT):
        check_rate(groups[0])
    with pytest.raises(RateLimited):
        check_rate(groups[0])
    check_rate(groups[1])  # another group has its own counter


def test_anonymous_answer_is_audited(groups: list[Group], open_question: Question) -> None:
    answer = submit_answer(groups[0], open_question, text="Ja")
    entry = AuditEntry.objects.filter(object_id=str(answer.pk)).first()
    assert entry is not None
    assert entry.actor is None


# --- aggregation and merges ---------------------------------------------------------------------


def test_counts_borda_and_ties(groups: list[Group], ranked: Question) -> None:
    submit(groups[0], ranked, "IKT", "Skole", "Vei")
    submit(groups[1], ranked, "Skole", "IKT")
    submit(groups[2], ranked, "Kultur")
    results = ranked_results(ranked)
    assert [(r.label, r.groups, r.borda) for r in results] == [
        # IKT and Skole tie on groups and Borda (3+2): alphabetical.
        ("IKT", 2, 5),
        ("Skole", 2, 5),
        ("Kultur", 1, 3),
        ("Vei", 1, 1),
    ]


def test_merge_and_undo(secretariat: Any, groups: list[Group], ranked: Question) -> None:
    submit(groups[0], ranked, "felles IKT", "Skole")
    submit(groups[1], ranked, "IKT-drift")
    submit(groups[2], ranked, "Adm. tjenester: lønn, regnskap, IKT")
    first = merge_themes(ranked, "felles IKT", "IKT-drift", actor=secretariat)
    merge_themes(ranked, "IKT-drift", "Adm. tjenester: lønn, regnskap, IKT", actor=secretariat)
    top = ranked_results(ranked)[0]
    assert (top.label, top.groups, top.borda) == ("Adm. tjenester: lønn, regnskap, IKT", 3, 9)
    assert set(top.variants) == {"felles IKT", "IKT-drift"}
    # a cycle is refused
    with pytest.raises(ValidationError, match="ring"):
        merge_themes(ranked, "Adm. tjenester: lønn, regnskap, IKT", "felles IKT", actor=secretariat)
    with pytest.raises(ValidationError):
        merge_themes(ranked, "felles IKT", "Skole", actor=secretariat)  # already merged
    with pytest.raises(ValidationError):
        merge_themes(ranked, "Ukjent", "Skole", actor=secretariat)
    with pytest.raises(ValidationError):
        merge_themes(ranked, "Skole", "skole", actor=secretariat)
    undo_merge(first, actor=secretariat)
    labels = {r.label: r.groups for r in ranked_results(ranked)}
    assert labels["felles IKT"] == 1
    assert labels["Adm. tjenester: lønn, regnskap, IKT"] == 2


def test_merge_needs_the_secretariat(
    coordinator: Any, groups: list[Group], ranked: Question
) -> None:
    submit(groups[0], ranked, "A", "B")
    with pytest.raises(PermissionDenied):
        merge_themes(ranked, "A", "B", actor=coordinator)
    assert not ThemeMerge.objects.exists()


def test_suggestions_pair_similar_themes(groups: list[Group], ranked: Question) -> None:
    submit(groups[0], ranked, "Felles IKT-drift", "Kultur")
    submit(groups[1], ranked, "IKT-drift")
    pairs = {(a, b) for a, b, _ in merge_suggestions(ranked)}
    assert ("Felles IKT-drift", "IKT-drift") in pairs or ("IKT-drift", "Felles IKT-drift") in pairs
    assert not any("Kultur" in pair for pair in pairs)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(["IKT", "Skole", "Vei", "VAR", "Kultur"]), max_size=3, unique=True
        ),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from([None, ("Vei", "VAR"), ("VAR", "IKT")]),
)
def test_aggregate_properties(rankings: list[list[str]], merge: tuple[str, str] | None) -> None:
    groups = [GroupRanking(group=f"G{i}", themes=r) for i, r in enumerate(rankings)]
    merges = dict([merge]) if merge else {}
    scores = aggregate(groups, merges, 3)
    # each group counted at most once per theme; no theme more often than there are groups
    assert all(1 <= s.groups <= len(groups) for s in scores)
    # sorted by groups, then Borda
    keys = [(-s.groups, -s.borda) for s in scores]
    assert keys == sorted(keys)
    # merging never loses a group's vote: total mentions only shrink by double-counting
    unmerged = aggregate(groups, {}, 3)
    assert sum(s.groups for s in scores) <= sum(s.groups for s in unmerged)
    if merge:
        assert merge[0] not in {s.label for s in scores}


# --- theme to work ------------------------------------------------------------------------------


def test_theme_to_project(secretariat: Any, groups: list[Group], ranked: Question) -> None:
    submit(groups[0], ranked, "Digital kompetanse i skolen")
    outcome = theme_to_project(
        ranked, "Digital kompetanse i skolen", code="9K-04-01", actor=secretariat
    )
    project = outcome.project
    assert project is not None
    assert project.status == Project.Status.IDEA
    assert project.arena == ranked.workshop.arena
    assert project.title == "Digital kompetanse i skolen"
    assert "Hankø" in project.description
    assert ranked_results(ranked)[0].outcomes == [outcome]
    with pytest.raises(ValidationError):
        theme_to_project(ranked, "Finnes ikke", code="9K-04-02", actor=secretariat)
    with pytest.raises(ValidationError):  # code already used
        theme_to_project(ranked, "Digital kompetanse i skolen", code="9K-04-01", actor=secretariat)


def test_theme_to_project_needs_the_secretariat(
    coordinator: Any, groups: list[Group], ranked: Question
) -> None:
    submit(groups[0], ranked, "Skole")
    with pytest.raises(PermissionDenied):
        theme_to_project(ranked, "Skole", code="X1", actor=coordinator, channel=Channel.PAGE)


def test_theme_to_proposal(secretariat: Any, groups: list[Group], ranked: Question) -> None:
    submit(groups[0], ranked, "Veisamarbeid")
    submit(groups[1], ranked, "Veisamarbeid")
    outcome = theme_to_proposal(ranked, "Veisamarbeid", actor=secretariat)
    proposal = outcome.proposal
    assert proposal is not None
    assert proposal.title == "Veisamarbeid"
    assert "2 grupper" in proposal.need
    assert proposal.arena == ranked.workshop.arena
    assert proposal.workshop_outcomes.get() == outcome
    with pytest.raises(ValidationError):
        theme_to_proposal(ranked, "Ukjent", actor=secretariat)


def test_kind_cannot_change_after_answers(
    secretariat: Any, groups: list[Group], ranked: Question
) -> None:
    submit(groups[0], ranked, "IKT")
    with pytest.raises(ValidationError) as exc:
        update_question(
            ranked, {"kind": Question.Kind.OPEN}, expected_version=None, actor=secretariat
        )
    assert "kind" in exc.value.message_dict
    with pytest.raises(ValidationError):
        set_question_status(ranked, "bogus", actor=secretariat)


def test_lowering_max_after_answers_keeps_results(
    secretariat: Any, groups: list[Group], ranked: Question
) -> None:
    submit(groups[0], ranked, "A", "B", "C")
    update_question(ranked, {"max_themes": 2}, expected_version=None, actor=secretariat)
    assert [r.label for r in ranked_results(ranked)] == ["A", "B", "C"]
