from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samarbeid.reminders.models import KINDS, ReminderSettings


class ReminderSettingsForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("Påminnelser om"),
        choices=KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Bare det som gjelder dine roller kommer med."),
    )

    class Meta:
        model = ReminderSettings
        fields = ["kinds", "frequency", "language"]
        widgets = {"frequency": forms.RadioSelect}

    def clean_kinds(self) -> list[str]:
        chosen: list[Any] = self.cleaned_data["kinds"]
        return [slug for slug, _label in KINDS if slug in chosen]  # in the page's order
