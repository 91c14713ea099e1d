"""The live plenary: the groups' answers gathered per question (ranked themes after the
facilitator's merges, pros and cons per alternative), read by the plenary page, the
summary and the API."""

from __future__ import annotations

from dataclasses import dataclass, field

from samarbeid.lib.ranking import GroupRanking, aggregate
from samarbeid.portfolio.models import Project
from samarbeid.review.models import CooperationProposal
from samarbeid.workshops.models import Question, ThemeOutcome


@dataclass
class ThemeResult:
    """One theme on the plenary: the label, the groups that chose it and its Borda score."""

    label: str
    groups: int
    borda: int
    variants: list[str] = field(default_factory=list)
    outcomes: list[ThemeOutcome] = field(default_factory=list)


def merge_map(question: Question) -> dict[str, str]:
    return {m.source: m.target for m in question.merges.all()}


def ranked_results(question: Question) -> list[ThemeResult]:
    """Each theme (after the facilitator's merges) with how many groups chose it and its
    Borda score (a theme in place 1 of N gets N points, place N gets 1), sorted by groups,
    then score, then label."""

    answers = list(question.answers.select_related("group").order_by("group__name"))
    rankings = [GroupRanking(group=a.group.name, themes=tuple(a.themes)) for a in answers]
    # The facilitator may have lowered the maximum after some groups answered.
    max_rank = max([question.max_themes, *(len(a.themes) for a in answers)])
    scores = aggregate(rankings, merge_map(question), max_rank)
    outcomes: dict[str, list[ThemeOutcome]] = {}
    for outcome in question.outcomes.select_related("project", "proposal"):
        outcomes.setdefault(outcome.theme, []).append(outcome)
    return [
        ThemeResult(
            label=score.label,
            groups=score.groups,
            borda=score.borda,
            variants=list(score.variants),
            outcomes=outcomes.get(score.label, []),
        )
        for score in scores
    ]


def all_theme_labels(question: Question) -> list[str]:
    """Every distinct theme label the groups wrote (before merging), in first-seen order."""
    labels: dict[str, None] = {}
    for answer in question.answers.order_by("group__name"):
        for theme in answer.themes:
            labels.setdefault(theme, None)
    return list(labels)


@dataclass
class ProsConsRow:
    alternative: str
    pros: list[tuple[str, str]]  # (group name, text)
    cons: list[tuple[str, str]]


def pros_cons_results(question: Question) -> list[ProsConsRow]:
    rows = [ProsConsRow(alternative=a, pros=[], cons=[]) for a in question.alternative_list()]
    for answer in question.answers.select_related("group").order_by("group__name"):
        for index, item in enumerate(answer.pros_cons[: len(rows)]):
            if item.get("pros"):
                rows[index].pros.append((answer.group.name, item["pros"]))
            if item.get("cons"):
                rows[index].cons.append((answer.group.name, item["cons"]))
    return rows


def hide_unseen_outcomes(results: list[ThemeResult], user: object) -> list[ThemeResult]:
    """Drop links to projects and proposals this user may not see (unpublished ones)."""

    outcomes = [o for r in results for o in r.outcomes]
    if not outcomes:
        return results
    projects = set(
        Project.objects.visible_to(user)
        .filter(pk__in=[o.project_id for o in outcomes if o.project_id])
        .values_list("pk", flat=True)
    )
    proposals = set(
        CooperationProposal.objects.visible_to(user)
        .filter(pk__in=[o.proposal_id for o in outcomes if o.proposal_id])
        .values_list("pk", flat=True)
    )
    for result in results:
        result.outcomes = [
            o for o in result.outcomes if o.project_id in projects or o.proposal_id in proposals
        ]
    return results
