from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from samarbeid.accounts.models import RoleAssignment


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Navn på nøkkelen"),
        max_length=100,
        help_text=_("Hva skal nøkkelen brukes til? F.eks. «import fra sak/arkiv»."),
    )


class RoleForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "arena", "municipality"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = dict(self.fields)
        fields["user"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("username")
        )
        fields["user"].label = _("Bruker")
        # The register's own queryset (accounts sits below the register and names it not)
        municipalities = fields["municipality"].queryset
        fields["municipality"].queryset = municipalities.current().order_by("number")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("role") == "coordinator" and not cleaned.get("municipality"):
            self.add_error("municipality", _("En kommunekoordinator må ha en kommune."))
        return cleaned


class ContactForm(forms.Form):
    """A user's name and e-mail address (accounts.services.set_contact saves them)."""

    first_name = forms.CharField(label=_("Fornavn"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Etternavn"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-postadresse"),
        required=False,
        help_text=_("Påminnelser og varsler sendes hit."),
    )
