from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samarbeid.accounts.permissions import published_to
from samarbeid.core import dates
from samarbeid.core.forms import DATE_INPUT, VersionedForm, version_field
from samarbeid.core.municipality_field import MunicipalityChoiceField
from samarbeid.governance.models import Case, Decision, ProcessPlan, ProcessStep, Vote
from samarbeid.governance.visibility import visible_cases
from samarbeid.registry.models import Municipality

# A form given `user` offers only what that user may see: the page lists those choices, and
# the API answers 404 for a reference outside them (governance/api/references.py).


def _choices_for(form: forms.BaseForm, name: str, user: Any, *paths: str) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    assert field.queryset is not None
    field.queryset = published_to(field.queryset, user, *paths)


class DecisionForm(VersionedForm):
    class Meta:
        model = Decision
        fields = [
            "body",
            "municipality",
            "arena",
            "body_name",
            "case_number",
            "planned_date",
            "meeting_date",
            "outcome",
            "voting_rule",
            "text",
            "minutes_url",
        ]
        widgets = {"planned_date": DATE_INPUT, "meeting_date": DATE_INPUT}
        field_classes = {"municipality": MunicipalityChoiceField.dated_by("meeting_date")}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.order_by("number", "valid_from")
        if user is not None:
            _choices_for(self, "arena", user)
        self.fields["text"].widget.attrs["rows"] = 3


class AnchorDecisionForm(forms.Form):
    """The decision a membership rests on, entered on the same page as the membership."""

    body = forms.ChoiceField(
        label=_("Vedtak fattet av"),
        choices=[
            (Decision.Body.COUNCIL, Decision.Body.COUNCIL.label),
            (Decision.Body.EXECUTIVE_COMMITTEE, Decision.Body.EXECUTIVE_COMMITTEE.label),
            (Decision.Body.ARENA_BOARD, Decision.Body.ARENA_BOARD.label),
        ],
    )
    case_number = forms.CharField(label=_("Saksnummer"), max_length=50, required=False)
    meeting_date = forms.DateField(
        label=_("Møtedato"), widget=DATE_INPUT, validators=[dates.RECORD]
    )
    outcome = forms.ChoiceField(
        label=_("Utfall"),
        choices=[
            (Decision.Outcome.ADOPTED, Decision.Outcome.ADOPTED.label),
            (Decision.Outcome.ADOPTED_WITH_CHANGES, Decision.Outcome.ADOPTED_WITH_CHANGES.label),
        ],
    )
    text = forms.CharField(
        label=_("Vedtakstekst"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    minutes_url = forms.URLField(label=_("Lenke til protokoll"), required=False)


class CaseForm(forms.ModelForm):
    send_to_members = forms.BooleanField(
        label=_("Send saken til kommunestyret i hver medlemskommune i arenaen"), required=False
    )
    planned_date = forms.DateField(
        label=_("Planlagt møtedato i kommunestyrene"),
        widget=DATE_INPUT,
        required=False,
        validators=[dates.PLAN],
    )

    class Meta:
        model = Case
        fields = [
            "title",
            "description",
            "arena",
            "subject",
            "project",
            "document_title",
            "opened",
            "published",
        ]
        widgets = {"opened": DATE_INPUT}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            _choices_for(self, "arena", user)
            _choices_for(self, "project", user, "", "arena")
            field = self.fields["arena"]
            assert isinstance(field, forms.ModelChoiceField)
            assert field.queryset is not None
            field.queryset = field.queryset.order_by("name")
        self.fields["description"].widget.attrs["rows"] = 3


class TreatmentForm(VersionedForm):
    """One body's treatment of a case: meeting, case number, outcome, text, minutes."""

    class Meta:
        model = Decision
        fields = ["case_number", "planned_date", "meeting_date", "outcome", "text", "minutes_url"]
        widgets = {"planned_date": DATE_INPUT, "meeting_date": DATE_INPUT}


class TransferForm(forms.Form):
    """Passing a lapsed treatment on to the successor: optionally its planned meeting."""

    planned_date = forms.DateField(
        label=_("Planlagt møtedato hos etterfølgeren"),
        widget=DATE_INPUT,
        required=False,
        validators=[dates.PLAN],
    )
    version = version_field()


class VoteForm(forms.Form):
    municipality = MunicipalityChoiceField(label=_("Kommune"), queryset=Municipality.objects.none())
    choice = forms.ChoiceField(label=_("Stemme"), choices=Vote.Choice.choices)

    def __init__(self, *args: Any, municipalities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        if municipalities is not None:
            field.queryset = municipalities


class ConcludeForm(forms.Form):
    meeting_date = forms.DateField(
        label=_("Møtedato"), widget=DATE_INPUT, validators=[dates.RECORD]
    )
    version = version_field()


class PlanForm(forms.ModelForm):
    class Meta:
        model = ProcessPlan
        fields = ["title", "description", "arena", "published"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            _choices_for(self, "arena", user)


class StepForm(forms.ModelForm):
    class Meta:
        model = ProcessStep
        fields = ["order", "title", "body", "planned_date", "planned_end", "case"]
        widgets = {"planned_date": DATE_INPUT, "planned_end": DATE_INPUT}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            field = self.fields["case"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = visible_cases(user).order_by("-opened")


class StepDoneForm(forms.Form):
    done_date = forms.DateField(
        label=_("Utført dato"), widget=DATE_INPUT, validators=[dates.RECORD]
    )
    version = version_field()
