"""The API's OpenAPI document is what the interactive docs (/api/v1/docs) and every client
generator read: it must be valid JSON for a strict parser — no object with the same key
twice. An operation's declared 422 (an int in django-ninja) beside the "422" the document
adds for every operation with input was written twice, and Swagger refused the whole
document ("duplicated mapping key")."""

import json
from collections import Counter
from typing import Any

import pytest
from django.test import Client


def _strict(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    twice = [key for key, n in Counter(key for key, _ in pairs).items() if n > 1]
    if twice:
        raise ValueError(f"the same key twice: {twice}")
    return dict(pairs)


@pytest.fixture
def document(client: Client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    parsed: dict[str, Any] = json.loads(response.content, object_pairs_hook=_strict)
    return parsed


@pytest.mark.django_db
def test_no_object_in_the_document_has_a_key_twice(document: dict[str, Any]) -> None:
    assert document["paths"]  # parsed strictly by the fixture


@pytest.mark.django_db
def test_every_answer_is_keyed_by_its_status_once(document: dict[str, Any]) -> None:
    notice = document["paths"]["/api/v1/meetings/{meeting_id}/notice"]["post"]["responses"]
    assert notice["422"]["description"] == "Unprocessable Entity"
    assert notice["401"]["content"]["application/problem+json"]
    for operations in document["paths"].values():
        for operation in operations.values():
            for code in operation.get("responses", {}):
                assert isinstance(code, str)
                assert code.isdigit()
                assert len(code) == 3
