"""Typed weights are never silently replaced by a standard key (issue 17, point 1): on the
new-key page, the edit page and in the API, a standard key that disagrees with the weights
given is refused on its field, and nothing is saved; weights typed without one are stored
as typed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from conftest import api_call, login, problem_of
from samarbeid.finance.models import AllocationKey
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026
from samarbeid.lib.allocation import COMPONENTS, PRESETS, AllocationError, preset_weights

JSON = "application/json"
TYPED_60_40 = {"equal": "60", "per_capita": "40", "usage": "0", "fixed": "0"}


@pytest.fixture
def arena(db: None) -> Any:
    return h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name="VF")


def _errors_on_preset(response: Any) -> list[str]:
    form = response.context["form"]
    return list(form.errors.get("preset", []))


# The page -------------------------------------------------------------------------------------


def test_new_key_page_chooses_no_standard_key(client: Client, arena: Any, secretariat: Any) -> None:
    login(client, secretariat)
    page = client.get(reverse("finance:key_create", args=[arena.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    # "Egendefinert" is chosen: without the script, a standard key never overrides.
    assert '<option value="" selected>' in content
    assert 'value="50/50" selected' not in content
    assert "js/key-preset.js" in content


def test_typed_weights_without_standard_key_are_stored_as_typed(
    client: Client, arena: Any, secretariat: Any
) -> None:
    login(client, secretariat)
    url = reverse("finance:key_create", args=[arena.pk])
    response = client.post(url, {"name": "60/40", "preset": "", **TYPED_60_40})
    assert response.status_code == 302
    key = AllocationKey.objects.get(name="60/40")
    assert (key.equal, key.per_capita, key.usage, key.fixed) == (60, 40, 0, 0)


def test_standard_key_disagreeing_with_typed_weights_is_refused(
    client: Client, arena: Any, secretariat: Any
) -> None:
    login(client, secretariat)
    url = reverse("finance:key_create", args=[arena.pk])
    response = client.post(url, {"name": "60/40", "preset": "50/50", **TYPED_60_40})
    assert response.status_code == 200
    errors = _errors_on_preset(response)
    assert errors
    assert "stemmer ikke med vektene" in errors[0]
    assert "50 % likt + 50 % per innbygger" in errors[0]
    assert not AllocationKey.objects.filter(arena=arena).exists()
    # the typed weights are shown again as typed
    form = response.context["form"]
    assert form["equal"].value() == "60"
    assert form["per_capita"].value() == "40"


def test_standard_key_agreeing_with_typed_weights_is_stored(
    client: Client, arena: Any, secretariat: Any
) -> None:
    login(client, secretariat)
    url = reverse("finance:key_create", args=[arena.pk])
    typed = {"equal": "50", "per_capita": "50.00", "usage": "", "fixed": "0"}
    response = client.post(url, {"name": "Halv", "preset": "50/50", **typed})
    assert response.status_code == 302, response.context["form"].errors
    key = AllocationKey.objects.get(name="Halv")
    assert (key.equal, key.per_capita, key.usage, key.fixed) == (50, 50, 0, 0)


def test_edit_page_refuses_a_disagreeing_standard_key(
    client: Client, arena: Any, secretariat: Any
) -> None:
    key = h.key(arena, 100, 0, name="Likt")
    login(client, secretariat)
    page = client.get(reverse("finance:key_edit", args=[key.pk]))
    assert '<option value="" selected>' in page.content.decode()
    data = {"name": "Likt", "version": key.version, "preset": "30/70", **TYPED_60_40}
    response = client.post(reverse("finance:key_edit", args=[key.pk]), data)
    assert response.status_code == 200
    assert _errors_on_preset(response)
    key.refresh_from_db()
    assert (key.equal, key.per_capita, key.version) == (100, 0, 1)
    stored = client.post(reverse("finance:key_edit", args=[key.pk]), {**data, "preset": ""})
    assert stored.status_code == 302
    key.refresh_from_db()
    assert (key.equal, key.per_capita) == (60, 40)


# The API --------------------------------------------------------------------------------------


def test_api_refuses_a_disagreeing_standard_key(
    client: Client, arena: Any, secretariat: Any
) -> None:
    client.force_login(secretariat)
    body = {"arena": arena.pk, "name": "60/40", "preset": "50/50", **TYPED_60_40}
    refused = problem_of(api_call(client, "POST", "/api/v1/finance/keys", body), 422)
    assert "stemmer ikke med vektene" in refused["detail"]
    assert refused["errors"][0]["loc"] == ["preset"]
    assert not AllocationKey.objects.filter(arena=arena).exists()
    unknown = problem_of(
        api_call(client, "POST", "/api/v1/finance/keys", {**body, "preset": "x"}), 422
    )
    assert unknown["errors"][0]["loc"] == ["preset"]

    typed = api_call(client, "POST", "/api/v1/finance/keys", {**body, "preset": None})
    assert typed.status_code == 201, typed.content
    assert (typed.json()["equal"], typed.json()["per_capita"]) == ("60.00", "40.00")
    filled = api_call(
        client, "POST", "/api/v1/finance/keys", {"arena": arena.pk, "name": "S", "preset": "30/70"}
    )
    assert filled.status_code == 201, filled.content
    assert (filled.json()["equal"], filled.json()["per_capita"]) == ("30.00", "70.00")

    key = AllocationKey.objects.get(name="60/40")
    url = f"/api/v1/finance/keys/{key.pk}"
    patch = {"version": key.version, "preset": "equal", "equal": "60"}
    problem_of(api_call(client, "PATCH", url, patch), 422)
    key.refresh_from_db()
    assert (key.equal, key.per_capita, key.version) == (60, 40, 1)
    changed = api_call(client, "PATCH", url, {"version": key.version, "preset": "equal"})
    assert changed.status_code == 200, changed.content
    key.refresh_from_db()
    assert (key.equal, key.per_capita) == (100, 0)


# The rule -------------------------------------------------------------------------------------

weight = st.one_of(st.none(), st.integers(0, 100).map(Decimal))


@given(
    preset=st.sampled_from(["", *PRESETS]),
    typed=st.fixed_dictionaries(dict.fromkeys(COMPONENTS, weight)),
)
def test_the_stored_weights_are_those_given_or_refused(
    preset: str, typed: dict[str, Decimal | None]
) -> None:
    """Whatever is given, every weight given is stored as given, or the whole is refused."""
    try:
        weights = preset_weights(preset, typed)
    except AllocationError as exc:
        assert preset
        assert exc.code == "preset_disagrees"  # noqa: PT017 - a property test: refusal is one allowed outcome
        wanted = PRESETS[preset].as_dict()
        assert any(v is not None and v != wanted[n] for n, v in typed.items())
        return
    for name, value in typed.items():
        stored = getattr(weights, name)
        if value is not None:
            assert stored == value
        else:
            assert stored == (PRESETS[preset].as_dict()[name] if preset else 0)
