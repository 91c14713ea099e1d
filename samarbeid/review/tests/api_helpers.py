"""What the review API's tests share: a call with a bearer token, the problem+json check, and
the records they start from (a review round, a proposal)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.test import Client

from conftest import bearer
from samarbeid.arenas.models import Arena
from samarbeid.review.models import CooperationProposal, ReviewRound
from samarbeid.review.services.proposals import create_proposal
from samarbeid.review.services.rounds import create_round

JSON = "application/json"
PROBLEM = "application/problem+json"


def call(client: Client, method: str, url: str, body: Any, user: Any) -> Any:
    """`method` `url` with `body` as JSON, as `user` (a bearer token; None: anonymous)."""
    return client.generic(
        method,
        url,
        data=json.dumps(body),
        content_type=JSON,
        headers=bearer(user) if user else {},
    )


def assert_problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    """The answer is a problem+json of `status`; with `field`, one of its errors names it."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    if field is not None:
        assert [field] in [e["loc"] for e in body["errors"]], body
    return body


def new_round(arena: Arena, actor: Any, *, published: bool = False) -> ReviewRound:
    """A review round of `arena` (internal unless published, as a round is made)."""
    return create_round(
        ReviewRound(
            title="Rydding",
            arena=arena,
            primary_task="Arbeidsgiverrollen",
            opened=date(2025, 1, 1),
            published=published,
        ),
        actor=actor,
    )


def new_proposal(arena: Arena, actor: Any, *, published: bool = True) -> CooperationProposal:
    return create_proposal(
        CooperationProposal(
            title="Felles innkjøp", need="Bedre avtaler", arena=arena, published=published
        ),
        actor=actor,
    )
