"""The shared POST form (partials/post_form.html) serves every page's form of that shape: a
form beside others on a page posts elsewhere with a secondary button and no way back, a file
form sends multipart, a confirmation refused says «Tilbake» without a button, and a list of
choices with none says what the page wants said."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.test import RequestFactory


class Upload(forms.Form):
    file = forms.FileField(label="Fil")
    version = forms.IntegerField(widget=forms.HiddenInput, initial=3)


class Attendance(forms.Form):
    members = forms.MultipleChoiceField(
        label="Til stede", choices=[], widget=forms.CheckboxSelectMultiple, required=False
    )


def render(form: forms.Form, **options: Any) -> str:
    request = RequestFactory().get("/")
    return render_to_string("partials/post_form.html", {"form": form, **options}, request)


def test_a_page_form_posts_to_itself_with_its_way_back_whatever_the_page_refuses() -> None:
    # a refusal on an edit page (a grant of an invoiced budget) is the page's, not the form's
    html = render(Upload(), submit="Lagre", cancel="/moter/1/", hidden=True, refusal="Nei.")
    assert re.search(r'<form method="post" class="form" novalidate>', html)
    assert 'name="version"' in html
    assert ">Lagre</button>" in html
    assert '<a class="ds-link" href="/moter/1/">Avbryt</a>' in html


def test_a_form_beside_others_posts_elsewhere_with_a_secondary_button_and_no_way_back() -> None:
    html = render(
        Upload(), submit="Lagre forbruk", post_to="/okonomi/nokler/1/forbruk/", variant="secondary"
    )
    assert 'action="/okonomi/nokler/1/forbruk/"' in html
    assert (
        '<button class="ds-button" data-variant="secondary" type="submit">Lagre forbruk</button>'
        in html
    )
    assert "Avbryt" not in html
    assert 'name="version"' not in html  # hidden fields only when asked for


def test_a_file_form_sends_multipart() -> None:
    html = render(Upload(), submit="Lagre", cancel="/", hidden=True, multipart=True)
    assert 'enctype="multipart/form-data"' in html
    assert "enctype" not in render(Upload(), submit="Lagre", cancel="/")


def test_a_refused_confirmation_has_no_button_and_goes_back() -> None:
    asked = render(Upload(), submit="Slett", cancel="/moter/1/", confirm=True)
    assert 'data-color="danger" type="submit">Slett</button>' in asked
    assert ">Avbryt</a>" in asked
    refused = render(
        Upload(), submit="Slett", cancel="/moter/1/", confirm=True, refusal="Møtet er holdt."
    )
    assert "<button" not in refused
    assert '<a class="ds-link" href="/moter/1/">Tilbake</a>' in refused
    assert 'name="version"' in refused  # a confirmation carries the version it read


def test_a_list_of_choices_with_none_says_what_the_page_wants_said() -> None:
    said = render(
        Attendance(), submit="Lagre", cancel="/", no_choices="Organet har ingen medlemmer."
    )
    assert "Organet har ingen medlemmer." in said
    assert "<fieldset" in said
    assert "<legend" in said
    assert "Ingen å velge." in render(Attendance(), submit="Lagre", cancel="/")
