"""A question's bounds on themes say the same words in the API as on the page (an
integrator's trial: the page said «Høyst 10 temaer.», the API «Kan være høyst 10.»)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import api_call, login
from samarbeid.review.tests.api_helpers import assert_problem
from samarbeid.workshops.models import Question, Workshop
from samarbeid.workshops.services.workshops import create_question

pytestmark = pytest.mark.django_db

RANKED = {"label": "A", "order": 1, "kind": "ranked", "text": "Hva bør vi samarbeide om?"}


def _page_errors(client: Client, url: str, values: dict[str, Any]) -> dict[str, list[str]]:
    response = client.post(url, values)
    assert response.status_code == 200
    return dict(response.context["form"].errors)


@pytest.mark.parametrize(
    ("bounds", "field", "message"),
    [
        ({"min_themes": 1, "max_themes": 500}, "max_themes", "Høyst 10 temaer."),
        ({"min_themes": 0, "max_themes": 5}, "min_themes", "Minst ett tema."),
    ],
)
def test_a_question_with_too_many_or_too_few_themes(
    client: Client,
    secretariat: Any,
    workshop: Workshop,
    bounds: dict[str, int],
    field: str,
    message: str,
) -> None:
    login(client, secretariat)
    page = reverse("workshops:question_create", args=[workshop.pk])
    assert _page_errors(client, page, RANKED | bounds) == {field: [message]}
    client.logout()
    api = f"/api/v1/workshops/{workshop.pk}/questions"
    body = assert_problem(api_call(client, "POST", api, RANKED | bounds, secretariat), 422)
    assert [(e["loc"], e["msg"]) for e in body["errors"]] == [([field], message)]
    question = create_question(
        Question(workshop=workshop, **RANKED, min_themes=1, max_themes=5), actor=secretariat
    )
    body = assert_problem(
        api_call(
            client,
            "PATCH",
            f"/api/v1/workshop-questions/{question.pk}",
            {"version": question.version} | bounds,
            secretariat,
        ),
        422,
    )
    assert [(e["loc"], e["msg"]) for e in body["errors"]] == [([field], message)]
    assert workshop.questions.count() == 1
