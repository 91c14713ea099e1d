"""The allocation components are declared once (lib.allocation.DECLARATION, issue 18 point
6) and reach the key's column, its form, the API (in and out), the planner and the split
from there: checked for every declared component, so a fifth one is checked too."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from conftest import login
from samarbeid.finance.api.keys import KeyIn, KeyOut, KeyPatch
from samarbeid.finance.api.preview import ParticipantIn, WeightsIn
from samarbeid.finance.components import MESSAGES
from samarbeid.finance.forms import KeyForm
from samarbeid.finance.models import AllocationKey
from samarbeid.finance.plan_inputs import FIGURES
from samarbeid.finance.planning import Planner
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026
from samarbeid.lib.allocation import COMPONENTS, DECLARATION, Component, Participant, Weights

pytestmark = pytest.mark.django_db

NAMES = [c.name for c in DECLARATION]
WITH_FIGURES = [c for c in DECLARATION if c.attribute]


@pytest.mark.parametrize("component", DECLARATION, ids=NAMES)
def test_a_declared_component_has_a_weight_everywhere(component: Component) -> None:
    assert component.name in COMPONENTS
    assert getattr(Weights(**{component.name: Decimal(100)}), component.name) == 100
    field = AllocationKey._meta.get_field(component.name)
    with translation.override("nb"):
        assert str(field.verbose_name) == f"{component.label} (%)"
    assert component.name in KeyForm.base_fields
    for schema in (KeyIn, KeyOut, KeyPatch, WeightsIn):
        assert component.name in schema.model_fields, schema


@pytest.mark.parametrize("component", WITH_FIGURES, ids=[c.name for c in WITH_FIGURES])
def test_a_component_with_a_figure_is_loaded_and_explained(component: Component) -> None:
    assert component.attribute in {f.name for f in fields(Participant)}
    assert component.attribute in ParticipantIn.model_fields
    assert component.name in FIGURES
    assert component.missing_code in MESSAGES


@pytest.mark.parametrize("component", DECLARATION, ids=NAMES)
def test_a_key_of_one_component_is_made_by_the_page_and_the_api_and_split(
    client, secretariat, component: Component
) -> None:
    arena = h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name="VF")
    login(client, secretariat)
    response = client.post(
        f"/okonomi/arena/{arena.pk}/nokler/ny/",
        {"name": "Side", **dict.fromkeys(COMPONENTS, "0"), component.name: "100"},
    )
    assert response.status_code == 302, response.content
    page_key = AllocationKey.objects.get(arena=arena, name="Side")
    assert page_key.weights == Weights(**{component.name: Decimal(100)})
    assert component.label in page_key.label

    response = client.post(
        "/api/v1/finance/keys",
        {"arena": arena.pk, "name": "API", component.name: "100"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()[component.name] == "100.00"
    api_key = AllocationKey.objects.get(pk=response.json()["id"])
    assert api_key.weights == page_key.weights

    wrong = {"version": api_key.version, component.name: "100.5"}
    response = client.patch(
        f"/api/v1/finance/keys/{api_key.pk}", wrong, content_type="application/json"
    )
    assert response.status_code == 422

    # The split: each member's figure is read (a key of the component over members without
    # one is refused with the component's own message); equal needs none.
    budget = h.budget(arena, 2026, "1000.00", page_key)
    planner = Planner([budget])
    if component.missing_code is None:
        assert sum(c.amount for c in planner.charges()) == Decimal("1000.00")
    else:
        with translation.override("nb"), pytest.raises(ValidationError) as refused:
            planner.charges()
        message = str(MESSAGES[component.missing_code]).split("%")[0]
        assert message in str(refused.value)
