from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    UserChangeForm,
    UsernameField,
)
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core import signing
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from samarbeid.accounts.models import Role, RoleAssignment
from samarbeid.accounts.passwords import RulesOnFirstField
from samarbeid.accounts.services import (
    CONTACT_FIELDS,
    DUPLICATE_EMAIL,
    USERNAME_TAKEN,
    contact_of,
    email_taken,
    username_taken,
)
from samarbeid.core.choice_fields import ToldApartChoiceField
from samarbeid.core.edit_merge import merge_values
from samarbeid.core.forms import MISSING_VERSION


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Navn på nøkkelen"),
        max_length=100,
        help_text=_("Hva skal nøkkelen brukes til? F.eks. «import fra sak/arkiv»."),
    )


def person_label(user: Any) -> str:
    """A user as a clerk knows them: «Kari Nordmann (koordinator-larvik)», or the user name
    alone when no name is recorded."""
    name = user.get_full_name().strip()
    return f"{name} ({user.get_username()})" if name else user.get_username()


def role_label(assignment: RoleAssignment) -> str:
    """A role with what it covers, as the role list shows it: «sekretariat i Tolvkommune
    (12K)», «kommunekoordinator i Larvik», «sekretariat i alle arenaer», «leser»."""
    role = assignment.get_role_display()
    if assignment.arena is not None:
        scope = f"{assignment.arena.name} ({assignment.arena.short_name})"
    elif assignment.municipality is not None:
        scope = str(assignment.municipality)
    elif assignment.role == Role.SECRETARIAT:
        scope = str(_("alle arenaer"))
    else:
        return str(role)
    return str(_("%(role)s i %(scope)s") % {"role": role, "scope": scope})


class RoleForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "arena", "municipality"]
        # arenas that share a name (the arenas app names none here: core's field)
        field_classes = {"arena": ToldApartChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = dict(self.fields)
        fields["user"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("username")
        )
        fields["user"].label = _("Bruker")
        fields["user"].label_from_instance = person_label
        # The register's own queryset (accounts sits below the register and names it not)
        municipalities = fields["municipality"].queryset
        fields["municipality"].queryset = municipalities.current().order_by("number")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("role") == "coordinator" and not cleaned.get("municipality"):
            self.add_error("municipality", _("En kommunekoordinator må ha en kommune."))
        return cleaned


class NewUserForm(forms.Form):
    """A new user (accounts.services.create_user checks and makes it): no password here,
    the user chooses one by the link sent to the address."""

    username = UsernameField(
        label=_("Brukernavn"),
        max_length=150,
        help_text=_("Det brukeren logger inn med, f.eks. «kari.nordmann»."),
        validators=[UnicodeUsernameValidator()],
    )
    first_name = forms.CharField(label=_("Fornavn"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Etternavn"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-postadresse"),
        help_text=_("Lenken for å velge passord sendes hit, og senere påminnelser og varsler."),
    )

    def clean_username(self) -> str:
        # here, not only in the service: said with an error in the address, not after it
        username: str = self.cleaned_data.get("username") or ""
        if username_taken(username):
            raise forms.ValidationError(USERNAME_TAKEN, code="username_taken")
        return username

    def clean_email(self) -> str:
        email: str = self.cleaned_data.get("email") or ""
        if email_taken(email):
            raise forms.ValidationError(DUPLICATE_EMAIL, code="duplicate_email")
        return email


_OPENED_SALT = "accounts.contact.opened"


def opened_field(values: dict[str, str]) -> str:
    """The hidden field's value: the contact details the form was opened with, signed."""
    return signing.dumps(values, salt=_OPENED_SALT, compress=True)


class ContactForm(forms.Form):
    """A user's name and e-mail address (accounts.services.set_contact saves them). The user
    record has no version: the form carries the values it was opened with (`opened`,
    signed), and the service refuses the save when the stored values differ from them."""

    opened = forms.CharField(
        label=_("Versjon"),
        widget=forms.HiddenInput,
        strip=False,
        error_messages={"required": MISSING_VERSION},
    )

    first_name = forms.CharField(label=_("Fornavn"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Etternavn"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-postadresse"),
        required=False,
        help_text=_("Påminnelser og varsler sendes hit."),
    )

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        stored = contact_of(person)
        kwargs["initial"] = {**stored, "opened": opened_field(stored), **kwargs["initial"]}
        super().__init__(*args, **kwargs)

    def clean_opened(self) -> dict[str, str]:
        try:
            values = signing.loads(self.cleaned_data["opened"], salt=_OPENED_SALT)
        except signing.BadSignature:
            raise forms.ValidationError(MISSING_VERSION) from None
        if not isinstance(values, dict) or set(values) != set(CONTACT_FIELDS):
            raise forms.ValidationError(MISSING_VERSION)
        return {field: str(values[field]) for field in CONTACT_FIELDS}

    def changes(self) -> dict[str, str]:
        return {field: self.cleaned_data[field] for field in CONTACT_FIELDS}

    def reopen(self, stored: Any) -> None:
        """After a conflict: the form (the user's entry kept, what others saved in the
        fields the user left alone taken in, `core.edit_merge`) now starts from the values
        as stored, so saving it again is a choice made having seen them; the conflict box
        names what the others changed."""
        now = contact_of(stored)
        self.others_changed = merge_values(self, self.cleaned_data["opened"], now)
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data["opened"] = opened_field(now)
        self.data = data


# Users are made (and their details changed) in the admin: its forms keep the rule the
# contact page's service keeps (`accounts.services.check_email_free`), one address a user.


class UserWithAddressCreationForm(RulesOnFirstField, AdminUserCreationForm):
    """The admin's new user, with an e-mail address no other user has (or none); a
    password's refusals under its first field (`RulesOnFirstField`)."""

    class Meta:  # UserCreationForm's, with the address
        model = get_user_model()
        fields = ("username", "email")
        field_classes = {"username": UsernameField}

    def clean_username(self) -> str:
        # here, not only in the service: said with an error in the address, not after it
        username: str = self.cleaned_data.get("username") or ""
        if username_taken(username):
            raise forms.ValidationError(USERNAME_TAKEN, code="username_taken")
        return username

    def clean_email(self) -> str:
        email: str = self.cleaned_data.get("email") or ""
        if email_taken(email):
            raise forms.ValidationError(DUPLICATE_EMAIL, code="duplicate_email")
        return email


class UserWithAddressChangeForm(UserChangeForm):
    """The admin's change of a user: a new e-mail address no other user has (an unchanged
    one, a duplicate from before the rule, stays)."""

    def clean_email(self) -> str:
        email: str = self.cleaned_data.get("email") or ""
        if email_taken(email, user=self.instance if self.instance.pk else None):
            raise forms.ValidationError(DUPLICATE_EMAIL, code="duplicate_email")
        return email


class PasswordChangeByAdminForm(RulesOnFirstField, AdminPasswordChangeForm):
    """The admin's «change password» of a user: Django's, a password's refusals under its
    first field (`RulesOnFirstField`)."""
