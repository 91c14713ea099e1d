"""A municipality the API cannot find is answered in the reader's language, in the words the
pages use (a clerk's trial got the English «No municipality 9999» in a bokmål answer)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import problem_of
from samarbeid.registry.tests.helpers import put_population

pytestmark = pytest.mark.django_db


def _detail(client: Client, url: str) -> Any:
    return problem_of(client.get(url), 404)["detail"]


def test_an_unknown_number(client: Client) -> None:
    assert _detail(client, "/api/v1/municipalities/9999") == "Ingen kommune har nummeret 9999."
    assert (
        _detail(client, "/api/v1/municipalities/9999?at=2020-01-01")
        == "Ingen kommune hadde nummeret 9999 den 01.01.2020."
    )


def test_a_number_that_is_not_four_digits(client: Client) -> None:
    assert (
        _detail(client, "/api/v1/municipalities/39a1")
        == "Et kommunenummer har fire sifre, som 3905."
    )


def test_in_english_on_request(client: Client) -> None:
    assert (
        _detail(client, "/api/v1/municipalities/9999?lang=en")
        == "No municipality has the number 9999."
    )


def test_a_population_figure_for_an_unknown_number(client: Client, secretariat: Any) -> None:
    problem = problem_of(put_population(client, secretariat, "9999", 2020, count=100), 404)
    assert problem["detail"] == "Ingen kommune hadde nummeret 9999 den 01.01.2020."
