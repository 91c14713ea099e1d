"""The API tells a body that does not fit its schema in the request's language: each pydantic
error type is worded by core.api_messages with the limits pydantic gives, never in pydantic's
English (issue 19 point 1)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

import pytest
from django.utils import translation
from pydantic import BaseModel, Field, ValidationError

from samarbeid.core import api_messages


class Body(BaseModel):
    title: str = Field(max_length=5)
    count: int = Field(ge=1)
    amount: Decimal = Field(decimal_places=2)
    day: datetime.date
    kind: Literal["a", "b"]
    names: list[str] = Field(min_length=1)


VALID: dict[str, Any] = {
    "title": "ok",
    "count": 1,
    "amount": "1.00",
    "day": "2024-05-02",
    "kind": "a",
    "names": ["x"],
}
CASES = [
    ("title", "for lang tittel", "Kan ha høyst 5 tegn.", "May have at most 5 characters."),
    ("count", 0, "Skal være minst 1.", "Must be at least 1."),
    ("count", "x", "Skal være et heltall.", "Must be a whole number."),
    ("amount", "1.005", "Kan ha høyst 2 desimaler.", "May have at most 2 decimals."),
    (
        "day",
        "02.05.2024",
        "Skal være en dato, f.eks. 2024-05-02.",
        "Must be a date, e.g. 2024-05-02.",
    ),
    ("kind", "c", "Skal være en av: 'a' eller 'b'.", "Must be one of: 'a' or 'b'."),
    ("names", [], "Skal ha minst 1 element.", "Must have at least 1 item(s)."),
]


def _errors(field: str, value: Any) -> list[Any]:
    with pytest.raises(ValidationError) as caught:
        Body(**{**VALID, field: value})
    return caught.value.errors()


@pytest.mark.parametrize(("field", "value", "bokmal", "english"), CASES)
def test_each_error_in_the_requests_language(
    field: str, value: Any, bokmal: str, english: str
) -> None:
    (error,) = _errors(field, value)
    with translation.override("nb"):
        assert api_messages.message(error) == bokmal
    with translation.override("en"):
        assert api_messages.message(error) == english


def test_a_missing_field_and_an_unknown_type() -> None:
    with pytest.raises(ValidationError) as caught:
        Body(**{k: v for k, v in VALID.items() if k != "title"})
    (missing,) = caught.value.errors()
    with translation.override("nb"):
        assert api_messages.message(missing) == "Feltet er påkrevd."
        assert api_messages.message({"type": "no_such_type", "msg": "Input x"}) == "Ugyldig verdi."
        # our own checks' words are kept as they are
        assert (
            api_messages.message({"type": "strict_type", "msg": "Ukjent felt."}) == "Ukjent felt."
        )


@pytest.mark.django_db
def test_the_api_answers_a_wrong_type_in_bokmal(client: Any) -> None:
    response = client.post(
        "/api/v1/allocations/preview",
        data={"total": "1000.00", "weights": {"equal": "x"}, "participants": []},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == [
        {
            "loc": ["body", "payload", "weights", "equal"],
            "msg": 'Skal være et tall, f.eks. "1000.50".',
        }
    ]
    assert "Input should" not in response.content.decode()


@pytest.mark.django_db
def test_the_apis_own_refusals_are_in_the_requests_language(client: Any) -> None:
    """Django's "No Project matches the given query." and the API's English defaults were
    answered to every client (a clerk's trial)."""
    missing = client.get("/api/v1/projects/999999")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Finnes ikke."
    assert client.get("/api/v1/projects/999999?lang=en").json()["detail"] == "Not found."
    unreadable = client.post(
        "/api/v1/allocations/preview", data="{nei", content_type="application/json"
    )
    assert unreadable.status_code == 400
    assert unreadable.json()["detail"] == "Innholdet kan ikke leses som JSON."
    anonymous = client.post("/api/v1/arenas", data="{}", content_type="application/json")
    assert anonymous.status_code == 401
    assert anonymous.json()["detail"] == "Det trengs en gyldig API-nøkkel."


def test_an_empty_text_reads_as_a_missing_one() -> None:
    """An integrator's trial: the page says «Feltet er påkrevd.» of an empty title, the API
    said «Skal ha minst 1 tegn.»; a longer minimum keeps its number."""

    class Titled(BaseModel):
        title: str = Field(min_length=1)
        code: str = Field(min_length=3)

    with pytest.raises(ValidationError) as caught:
        Titled(title="", code="ab")
    empty, short = caught.value.errors()
    with translation.override("nb"):
        assert api_messages.message(empty) == "Feltet er påkrevd."
        assert api_messages.message(short) == "Skal ha minst 3 tegn."
    with translation.override("en"):
        assert api_messages.message(empty) == "This field is required."


@pytest.mark.django_db
def test_the_door_refuses_in_the_requests_language(client: Any, secretariat: Any) -> None:
    """An integrator's trial: the NUL character and a body too large were refused in
    English to every client."""
    from conftest import bearer  # the fixtures' helper, as the API tests use it

    nul = client.post(
        "/api/v1/arenas",
        data='{"name": "a\\u0000b"}',
        content_type="application/json",
        headers=bearer(secretariat),
    )
    assert nul.status_code == 422
    assert nul.json()["detail"] == "Teksten kan ikke inneholde NUL-tegnet."
    english = client.post(
        "/api/v1/arenas?lang=en",
        data='{"name": "a\\u0000b"}',
        content_type="application/json",
        headers=bearer(secretariat),
    )
    assert english.json()["detail"] == "Text must not contain the NUL character."
    large = client.post(
        "/api/v1/arenas",
        data="x",
        content_type="application/json",
        CONTENT_LENGTH=str(100 * 1024 * 1024),
    )
    assert large.status_code == 413
    assert large.json()["detail"] == "Innholdet i forespørselen er for stort."
