"""A field of several choices is one group with its name above it (WCAG 1.3.1, 3.3.2): the
shared field partial renders checkboxes and radio buttons as a fieldset whose legend comes
before the first box, with the help text under the legend — on every page that uses it."""

import re

from django import forms
from django.template.loader import render_to_string


class Choices(forms.Form):
    municipalities = forms.MultipleChoiceField(
        label="Kommuner",
        choices=[("3909", "3909 Larvik"), ("3907", "3907 Sandefjord")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Kommunene som vedtaket gjelder.",
    )
    frequency = forms.ChoiceField(
        label="Hvor ofte",
        choices=[("daily", "Daglig"), ("weekly", "Ukentlig")],
        widget=forms.RadioSelect,
    )


def render(field: forms.BoundField) -> str:
    return render_to_string("partials/field.html", {"field": field})


def test_checkboxes_are_a_fieldset_with_the_label_as_legend_above_the_boxes() -> None:
    html = render(Choices()["municipalities"])
    legend = re.search(r"<legend[^>]*>\s*Kommuner", html)
    assert "<fieldset" in html
    assert legend, html
    help_at = html.index("Kommunene som vedtaket gjelder.")
    first_box = html.index('type="checkbox"')
    assert legend.start() < help_at < first_box
    # each box keeps its own label
    assert re.search(r'<label[^>]*for="id_municipalities_0"[^>]*>3909 Larvik</label>', html)
    # no label pointing at the group as if it were one input
    assert 'for="id_municipalities"' not in html


def test_radio_buttons_are_a_fieldset_too_and_errors_stay_in_it() -> None:
    form = Choices(data={"frequency": "yearly"})
    form.is_valid()
    html = render(form["frequency"])
    assert re.search(r"<legend[^>]*>\s*Hvor ofte", html)
    assert html.index("<legend") < html.index('type="radio"')
    error_at = html.index("ds-validation-message")
    assert html.index('type="radio"') < error_at < html.index("</fieldset>")
