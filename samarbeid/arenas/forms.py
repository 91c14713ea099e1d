from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samarbeid.arenas.choice_field import ArenaChoiceField
from samarbeid.arenas.models import Arena, Membership
from samarbeid.arenas.services import anchor_decision, membership_problems
from samarbeid.core.forms import DATE_INPUT, VersionedForm, apply_validation_error
from samarbeid.core.municipality_field import MunicipalityChoiceField
from samarbeid.core.validators import validate_organisation_number
from samarbeid.governance.forms import AnchorDecisionForm
from samarbeid.governance.models import Decision
from samarbeid.registry.models import Municipality


class OrganisationNumberField(forms.CharField):
    """An organisation number typed as its 9 digits or as Brønnøysund prints it, in groups
    of three ("974 575 086"): read as the digits, on which the rule (nine, and the check
    digit) is then checked."""

    def __init__(self, **kwargs: Any) -> None:
        # nine digits: the rule says what is wrong (a length alone would say "11 tegn" of a
        # number in groups with dashes)
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)
        self.validators.append(validate_organisation_number)

    def to_python(self, value: Any) -> str:
        return "".join(str(super().to_python(value)).split())

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return super().widget_attrs(widget) | {"maxlength": "11"}  # the two spaces too


class ArenaForm(VersionedForm):
    class Meta:
        model = Arena
        fields = [
            "name",
            "short_name",
            "kind",
            "legal_form",
            "legal_basis",
            "organisation_number",
            "purpose",
            "mandate",
            "primary_task",
            "initiator",
            "initiator_municipality",
            "initiator_other",
            "host_municipality",
            "parent",
            "established",
            "ended",
            "status",
            "transferred_to",
            "status_reason",
            "next_review",
            "website",
            "published",
        ]
        widgets = {"established": DATE_INPUT, "ended": DATE_INPUT, "next_review": DATE_INPUT}
        field_classes = {
            "organisation_number": OrganisationNumberField,
            "host_municipality": MunicipalityChoiceField,
            "initiator_municipality": MunicipalityChoiceField,
            "parent": ArenaChoiceField,
            "transferred_to": ArenaChoiceField,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = Municipality.objects.order_by("-valid_to", "number")
        for name in ("host_municipality", "initiator_municipality"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = current
        for name in ("purpose", "mandate", "primary_task", "status_reason"):
            self.fields[name].widget.attrs["rows"] = 3


class MembershipForm(VersionedForm):
    class Meta:
        model = Membership
        fields = ["municipality", "joined", "next_review"]
        widgets = {"joined": DATE_INPUT, "next_review": DATE_INPUT}
        field_classes = {"municipality": MunicipalityChoiceField.dated_by("joined")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.order_by("number", "valid_from")


class EndMembershipForm(VersionedForm):
    """The end of a membership, with `decision`, the form of the decision to leave it rests
    on (recorded by the service with the end). Validating it checks the end as the service
    will (`membership_problems`), whatever else is wrong, so every error that can be known
    is shown in one round, each on its field."""

    class Meta:
        model = Membership
        fields = ["left", "leave_reason", "next_review"]
        widgets = {"left": DATE_INPUT, "next_review": DATE_INPUT}

    def __init__(self, *args: Any, decision: AnchorDecisionForm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["left"].required = True
        # in the service's words, as the API says it
        self.fields["left"].error_messages["required"] = _("Oppgi når medlemskapet sluttet.")
        self.decision = decision
        # as stored: validating writes the posted values into the instance
        self.stored = copy.copy(self.instance)

    def leave_decision(self) -> Decision | None:
        """The decision to leave as its form gives it (not yet recorded); None while its
        meeting date, on which the rules turn, is missing or wrong."""
        self.decision.is_valid()  # its own fields' errors are its to show
        values = self.decision.cleaned_data
        if "meeting_date" not in values:
            return None
        if "body" not in values:  # no body chosen (an error of its own): the date is checked
            return Decision(meeting_date=values["meeting_date"], outcome=Decision.Outcome.ADOPTED)
        # a field of its own wrong (an address) leaves the rest to be checked
        blank = {
            "case_number": "",
            "outcome": Decision.Outcome.ADOPTED,
            "text": "",
            "minutes_url": "",
        }
        return anchor_decision(
            blank | values,
            arena=self.stored.arena,
            municipality=self.stored.municipality,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        changes = {name: data[name] for name in self._meta.fields or [] if name in data}
        leave = self.leave_decision()
        if leave is not None:
            changes["leave_decision"] = leave
        for field, messages in membership_problems(self.stored, changes).items():
            owner: forms.BaseForm = self
            target = field
            if field == "leave_decision":
                # on the page its rules turn on the meeting date (body and outcome are
                # choices that hold; its municipality and arena are the membership's)
                target, owner = "meeting_date", self.decision
            if target in owner.errors:
                continue  # refused by the field itself: said once
            if target in owner.fields:
                for message in messages:
                    owner.add_error(target, message)
            else:
                apply_validation_error(self, ValidationError({field: messages}))
        return data


class ReopenMembershipForm(VersionedForm):
    """The confirmation that an end made by mistake is undone (the version the secretariat
    saw: a membership changed since is shown again)."""

    class Meta:
        model = Membership
        fields: list[str] = []
