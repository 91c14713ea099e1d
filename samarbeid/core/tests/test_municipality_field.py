"""Choosing a municipality (issue 19 point 8): those in use on the form's date first, the
former ones after them in their own group labelled with their years; one query; the same
choices accepted as before."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import login
from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.core.forms import DATE_INPUT
from samarbeid.core.municipality_field import MunicipalityChoiceField, exists_on
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db


class ChooseForm(forms.Form):
    on = forms.DateField(widget=DATE_INPUT, required=False)
    municipality = MunicipalityChoiceField(
        label="Kommune", queryset=Municipality.objects.all(), date_field="on"
    )


def _groups(html: str) -> tuple[list[str], dict[str, list[str]]]:
    """The top-level options' texts and each optgroup's options' texts."""
    groups = {
        label: re.findall(r"<option[^>]*>([^<]*)</option>", body)
        for label, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', html, re.S)
    }
    top = re.sub(r"<optgroup.*?</optgroup>", "", html, flags=re.S)
    return re.findall(r"<option[^>]*>([^<]*)</option>", top), groups


def test_today_the_current_come_first_and_the_former_in_their_own_group() -> None:
    top, groups = _groups(str(ChooseForm()["municipality"]))
    assert "3909 Larvik" in top
    assert not any("Lardal" in text for text in top)
    assert list(groups) == ["Tidligere kommuner"]
    assert "0728 Lardal (til 2017)" in groups["Tidligere kommuner"]
    assert "3805 Larvik (2020–2023)" in groups["Tidligere kommuner"]
    assert len(top) == 1 + Municipality.objects.current().count()  # and the empty choice


def test_the_forms_date_decides_what_was_in_use() -> None:
    form = ChooseForm(data={"on": "2010-06-01", "municipality": ""})
    top, groups = _groups(str(form["municipality"]))
    assert "0728 Lardal" in top
    assert "0709 Larvik" in top
    assert not any(text.startswith("3909") for text in top)
    assert list(groups) == ["Kommuner som ikke fantes 01.06.2010"]
    assert "3909 Larvik (fra 2024)" in groups["Kommuner som ikke fantes 01.06.2010"]


def test_a_former_municipality_is_still_accepted_and_the_options_carry_their_years() -> None:
    lardal = Municipality.objects.get(code="0728")
    form = ChooseForm(data={"municipality": str(lardal.pk)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["municipality"] == lardal
    html = str(form["municipality"])
    option = re.search(rf'<option value="{lardal.pk}"[^>]*>', html)
    assert option is not None
    assert 'data-to="2017-12-31"' in option.group(0)
    assert "selected" in option.group(0)
    assert "data-municipality-picker" in html


def test_rendering_the_choices_runs_one_query(django_assert_num_queries: Any) -> None:
    form = ChooseForm()
    with django_assert_num_queries(1):
        str(form["municipality"])


@settings(max_examples=25, deadline=None)
@given(day=st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)))
def test_every_municipality_is_offered_once_on_the_side_its_date_says(day: date) -> None:
    field = ChooseForm(data={"on": day.isoformat()}).fields["municipality"]
    assert isinstance(field, MunicipalityChoiceField)
    field.day = day
    seen: list[tuple[int, bool]] = []
    for value, label in field.choices:
        if isinstance(label, list):
            seen += [(v.value, False) for v, _label in label]
        elif value != "":
            seen.append((value.value, True))
    stored = {m.pk: exists_on(m, day) for m in Municipality.objects.all()}
    assert sorted(pk for pk, _first in seen) == sorted(stored)
    assert all(stored[pk] == first for pk, first in seen)


def test_the_membership_page_offers_them_by_the_date_joined(
    client: Client, secretariat: Any
) -> None:
    arena = ArenaFactory()
    login(client, secretariat)
    page = client.get(reverse("arenas:membership_create", args=[arena.pk])).content.decode()
    select = re.search(r'<select name="m-municipality".*?</select>', page, re.S)
    assert select is not None
    top, groups = _groups(select.group(0))
    assert "3909 Larvik" in top
    assert "0728 Lardal (til 2017)" in groups["Tidligere kommuner"]
    assert 'data-search-label="Finn kommunen: skriv nummer' in select.group(0)
