"""The forms of bodies, members and meetings: the pages and the API fill the same ones."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samarbeid.core import dates
from samarbeid.core.forms import DATE_INPUT, TextareaField, VersionedForm, version_field
from samarbeid.core.municipality_field import MunicipalityChoiceField
from samarbeid.governance.models import Vote, VotingRule
from samarbeid.meetings.models import AgendaItem, Body, BodyMember, Meeting, MeetingDocument
from samarbeid.meetings.seats import seated_members, seated_municipalities
from samarbeid.meetings.services.minutes import outcome_missing, recorded_participation
from samarbeid.portfolio.models import Participation
from samarbeid.registry.models import Municipality

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class BodyForm(VersionedForm):
    class Meta:
        model = Body
        fields = ["kind", "name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"description": TextareaField}


class MemberForm(VersionedForm):
    class Meta:
        model = BodyMember
        fields = ["municipality", "person", "role", "valid_from", "valid_to"]
        # the product's one way to choose a municipality (core.municipality_field with
        # js/municipality-picker.js): a search by number or name above the list, those that
        # existed on the member's from-date first, the former ones on request; the service
        # refuses one that is not a member of the arena on that day
        field_classes = {"municipality": MunicipalityChoiceField.dated_by("valid_from")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].required = False


class MeetingForm(VersionedForm):
    class Meta:
        model = Meeting
        fields = ["date", "start_time", "end_time", "place", "video_link", "published"]
        widgets = {"start_time": TIME_INPUT, "end_time": TIME_INPUT}

    def add_error(self, field: str | None, error: Any) -> None:
        # a place or video link refused on its own field (too long, not a URL) is not also
        # "missing": the model's check saw it empty because the field was left out
        if (
            field is None
            and isinstance(error, ValidationError)
            and hasattr(error, "error_dict")
            and "place" in error.error_dict
            and ("place" in self.errors or "video_link" in self.errors)
        ):
            error.error_dict.pop("place")
            if not error.error_dict:
                return
        super().add_error(field, error)


class StatusForm(forms.Form):
    """A meeting's next status (held, cancelled, planned again), with the version seen."""

    status = forms.ChoiceField(label=_("Ny status"), choices=Meeting.Status.choices)
    version = version_field()


class OutsideNoticeForm(forms.Form):
    """ "Registrer innkalling sendt utenfor Samarbeid": the day the notice went out on paper
    or by the municipality's own e-mail, with the version seen."""

    sent_outside_on = forms.DateField(
        label=_("Dato innkallingen ble sendt"),
        widget=DATE_INPUT,
        help_text=_(
            "Sendt på papir eller med kommunens egen e-post; ingen får e-post fra Samarbeid. "
            "Senest møtedagen."
        ),
        validators=[dates.RECORD],
    )
    version = version_field()

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meeting is not None:
            # the browser's picker offers no day after the meeting's or today (the service
            # refuses them, saying so)
            latest = min(meeting.date, timezone.localdate())
            self.fields["sent_outside_on"].widget.attrs["max"] = latest.isoformat()
            self.fields["version"].initial = meeting.version


class ItemForm(VersionedForm):
    """An agenda item; what it links to is chosen among the meeting's arena's records."""

    class Meta:
        model = AgendaItem
        fields = [
            "title",
            "description",
            "proposal",
            "case",
            "project",
            "review_round",
            "strategic_plan",
            "closed",
            "legal_basis",
            "legal_basis_text",
            "closed_reason",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "proposal": forms.Textarea(attrs={"rows": 4}),
            "closed_reason": forms.Textarea(attrs={"rows": 2}),
        }
        # a line break is one character, and the limit is said «høyst 10 000 tegn»; no
        # maxlength on the boxes: a longer paste is told by the field's error, not cut
        field_classes = dict.fromkeys(widgets, TextareaField)

    def __init__(self, *args: Any, arena: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if arena is None:
            arena = self.instance.meeting.body.arena
        for name in ("case", "project", "review_round", "strategic_plan"):
            field: Any = self.fields[name]
            field.queryset = field.queryset.filter(arena=arena)


class DocumentForm(VersionedForm):
    """A file to attach: its title, date, type and (optionally) the item it belongs to. The
    file's kind and size are checked by the service (`services.documents.checked_upload`), whose
    message is shown on the file field."""

    class Meta:
        model = MeetingDocument
        fields = ["title", "date", "kind", "item", "file"]

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["item"]
        field.queryset = meeting.items.order_by("position", "pk")
        field.label_from_instance = lambda item: str(item)
        self.fields["file"].help_text = _(
            "PDF, Word (docx), Excel (xlsx), OpenDocument-tekst (odt), PNG eller JPEG; høyst 20 MB."
        )


# the participation a project item's decision can record (a decision changes it)
PARTICIPATION_CHOICES = [
    ("", _("ingen endring")),
    *[
        (status.value, status.label)
        for status in (
            Participation.Status.JOINED,
            Participation.Status.DECLINED,
            Participation.Status.WITHDRAWN,
        )
    ],
]


class ItemMinutesForm(VersionedForm):
    """An item's treatment, decision and outcome in the minutes; for an item about a
    project also the municipalities whose participation the decision changes and to what
    (the service records them on the body's decision)."""

    municipalities = forms.ModelMultipleChoiceField(
        label=_("Kommuner"),
        queryset=Municipality.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Kommunene med plass i organet på møtedagen som vedtaket gjelder."),
    )
    participation = forms.ChoiceField(
        label=_("Ny deltakelse"),
        choices=PARTICIPATION_CHOICES,
        required=False,
        help_text=_("Kommunenes deltakelse i prosjektet fra møtedagen, med dette vedtaket."),
    )

    class Meta:
        model = AgendaItem
        fields = ["treatment", "decision_text", "outcome"]
        widgets = {
            "treatment": forms.Textarea(attrs={"rows": 5}),
            "decision_text": forms.Textarea(attrs={"rows": 4}),
        }
        # as the item's texts: a line break is one character, the limit said «høyst 20 000
        # tegn» (MINUTES_TEXT_MAX), a longer paste told, not cut by the browser
        field_classes = dict.fromkeys(widgets, TextareaField)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item = self.instance
        asked = self.data.get("municipalities") or self.data.get("participation")
        if item.project_id is None and not asked:
            # only an item about a project changes a participation (sent anyway: the
            # service says so)
            del self.fields["municipalities"], self.fields["participation"]
            return
        field: Any = self.fields["municipalities"]
        # validated against the register (the service refuses one without a seat, naming
        # it); offered: those with a seat in the body on the meeting's day
        field.choices = [
            (m.pk, f"{m.number} {m.name}") for m in seated_municipalities(item.meeting)
        ]
        # reopened: what the item's decision recorded (the service records it only once)
        recorded = recorded_participation([item]).get(item.pk, [])
        if recorded and not self.is_bound:
            self.initial["municipalities"] = [row.municipality_id for row in recorded]
            self.initial["participation"] = recorded[0].status

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        # a decision without its outcome is said with a text's other errors (too long) at
        # once, not in a second round; the service says it again (the same rule)
        text = cleaned.get("decision_text", self.data.get(self.add_prefix("decision_text")))
        outcome = cleaned.get("outcome", self.data.get(self.add_prefix("outcome")))
        missing = outcome_missing(str(text or ""), str(outcome or ""), self.instance.case_id)
        if missing and "outcome" not in self.errors:
            self.add_error("outcome", missing)
        return cleaned

    def changes(self) -> dict[str, Any]:
        changes = super().changes()
        if self.cleaned_data.get("municipalities") or self.cleaned_data.get("participation"):
            changes["municipalities"] = list(self.cleaned_data.get("municipalities") or [])
            changes["participation"] = self.cleaned_data.get("participation") or ""
        return changes


class AttendanceForm(forms.Form):
    """Who of the body's members was present (those who sit in it on the meeting's day)."""

    members = forms.ModelMultipleChoiceField(
        label=_("Til stede"),
        queryset=BodyMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    version = version_field()  # the meeting's: attendance raises it

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = meeting.version
        field: Any = self.fields["members"]
        field.queryset = seated_members(meeting)
        field.label_from_instance = lambda member: str(member)


class ApproveForm(forms.Form):
    """The approval of the minutes: when and by whom."""

    approved_on = forms.DateField(
        label=_("Godkjent dato"), widget=DATE_INPUT, validators=[dates.RECORD]
    )
    approved_by = forms.CharField(
        label=_("Godkjent av"),
        max_length=300,
        help_text=_("F.eks. «Møteleder og to valgte medlemmer» eller navnene."),
    )
    version = version_field()


class ItemVoteForm(forms.Form):
    """A vote on an item that treats a case: the rule, and each member municipality's vote
    (none given: counted absent)."""

    version = version_field()
    voting_rule = forms.ChoiceField(label=_("Avstemningsregel"), choices=VotingRule.choices)

    def __init__(self, *args: Any, municipalities: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipalities = municipalities
        choices = [("", _("ingen stemme (fraværende)"))] + [
            (value, label) for value, label in Vote.Choice.choices if value != Vote.Choice.ABSENT
        ]
        for municipality in municipalities:
            self.fields[f"vote_{municipality.pk}"] = forms.ChoiceField(
                label=municipality.name, choices=choices, required=False
            )

    def add_error(self, field: str | None, error: Any) -> None:
        # the service's errors on "votes" (the API's field) are about the whole vote
        if field == "votes":
            super().add_error(None, error)
        else:
            super().add_error(field, error)

    def votes(self) -> list[tuple[Any, str]]:
        return [
            (m, self.cleaned_data[f"vote_{m.pk}"])
            for m in self.municipalities
            if self.cleaned_data.get(f"vote_{m.pk}")
        ]
