from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from samarbeid.accounts.permissions import (
    coordinator_municipality_ids,
    is_any_secretariat,
    published_to,
    secretariat_arena_ids,
)
from samarbeid.core import dates
from samarbeid.core.choice_fields import ToldApartChoiceField
from samarbeid.core.forms import DATE_INPUT, VersionedForm, version_field
from samarbeid.core.municipality_field import MunicipalityChoiceField
from samarbeid.governance.models import Case, Decision, ProcessPlan, ProcessStep, Vote
from samarbeid.governance.visibility import visible_cases
from samarbeid.registry.models import Municipality
from samarbeid.registry.services import SuccessorMap

# A form given `user` offers only what that user may see: the page lists those choices, and
# the API answers 404 for a reference outside them (governance/api/references.py).


def _choices_for(form: forms.BaseForm, name: str, user: Any, *paths: str) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    assert field.queryset is not None
    field.queryset = published_to(field.queryset, user, *paths)


# Parents nest a few levels at most (accounts.permissions._within stops at ten).
_MAX_DEPTH = 10


def served_arenas(arenas: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """`arenas` cut to those `user` is secretariat for: the arenas its roles name and their
    sub-arenas (all of them for a secretariat for every arena, none for others). Read
    through the arena's `parent` field: governance names no arena model."""
    roots = secretariat_arena_ids(user)
    if roots is None:
        return arenas
    found, level = set(roots), set(roots)
    for _depth in range(_MAX_DEPTH):
        if not level:
            break
        below = arenas.model.objects.filter(parent_id__in=level).values_list("pk", flat=True)
        level = set(below) - found
        found |= level
    return arenas.filter(pk__in=found)


def recordable_municipalities(user: Any) -> QuerySet[Municipality]:
    """The municipalities whose decisions `user` may record (`can_record_decision`): every
    one for a secretariat for every arena; the members of the arenas an arena's secretariat
    serves; a coordinator's own municipality and those it took over
    (`can_record_for_predecessor`)."""
    municipalities = Municipality.objects.all()
    roots = secretariat_arena_ids(user)
    if roots is None:
        return municipalities
    allowed: set[int] = set()
    own = coordinator_municipality_ids(user)
    if own:
        changes = SuccessorMap()
        allowed |= own | {p for mine in own for p in changes.predecessor_ids(mine)}
    if roots:
        arena_model = Decision._meta.get_field("arena").related_model
        assert not isinstance(arena_model, str)
        served = served_arenas(arena_model._default_manager.all(), user)
        members = municipalities.filter(memberships__arena__in=served)
        allowed |= set(members.values_list("pk", flat=True))
    return municipalities.filter(pk__in=allowed)


def _narrow(form: forms.BaseForm, name: str, queryset: QuerySet[Any], refusal: Any) -> None:
    """Offer only `queryset`; a choice outside it (sent by hand) reads as the refusal."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    field.error_messages["invalid_choice"] = refusal


NOT_RECORDABLE = _("Du har ikke tilgang til å registrere vedtak for dette valget.")
NOT_SECRETARIAT = _("Du er ikke sekretariat for denne arenaen.")


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
        field_classes = {
            "municipality": MunicipalityChoiceField.dated_by("meeting_date"),
            "arena": ToldApartChoiceField,
        }

    def __init__(
        self, *args: Any, user: Any = None, offer_recordable: bool = False, **kwargs: Any
    ) -> None:
        """`offer_recordable` (the page): offer only the municipalities, arenas and bodies
        `user` may record a decision for. The API leaves it off and answers the service's
        refusal (403) for the rest, as it documents."""
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.order_by("number", "valid_from")
        if user is not None:
            _choices_for(self, "arena", user)
        if user is not None and offer_recordable:
            _narrow(
                self,
                "municipality",
                recordable_municipalities(user).order_by("number", "valid_from"),
                NOT_RECORDABLE,
            )
            arena = self.fields["arena"]
            assert isinstance(arena, forms.ModelChoiceField)
            assert arena.queryset is not None
            _narrow(self, "arena", served_arenas(arena.queryset, user), NOT_RECORDABLE)
            if not is_any_secretariat(user):
                # an arena's own body is its secretariat's to record, and so is any
                # decision naming an arena
                body = self.fields["body"]
                assert isinstance(body, forms.ChoiceField)
                offered = cast(list[tuple[Any, Any]], body.choices)
                body.choices = [c for c in offered if c[0] != Decision.Body.ARENA_BOARD]
                del self.fields["arena"]
                # the voting rule counts an arena body's votes: nothing to a council's
                del self.fields["voting_rule"]
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
        field_classes = {"arena": ToldApartChoiceField}

    def __init__(
        self, *args: Any, user: Any = None, offer_recordable: bool = False, **kwargs: Any
    ) -> None:
        """`offer_recordable` (the page): offer only the arenas `user` serves and their
        projects (the API answers the service's 403 for the others)."""
        super().__init__(*args, **kwargs)
        if user is not None:
            _choices_for(self, "arena", user)
            _choices_for(self, "project", user, "", "arena")
            field = self.fields["arena"]
            assert isinstance(field, forms.ModelChoiceField)
            assert field.queryset is not None
            field.queryset = field.queryset.order_by("name")
            if offer_recordable:
                _narrow(self, "arena", served_arenas(field.queryset, user), NOT_SECRETARIAT)
                project = self.fields["project"]
                assert isinstance(project, forms.ModelChoiceField)
                assert project.queryset is not None
                _narrow(
                    self,
                    "project",
                    project.queryset.filter(arena__in=field.queryset),
                    NOT_SECRETARIAT,
                )
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
        field_classes = {"arena": ToldApartChoiceField}

    def __init__(
        self, *args: Any, user: Any = None, offer_recordable: bool = False, **kwargs: Any
    ) -> None:
        """`offer_recordable` (the page): offer only the arenas `user` serves."""
        super().__init__(*args, **kwargs)
        if user is not None:
            _choices_for(self, "arena", user)
            if offer_recordable:
                field = self.fields["arena"]
                assert isinstance(field, forms.ModelChoiceField)
                assert field.queryset is not None
                _narrow(self, "arena", served_arenas(field.queryset, user), NOT_SECRETARIAT)


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
