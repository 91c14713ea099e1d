from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from samarbeid.arenas.choice_field import ArenaChoiceField
from samarbeid.arenas.models import Arena
from samarbeid.core import dates
from samarbeid.core.forms import (
    DATE_INPUT,
    AmountField,
    TextareaField,
    VersionedForm,
    apply_validation_error,
    version_field,
)
from samarbeid.core.municipality_field import MunicipalityChoiceField
from samarbeid.planning.models import CooperationNeed
from samarbeid.portfolio import lifecycle
from samarbeid.portfolio.models import Project
from samarbeid.review.models import (
    PROPOSAL_TEXT_MAX,
    Alternative,
    ComparisonCriterion,
    ComparisonParticipant,
    CooperationProposal,
    ModelComparison,
    ProposalCriterion,
    ReviewItem,
    ReviewRound,
)
from samarbeid.review.services.advisor import need_choices
from samarbeid.review.services.comparisons import COMPARISON_FIELDS
from samarbeid.review.services.round_edit import LOCKED_ONCE_DECIDED, ROUND_FIELDS
from samarbeid.review.services.rounds import ITEM_ANSWER, check_item


class ReviewRoundForm(forms.ModelForm):
    include_children = forms.BooleanField(
        label=_("Ta med underordnede arenaer"), required=False, initial=True
    )
    include_projects = forms.BooleanField(
        label=_("Ta med arenaens prosjekter"), required=False, initial=True
    )

    class Meta:
        model = ReviewRound
        fields = ["title", "arena", "primary_task", "opened", "published"]
        field_classes = {"arena": ArenaChoiceField}
        widgets = {"opened": DATE_INPUT, "primary_task": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, arenas: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if arenas is not None:
            self.fields["arena"].queryset = arenas  # type: ignore[attr-defined]


class ReviewRoundEditForm(VersionedForm):
    """Correct a started round, or publish it (`review.services.round_edit.update_round`).
    `lock_decided`: the page shows what a decided round keeps as decided, not to be typed
    in (the API sends it to the service, which refuses a change by field)."""

    class Meta:
        model = ReviewRound
        fields = list(ROUND_FIELDS)
        widgets = {"opened": DATE_INPUT, "primary_task": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, lock_decided: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if lock_decided and self.instance.decision_id is not None:
            for name in LOCKED_ONCE_DECIDED:
                self.fields[name].disabled = True


class ReviewItemForm(VersionedForm):
    class Meta:
        model = ReviewItem
        fields = list(ITEM_ANSWER)
        field_classes = {"target_arena": ArenaChoiceField, "cost_override": AmountField}
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_arena"].queryset = Arena.objects.active().order_by("name")  # type: ignore[attr-defined]
        self.fields["target_arena"].help_text = _("Påkrevd ved overføring og sammenslåing.")

    def clean(self) -> dict[str, Any]:
        """The service's rules on the answer as it would be saved, as errors on their fields
        (before the database's constraints, which would name no field)."""
        data = super().clean() or {}
        probe = copy.copy(self.instance)
        for name in self._meta.fields or []:
            if name in data:
                setattr(probe, name, data[name])
        try:
            check_item(probe)
        except ValidationError as exc:
            # a field that did not clean (an unknown arena) has its one error: a rule read
            # against the value it would replace says nothing true about it
            if hasattr(exc, "error_dict"):
                exc = ValidationError(
                    {f: e for f, e in exc.error_dict.items() if f not in self.errors}
                )
            if not hasattr(exc, "error_dict") or exc.error_dict:
                apply_validation_error(self, exc)
        return data


class ItemChoiceField(forms.MultipleChoiceField):
    """The items of a round, each chosen with the version the user read: «id:version»."""

    def clean(self, value: Any) -> dict[int, int]:
        chosen = super().clean(value)
        versions: dict[int, int] = {}
        for text in chosen:
            pk, version = (int(part) for part in text.split(":"))
            versions[pk] = version
        return versions

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.item_ids: set[str] = set()

    def valid_value(self, value: Any) -> bool:
        pk, _sep, version = str(value).partition(":")
        return pk in self.item_ids and version.isdigit() and int(version) >= 1


class BulkRecommendationForm(forms.Form):
    """One recommendation for many items of a round (the page's checkboxes, the API's
    list): the items with the versions read, the recommendation and a common reason."""

    items = ItemChoiceField(
        label=_("Punkter"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Velg minst ett punkt."),
            "invalid_choice": _(
                "Et valgt punkt hører ikke til denne gjennomgangen lenger. Last inn siden på nytt."
            ),
        },
    )
    recommendation = forms.ChoiceField(
        label=_("Anbefaling for de valgte"),
        choices=[("", _("Velg anbefaling"))]
        + [c for c in ReviewItem.Recommendation.choices if c[0]],
        error_messages={"required": _("Velg en anbefaling.")},
    )
    target_arena = ArenaChoiceField(
        label=_("Til arena"),
        queryset=Arena.objects.none(),
        required=False,
        help_text=_("Påkrevd ved overføring og sammenslåing."),
    )
    reason = forms.CharField(
        label=_("Felles begrunnelse"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Tomt: punktenes egne begrunnelser beholdes."),
    )

    def __init__(self, *args: Any, review: ReviewRound, arenas: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items_field = self.fields["items"]
        assert isinstance(items_field, ItemChoiceField)
        items_field.item_ids = {str(pk) for pk in review.items.values_list("pk", flat=True)}
        self.fields["target_arena"].queryset = (  # type: ignore[attr-defined]
            arenas if arenas is not None else Arena.objects.active().order_by("name")
        )

    @property
    def chosen_ids(self) -> set[str]:
        """The items ticked in the post, to keep them ticked when the form comes back."""
        if not self.is_bound:
            return set()
        getlist = getattr(self.data, "getlist", None)
        values = getlist("items") if getlist else self.data.get("items", [])
        return {str(value).partition(":")[0] for value in values}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needs_target = data.get("recommendation") in (
            ReviewItem.Recommendation.TRANSFER,
            ReviewItem.Recommendation.MERGE,
        )
        if needs_target and not data.get("target_arena") and "target_arena" not in self.errors:
            self.add_error(
                "target_arena",
                _(
                    "Velg arenaen som skal overta: en anbefaling om å overføre eller slå "
                    "sammen må ha en mottakende arena."
                ),
            )
        elif data.get("target_arena") and not needs_target:
            self.add_error(
                "target_arena",
                _("Bare anbefalinger om å overføre eller slå sammen har en mottakende arena."),
            )
        return data


class AddItemForm(forms.Form):
    arena = ArenaChoiceField(label=_("Arena"), queryset=Arena.objects.none(), required=False)
    project = forms.ModelChoiceField(
        label=_("Prosjekt"), queryset=Project.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["arena"].queryset = Arena.objects.active().order_by("name")  # type: ignore[attr-defined]
        self.fields["project"].queryset = (  # type: ignore[attr-defined]
            Project.objects.filter(status__in=lifecycle.OPEN)
            .select_related("arena")
            .order_by("arena__name", "code")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "arena" in self.errors or "project" in self.errors:
            return data  # an unknown one has its own error; the choice is not yet made
        if bool(data.get("arena")) == bool(data.get("project")):
            raise forms.ValidationError(_("Velg enten en arena eller et prosjekt."))
        return data


class ConfirmRoundForm(forms.Form):
    meeting_date = forms.DateField(
        label=_("Møtedato"), widget=DATE_INPUT, validators=[dates.RECORD]
    )
    case_number = forms.CharField(label=_("Saksnummer"), max_length=50, required=False)
    body_name = forms.CharField(
        label=_("Organ"), max_length=200, required=False, help_text=_("F.eks. «Styret»")
    )
    text = forms.CharField(
        label=_("Vedtakstekst"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ProposalForm(VersionedForm):
    needs = forms.MultipleChoiceField(
        label=_("Krav til samarbeidsformen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )

    class Meta:
        model = CooperationProposal
        fields = [
            "title",
            "need",
            "expected_effect",
            "arena",
            "partners_asked",
            "partners_asked_on",
            "proposed_form",
            "mandate",
            "needs",
            "published",
        ]
        widgets = {
            "need": forms.Textarea(attrs={"rows": 3}),
            "expected_effect": forms.Textarea(attrs={"rows": 3}),
            "partners_asked": forms.Textarea(attrs={"rows": 2}),
            "mandate": forms.Textarea(attrs={"rows": 3}),
        }
        # arenas of the same name told apart by their short name (a clerk's trial); the
        # long texts count a line break once and are not cut by the browser (TextareaField)
        field_classes = {
            "arena": ArenaChoiceField,
            "need": TextareaField,
            "expected_effect": TextareaField,
            "partners_asked": TextareaField,
            "mandate": TextareaField,
        }

    planning_needs = forms.ModelMultipleChoiceField(
        label=_("Bygger på behov fra planstrategier"),
        queryset=CooperationNeed.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, planning_needs: QuerySet[CooperationNeed] | None = None, **kwargs: Any
    ) -> None:
        """`planning_needs`: the needs of planning strategies the proposal may start from
        (offered on the page, accepted from the API); None leaves the links as they are."""
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = need_choices()  # type: ignore[attr-defined]
        if planning_needs is None:
            del self.fields["planning_needs"]
        else:
            field = self.fields["planning_needs"]
            field.queryset = planning_needs.select_related("strategy__municipality")  # type: ignore[attr-defined]
            field.label_from_instance = need_label  # type: ignore[attr-defined]
            if self.instance.pk and "planning_needs" not in self.initial:
                self.initial["planning_needs"] = [n.pk for n in self.instance.planning_needs.all()]

    def changes(self) -> dict[str, Any]:
        changes = super().changes()
        if "planning_needs" in self.fields:
            changes["planning_needs"] = list(self.cleaned_data["planning_needs"])
        return changes


def need_label(need: CooperationNeed) -> str:
    """A need as a choice: the municipality, its strategy's period and the need."""
    strategy = need.strategy
    return f"{strategy.municipality.name} ({strategy.period}): {need.description}"


class CriterionForm(VersionedForm):
    class Meta:
        model = ProposalCriterion
        fields = ["state", "evidence"]
        widgets = {"evidence": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"evidence": TextareaField}


class ReadyForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Begrunnelse for å sende forslaget til vedtak med åpne kriterier"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=PROPOSAL_TEXT_MAX,
        help_text=_("Bare når kriterier fortsatt er åpne."),
    )


class AdvisorForm(forms.Form):
    needs = forms.MultipleChoiceField(
        label=_("Hva må samarbeidet kunne?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = need_choices()  # type: ignore[attr-defined]


class ComparisonForm(forms.ModelForm):
    class Meta:
        model = ModelComparison
        fields = ["title", "description", "arena", "proposal", "published"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ComparisonEditForm(VersionedForm):
    """Correct a comparison's title and description, or publish it."""

    class Meta:
        model = ModelComparison
        fields = list(COMPARISON_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class AlternativeForm(forms.ModelForm):
    class Meta:
        model = Alternative
        fields = ["name", "kind", "form", "pros", "cons"]
        widgets = {
            "pros": forms.Textarea(attrs={"rows": 3}),
            "cons": forms.Textarea(attrs={"rows": 3}),
        }


class ComparisonCriterionForm(forms.ModelForm):
    class Meta:
        model = ComparisonCriterion
        fields = ["name", "weight"]


class WeightForm(forms.Form):
    weight = forms.IntegerField(label=_("Vekt (0–100)"))
    version = version_field()


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = ComparisonParticipant
        fields = ["name", "municipality"]
        field_classes = {"municipality": MunicipalityChoiceField}


class ScoresForm(forms.Form):
    """One participant's scores: a 0–10 field per alternative and criterion."""

    def __init__(
        self,
        *args: Any,
        participants: list[ComparisonParticipant],
        alternatives: list[Alternative],
        criteria: list[ComparisonCriterion],
        initial_scores: dict[tuple[int, int], int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"] = forms.ChoiceField(
            label=_("Deltaker eller gruppe"),
            choices=[(str(p.pk), p.name) for p in participants],
        )
        self.cells: list[tuple[Alternative, ComparisonCriterion, str]] = []
        for alternative in alternatives:
            for criterion in criteria:
                name = f"s_{alternative.pk}_{criterion.pk}"
                self.fields[name] = forms.IntegerField(
                    label=f"{alternative.name} – {criterion.name}",
                    required=False,
                    initial=(initial_scores or {}).get((alternative.pk, criterion.pk)),
                )
                self.cells.append((alternative, criterion, name))


class OverlapScopeForm(forms.Form):
    """Which arenas the overlap list compares: active on a day, in a period, or (empty) every
    arena over its whole life."""

    on = forms.DateField(
        label=_("Aktive på dato"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Arenaene og medlemskapene som gjaldt denne dagen."),
    )
    start = forms.DateField(label=_("Periode fra"), required=False, widget=DATE_INPUT)
    end = forms.DateField(
        label=_("Periode til"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Tomt: alle arenaer gjennom hele sin levetid."),
    )
