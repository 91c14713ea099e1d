"""What the review API's tests share: the problem+json check and the records they start from
(a review round, a proposal, a model comparison and its parts). Their requests go through
`conftest.api_call`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.test import Client

from conftest import api_call
from samarbeid.arenas.models import Arena
from samarbeid.review.models import (
    Alternative,
    ComparisonCriterion,
    ComparisonParticipant,
    CooperationProposal,
    ModelComparison,
    ReviewRound,
)
from samarbeid.review.services.comparisons import (
    add_alternative,
    add_criterion,
    add_participant,
    create_comparison,
)
from samarbeid.review.services.proposals import create_proposal
from samarbeid.review.services.rounds import create_round

JSON = "application/json"
PROBLEM = "application/problem+json"


def post_review(client: Client, user: Any, body: dict[str, Any]) -> Any:
    """The API's POST of a new review round with `body`, as `user` (None: anonymous)."""
    return api_call(client, "POST", "/api/v1/reviews", body, user)


def assert_problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    """The answer is a problem+json of `status`; with `field`, one of its errors names it."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    if field is not None:
        assert [field] in [e["loc"] for e in body["errors"]], body
    return body


def new_round(
    arena: Arena,
    actor: Any,
    *,
    published: bool = False,
    include_projects: bool = True,
    **fields: Any,
) -> ReviewRound:
    """A review round of `arena` (internal unless published, as a round is made), «Rydding»
    against «Arbeidsgiverrollen» opened 1 January 2025 unless `fields` say otherwise."""
    values: dict[str, Any] = {
        "title": "Rydding",
        "primary_task": "Arbeidsgiverrollen",
        "opened": date(2025, 1, 1),
    }
    return create_round(
        ReviewRound(arena=arena, published=published, **(values | fields)),
        actor=actor,
        include_projects=include_projects,
    )


def new_proposal(arena: Arena, actor: Any, *, published: bool = True) -> CooperationProposal:
    return create_proposal(
        CooperationProposal(
            title="Felles innkjøp", need="Bedre avtaler", arena=arena, published=published
        ),
        actor=actor,
    )


@dataclass(frozen=True)
class Parts:
    """A comparison's parts as a test made them, each list in the order given."""

    alternatives: list[Alternative]
    criteria: list[ComparisonCriterion]
    participants: list[ComparisonParticipant]


def add_parts(
    comparison: ModelComparison,
    actor: Any,
    *,
    alternatives: Iterable[str] = (),
    criteria: Iterable[tuple[str, int]] = (),
    participants: Iterable[str | tuple[str, Any]] = (),
) -> Parts:
    """Add alternatives (by name), criteria (name, weight) and participants (a name, or a name
    and the municipality), in that order, through the services."""
    made = Parts(
        [
            add_alternative(Alternative(comparison=comparison, name=n), actor=actor)
            for n in alternatives
        ],
        [
            add_criterion(ComparisonCriterion(comparison=comparison, name=n, weight=w), actor=actor)
            for n, w in criteria
        ],
        [],
    )
    for who in participants:
        name, municipality = (who, None) if isinstance(who, str) else who
        participant = ComparisonParticipant(
            comparison=comparison, name=name, municipality=municipality
        )
        made.participants.append(add_participant(participant, actor=actor))
    return made


def new_comparison(
    actor: Any, *, title: str = "Modeller", arena: Arena | None = None, **parts: Any
) -> tuple[ModelComparison, Parts]:
    """A model comparison (of `arena`, or of none) with the parts `add_parts` is given."""
    comparison = create_comparison(ModelComparison(title=title, arena=arena), actor=actor)
    return comparison, add_parts(comparison, actor, **parts)
