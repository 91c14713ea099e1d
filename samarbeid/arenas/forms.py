from __future__ import annotations

from typing import Any

from django import forms

from samarbeid.arenas.choice_field import ArenaChoiceField
from samarbeid.arenas.models import Arena, Membership
from samarbeid.core.forms import DATE_INPUT, VersionedForm
from samarbeid.core.municipality_field import MunicipalityChoiceField
from samarbeid.core.validators import validate_organisation_number
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
    class Meta:
        model = Membership
        fields = ["left", "leave_reason", "next_review"]
        widgets = {"left": DATE_INPUT, "next_review": DATE_INPUT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["left"].required = True
