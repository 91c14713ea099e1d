"""The review API's refusals are the house's words (an integrator's trial found English in a
bokmål answer): bokmål on the field, English with `?lang=en`."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import api_call
from samarbeid.arenas.models import Arena
from samarbeid.review.tests.api_helpers import assert_problem, new_comparison, new_proposal

pytestmark = pytest.mark.django_db


def _scores(client: Client, ks: Arena, user: Any, lang: str = "") -> tuple[str, dict[str, Any]]:
    comparison, parts = new_comparison(
        user,
        title="Modeller",
        arena=ks,
        alternatives=["IKS"],
        criteria=[("Økonomi", 60)],
        participants=["Rådmenn"],
    )
    body = {
        "participant": parts.participants[0].pk,
        "scores": [{"alternative": 99999, "criterion": parts.criteria[0].pk, "value": 5}],
    }
    return f"/api/v1/comparisons/{comparison.pk}/scores{lang}", body


def test_an_alternative_not_in_the_comparison_is_refused_in_bokmal(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    url, body = _scores(client, ks, secretariat)
    problem = assert_problem(api_call(client, "PUT", url, body, secretariat), 422)
    assert [(e["loc"], e["msg"]) for e in problem["errors"]] == [
        (["scores.0.alternative"], "Alternativet hører ikke til sammenligningen «Modeller».")
    ]
    body["scores"][0] |= {"alternative": body["scores"][0]["criterion"], "criterion": 99999}
    problem = assert_problem(api_call(client, "PUT", url, body, secretariat), 422)
    assert problem["errors"][0]["msg"] != "No such alternative here."


def test_the_refusals_are_english_when_asked(client: Client, ks: Arena, secretariat: Any) -> None:
    url, body = _scores(client, ks, secretariat, "?lang=en")
    problem = assert_problem(api_call(client, "PUT", url, body, secretariat), 422)
    assert problem["errors"][0]["msg"] == (
        "The alternative does not belong to the comparison “Modeller”."
    )


def test_an_unknown_criterion_and_municipality_are_refused_in_bokmal(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    url, body = _scores(client, ks, secretariat)
    alternative = client.get(url.replace("/scores", "")).json()["alternatives"][0]["id"]
    body["scores"][0] |= {"alternative": alternative, "criterion": 99999}
    problem = assert_problem(api_call(client, "PUT", url, body, secretariat), 422)
    assert [(e["loc"], e["msg"]) for e in problem["errors"]] == [
        (["scores.0.criterion"], "Kriteriet hører ikke til sammenligningen «Modeller».")
    ]
    participants = url.replace("/scores", "/participants")
    problem = assert_problem(
        api_call(
            client, "POST", participants, {"name": "Ordførere", "municipality": "9999"}, secretariat
        ),
        422,
    )
    assert [(e["loc"], e["msg"]) for e in problem["errors"]] == [
        (["municipality"], "Ukjent kommunenummer: 9999.")
    ]


def test_a_null_in_a_patch_is_refused_in_bokmal(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    proposal = new_proposal(ks, secretariat)
    problem = assert_problem(
        api_call(
            client,
            "PATCH",
            f"/api/v1/proposals/{proposal.pk}",
            {"version": proposal.version, "title": None},
            secretariat,
        ),
        422,
    )
    assert [(e["loc"], e["msg"]) for e in problem["errors"]] == [
        (["title"], "Feltet kan ikke være tomt.")
    ]
