"""Every form error on a page names its field (clerk's trial: "Velg et gyldig valg. …" stood
alone): the summary above the form names it, the message under the field says it to a
screen reader (it is read with the field), and a service's error about a field the form
does not have is shown above the form with the field's name (where the form's record has
such a field: a name made of the field's code, «Meeting date», is no bokmål)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import login
from samarbeid.core.forms import apply_validation_error
from samarbeid.core.linked_text import LinkedText
from samarbeid.finance.forms import BudgetForm
from samarbeid.finance.tests import helpers as h

pytestmark = pytest.mark.django_db


def test_a_choice_error_names_its_field_on_the_page(client: Client, secretariat: Any) -> None:
    h.arena(["3905", "3909"], date(2025, 1, 1))
    login(client, secretariat)
    response = client.post(
        "/okonomi/fakturareferanser/ny/",
        {"municipality": "99999", "arena": "", "reference": "abc"},
    )
    content = response.content.decode()
    assert response.status_code == 422
    # the summary
    assert '<a class="ds-link" href="#id_municipality">Kommune: Velg et gyldig valg.' in content
    # under the field, read with it
    assert (
        '<p class="ds-validation-message" data-color="danger">'
        '<span class="ds-sr-only">Kommune: </span>Velg et gyldig valg.'
    ) in content


def test_a_service_error_on_a_field_the_form_lacks_names_it() -> None:
    form = BudgetForm(data={"year": "2026", "administration_cost": "0", "note": ""})
    assert form.is_valid(), form.errors
    apply_validation_error(
        form,
        ValidationError(
            {
                "arena": ["Velg et gyldig valg."],
                "year": ["Året finnes alt."],
                "__all__": ["Budsjettet er låst."],
                "something_else": ["Feil."],
            }
        ),
    )
    assert form.errors["year"] == ["Året finnes alt."]
    assert sorted(str(e) for e in form.non_field_errors()) == [
        "Arena: Velg et gyldig valg.",
        "Budsjettet er låst.",
        "Feil.",  # no field of a budget: said without a made-up name
    ]


def test_a_named_linked_error_keeps_its_link() -> None:
    form = BudgetForm(data={"year": "2026", "administration_cost": "0", "note": ""})
    form.is_valid()
    apply_validation_error(
        form, ValidationError({"arena": [LinkedText("Mangler folketall", "/x/", "Registrer")]})
    )
    (error,) = form.non_field_errors().as_data()
    (message,) = error.messages
    assert message == "Arena: Mangler folketall"
    assert (
        message.__html__() == 'Arena: Mangler folketall <a class="ds-link" href="/x/">Registrer</a>'
    )


def test_a_service_error_on_a_field_no_record_of_the_form_has_is_said_without_a_name() -> None:
    """Found in a clerk's trial: a vote's form (no model) showed governance's refusal on
    `meeting_date` as «Meeting date: Vedtaket kan ikke være datert …» on a bokmål page."""

    class VoteForm(forms.Form):
        rule = forms.CharField()

    form = VoteForm(data={"rule": "majority"})
    assert form.is_valid()
    apply_validation_error(
        form, ValidationError({"meeting_date": ["Vedtaket kan ikke være datert før saken."]})
    )
    assert [str(e) for e in form.non_field_errors()] == ["Vedtaket kan ikke være datert før saken."]
