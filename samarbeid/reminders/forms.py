from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samarbeid.core.forms import MISSING_VERSION, VersionedForm
from samarbeid.reminders.digest import kinds_for
from samarbeid.reminders.models import KINDS, ReminderSettings
from samarbeid.reminders.services import NEVER_SAVED


class ReminderSettingsForm(VersionedForm):
    # the version the edit started from; NEVER_SAVED when the form showed the defaults
    version = forms.IntegerField(
        label=_("Versjon"),
        widget=forms.HiddenInput,
        min_value=NEVER_SAVED,
        error_messages={"required": MISSING_VERSION},
    )
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

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].required = True  # unsaved settings too: NEVER_SAVED
        if not self.instance.pk:
            self.initial["version"] = NEVER_SAVED
        # only the kinds the user's roles can receive (kinds_for: the sender's rule too)
        self.offered = kinds_for(user)
        # kinds not offered keep their saved choice (for a role the user may get later)
        self.kept = [slug for slug in self.instance.kinds if slug not in self.offered]
        field = self.fields["kinds"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(slug, label) for slug, label in KINDS if slug in self.offered]

    def clean_kinds(self) -> list[str]:
        chosen: list[Any] = self.cleaned_data["kinds"]
        return [slug for slug, _label in KINDS if slug in chosen]  # in the list's order

    def changes(self) -> dict[str, Any]:
        changes = super().changes()
        if "kinds" in changes:
            chosen = changes["kinds"]
            changes["kinds"] = [s for s, _label in KINDS if s in chosen or s in self.kept]
        return changes

    def as_offered(self, stored: ReminderSettings) -> ReminderSettings:
        """`stored` as this form offers it (for the conflict's box: what is stored and what
        was chosen, field by field): only the kinds the user's roles get, in the list's
        order, so a kind kept for a later role is neither shown nor counted as a change."""
        shown = copy.copy(stored)
        shown.kinds = [
            slug for slug, _label in KINDS if slug in stored.kinds and slug in self.offered
        ]
        return shown
