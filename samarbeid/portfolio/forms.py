from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samarbeid.arenas.choice_field import ArenaChoiceField
from samarbeid.arenas.models import Arena
from samarbeid.core import dates
from samarbeid.core.forms import DATE_INPUT, AmountField, VersionedForm, version_field
from samarbeid.core.municipality_field import MunicipalityChoiceField
from samarbeid.portfolio import lifecycle
from samarbeid.portfolio.models import Participation, Project
from samarbeid.portfolio.services import move_refusal
from samarbeid.registry.models import Municipality


class ProjectForm(VersionedForm):
    class Meta:
        model = Project
        fields = [
            "arena",
            "code",
            "title",
            "description",
            "focus_area_text",
            "lead_municipality",
            "project_manager",
            "budget",
            "start",
            "end",
            "published",
        ]
        field_classes = {
            "budget": AmountField,
            "lead_municipality": MunicipalityChoiceField,
            "arena": ArenaChoiceField,
        }
        widgets = {"start": DATE_INPUT, "end": DATE_INPUT}

    def __init__(self, *args: Any, arenas: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        arena_field = self.fields["arena"]
        assert isinstance(arena_field, forms.ModelChoiceField)
        if arenas is not None:
            arena_field.queryset = arenas
        lead = self.fields["lead_municipality"]
        assert isinstance(lead, forms.ModelChoiceField)
        lead.queryset = Municipality.objects.order_by("-valid_to", "number")
        self.fields["description"].widget.attrs["rows"] = 4

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Sluttdato kan ikke være før startdato."))
        return data


class NextStatusField(forms.ChoiceField):
    """A project's next status: offers what the lifecycle allows from `current` (nothing
    chosen at first) and refuses any other in `change_status`'s words, which name them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = ""

    def offer_from(self, current: str) -> None:
        self.current = current
        self.choices = [
            ("", _("Velg ny status")),
            *((s, Project.Status(s).label) for s in lifecycle.next_statuses(current)),
        ]

    def validate(self, value: Any) -> None:
        if value and not self.valid_value(value):
            raise forms.ValidationError(move_refusal(self.current, value), code="invalid_choice")
        super().validate(value)


class StatusForm(forms.Form):
    """A move of a project in status `current` along its lifecycle (the page and the API)."""

    status = NextStatusField(label=_("Ny status"))
    changed_on = forms.DateField(label=_("Dato"), widget=DATE_INPUT, validators=[dates.RECORD])
    reason = forms.CharField(label=_("Begrunnelse"), widget=forms.Textarea(attrs={"rows": 2}))
    transferred_to = ArenaChoiceField(
        label=_("Overført til arena (bare ved overføring)"),
        queryset=Arena.objects.none(),
        required=False,
    )
    version = version_field()

    def __init__(self, *args: Any, current: str, arenas: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, NextStatusField)
        status.offer_from(current)
        field = self.fields["transferred_to"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = arenas if arenas is not None else Arena.objects.all()


class RegisterMunicipalityField(MunicipalityChoiceField):
    """Offers its queryset (the coordinator's own municipalities, the arena's members) but
    takes any municipality of the register: whether the user may record it, and whether
    it existed that day, are the service's to say (403 with who may; an error on the
    field), in the same words on the page and in the API."""

    def to_python(self, value: Any) -> Municipality | None:
        if value in self.empty_values:
            return None
        try:
            return Municipality.objects.get(pk=value)
        except (ValueError, TypeError, forms.ValidationError, Municipality.DoesNotExist):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None


class ParticipationForm(forms.Form):
    municipality = RegisterMunicipalityField(
        label=_("Kommune"), queryset=Municipality.objects.none(), date_field="since"
    )
    status = forms.ChoiceField(label=_("Status"), choices=Participation.Status.choices)
    since = forms.DateField(label=_("Gjelder fra"), widget=DATE_INPUT, validators=[dates.PERIOD])
    reason = forms.CharField(label=_("Begrunnelse"), max_length=300, required=False)

    def __init__(self, *args: Any, municipalities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            municipalities
            if municipalities is not None
            else Municipality.objects.order_by("number", "valid_from")
        )


class ParticipationDecisionForm(forms.Form):
    """The council decision a participation change rests on, entered on the same page.
    Needed for joined, declined and withdrawn; leave empty for invited/considering."""

    body = forms.ChoiceField(
        label=_("Vedtak fattet av"),
        choices=[
            ("council", _("kommunestyre")),
            ("executive_committee", _("formannskap")),
        ],
    )
    case_number = forms.CharField(label=_("Saksnummer"), max_length=50, required=False)
    meeting_date = forms.DateField(
        label=_("Møtedato"), widget=DATE_INPUT, required=False, validators=[dates.RECORD]
    )
    outcome = forms.ChoiceField(
        label=_("Utfall"),
        choices=[
            ("adopted", _("vedtatt")),
            ("adopted_with_changes", _("vedtatt med endringer")),
        ],
    )
    text = forms.CharField(
        label=_("Vedtakstekst"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    minutes_url = forms.URLField(label=_("Lenke til protokoll"), required=False)
