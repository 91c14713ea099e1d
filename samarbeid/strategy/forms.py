from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samarbeid.core import dates
from samarbeid.core.forms import DATE_INPUT, AmountField, NumberField, VersionedForm, version_field
from samarbeid.core.municipality_field import MunicipalityChoiceField
from samarbeid.registry.models import Municipality
from samarbeid.strategy.models import (
    AdministrationCost,
    Benefit,
    BenefitRealisation,
    EconomicResult,
    FocusArea,
    Goal,
    GoalAssessment,
    Indicator,
    IndicatorValue,
    PlanItem,
    Result,
    StrategicPlan,
)
from samarbeid.strategy.services.plans import (
    GOAL_NUMBERS,
    PLAN_MOVES,
    allowed_moves,
    goal_number_error,
    goal_number_rule,
    move_refusal,
)


def _rows(form: forms.BaseForm, *names: str) -> None:
    for name in names:
        if name in form.fields:
            form.fields[name].widget.attrs["rows"] = 3


def _period_on_its_field(form: forms.BaseForm, first: str, last: str) -> None:
    """A period's years out of order as an error on its last year, in the words of the
    model's constraint (which would say it for the form as a whole, after the fields)."""
    data = form.cleaned_data
    if data.get(first) and data.get(last) and data[last] < data[first]:
        form.add_error(last, _("Sluttåret kan ikke være før startåret."))


def _choices(form: forms.BaseForm, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class PlanForm(VersionedForm):
    class Meta:
        model = StrategicPlan
        fields = ["title", "first_year", "last_year", "summary", "published"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _rows(self, "summary")

    def clean(self) -> dict[str, Any]:
        super().clean()
        _period_on_its_field(self, "first_year", "last_year")
        return self.cleaned_data


class PlanPublishedForm(VersionedForm):
    """A sent or adopted plan's page form: only whether it is published (its title, period
    and summary are what the councils treat; `services.plans.PLAN_CONTENT`)."""

    class Meta:
        model = StrategicPlan
        fields = ["published"]


class PlanItemForm(VersionedForm):
    """A point of a plan, added or corrected (the version only for a correction)."""

    class Meta:
        model = PlanItem
        fields = ["kind", "order", "title", "description"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _rows(self, "description")


class FocusAreaForm(VersionedForm):
    class Meta:
        model = FocusArea
        fields = ["order", "title", "description"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _rows(self, "description")


class GoalForm(VersionedForm):
    """A goal, added (an empty number: the next free one) or corrected (its number kept
    unless changed, so it is required)."""

    class Meta:
        model = Goal
        fields = ["number", "title", "description"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        number = self.fields["number"]
        assert isinstance(number, forms.IntegerField)
        # One rule for the number, in the clerk's words (not Django's «større enn eller lik 0»
        # for −1, nor «Skriv inn et heltall» for 1,5): `services.plans.GOAL_NUMBERS`.
        number.validators = []
        number.error_messages["invalid"] = goal_number_rule()
        if not self.instance.pk:
            number.required = False
            number.help_text = _("Tomt: neste ledige nummer.")
        _rows(self, "description")

    def clean_number(self) -> int:
        """Empty on a new goal: 0, the next free number (the service picks it). A number
        given is checked here, beside the title (a taken number and an empty title are both
        said at once), when the form knows the goal's plan; the service checks it again."""
        value = self.cleaned_data.get("number")
        if value is None:
            return 0
        if value not in GOAL_NUMBERS:
            raise forms.ValidationError(goal_number_rule())
        if self.instance.arena_id is not None:
            probe = Goal(
                pk=self.instance.pk,
                arena_id=self.instance.arena_id,
                plan_id=self.instance.plan_id,
                number=value,
            )
            if error := goal_number_error(probe):
                raise forms.ValidationError(error)
        return value


class SendPlanForm(forms.Form):
    planned_date = forms.DateField(
        label=_("Planlagt behandling i kommunestyrene"),
        required=False,
        widget=DATE_INPUT,
        validators=[dates.PLAN],
    )


def _moves(statuses: list[str]) -> list[tuple[str, Any]]:
    return [(status, StrategicPlan.Status(status).label) for status in statuses]


class PlanMoveField(forms.ChoiceField):
    """A plan's new status. For a plan (`offer_for`): the moves the service allows from its
    status now (`allowed_moves`), nothing chosen at first, any other refused in the
    service's words (`move_refusal`). Without one (the API): either move, which the service
    checks."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, choices=_moves(list(PLAN_MOVES)), **kwargs)
        self.plan: StrategicPlan | None = None

    def offer_for(self, plan: StrategicPlan) -> None:
        self.plan = plan
        self.choices = [("", _("Velg ny status")), *_moves(allowed_moves(plan))]

    def validate(self, value: Any) -> None:
        if value and self.plan is not None and not self.valid_value(value):
            refusal = move_refusal(self.plan, value)
            raise forms.ValidationError(refusal or "", code="invalid_choice")
        super().validate(value)


class PlanStatusForm(forms.Form):
    status = PlanMoveField(label=_("Ny status"))
    version = version_field()

    def __init__(self, *args: Any, plan: StrategicPlan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if plan is not None:
            field = self.fields["status"]
            assert isinstance(field, PlanMoveField)
            field.offer_for(plan)


def _goal_label(goal: Goal) -> str:
    if goal.plan is None:
        return _("Arenaens mål: %(goal)s") % {"goal": goal}
    return f"{goal.plan.period_label}: {goal}"


def _goal_with_plan(goal: Goal) -> str:
    """«1. Bedre digitale tjenester (Strategisk plan 2008–2011)»; a goal of no plan is the
    arena's own."""
    if goal.plan is None:
        return _("%(goal)s (arenaens mål)") % {"goal": goal}
    return f"{goal} ({goal.plan})"


class LinkGoalForm(forms.Form):
    """The goal a project serves, among `goals` (strategy.services.links.linkable_goals:
    the page offers them, the API is checked against them)."""

    goal = forms.ModelChoiceField(
        label=_("Mål"),
        queryset=Goal.objects.none(),
        error_messages={"invalid_choice": _("Velg et mål for prosjektets arena.")},
    )

    def __init__(self, *args: Any, goals: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if goals is not None:
            _choices(self, "goal", goals)
            field = self.fields["goal"]
            assert isinstance(field, forms.ModelChoiceField)
            field.label_from_instance = _goal_label  # type: ignore[method-assign,assignment]


class LinkFocusAreaForm(forms.Form):
    """The focus area a project is placed in, among `areas` (linkable_focus_areas)."""

    focus_area = forms.ModelChoiceField(
        label=_("Innsatsområde"),
        queryset=FocusArea.objects.none(),
        error_messages={
            "invalid_choice": _("Velg et innsatsområde i en plan for prosjektets arena.")
        },
    )

    def __init__(self, *args: Any, areas: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if areas is not None:
            _choices(self, "focus_area", areas)
            field = self.fields["focus_area"]
            assert isinstance(field, forms.ModelChoiceField)
            field.label_from_instance = lambda a: f"{a.plan.period_label}: {a}"  # type: ignore[method-assign,assignment]


class ResultForm(forms.ModelForm):
    class Meta:
        model = Result
        fields = ["kind", "title", "description", "recorded_on"]
        widgets = {"recorded_on": DATE_INPUT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _rows(self, "description")


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["result", "name", "unit", "baseline", "target"]
        field_classes = {"baseline": NumberField, "target": NumberField}

    def __init__(self, *args: Any, results: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if results is not None:
            _choices(self, "result", results)


class IndicatorValueForm(forms.ModelForm):
    class Meta:
        model = IndicatorValue
        fields = ["indicator", "measured_on", "value"]
        field_classes = {"value": NumberField}
        widgets = {"measured_on": DATE_INPUT}

    def __init__(self, *args: Any, indicators: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if indicators is not None:
            _choices(self, "indicator", indicators)


class EconomicResultForm(forms.ModelForm):
    class Meta:
        model = EconomicResult
        fields = [
            "kind",
            "basis",
            "municipality",
            "year",
            "to_year",
            "amount",
            "source",
            "note",
            "kept_outside_reason",
        ]
        field_classes = {"amount": AmountField, "municipality": MunicipalityChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "municipality", Municipality.objects.order_by("number", "valid_from"))
        # Year and source are checked by the service so its message is the one shown.
        self.fields["year"].required = False
        self.fields["source"].required = False
        _rows(self, "note")

    def clean(self) -> dict[str, Any]:
        super().clean()
        _period_on_its_field(self, "year", "to_year")
        return self.cleaned_data


class AdministrationCostForm(forms.ModelForm):
    class Meta:
        model = AdministrationCost
        fields = ["first_year", "last_year", "amount", "source"]
        field_classes = {"amount": AmountField}

    def clean(self) -> dict[str, Any]:
        super().clean()
        _period_on_its_field(self, "first_year", "last_year")
        return self.cleaned_data


class BenefitForm(VersionedForm):
    class Meta:
        model = Benefit
        fields = ["municipality", "description", "expected_amount", "owner", "target_date"]
        field_classes = {
            "expected_amount": AmountField,
            "municipality": MunicipalityChoiceField.dated_by("target_date"),
        }
        widgets = {"target_date": DATE_INPUT}

    def __init__(self, *args: Any, municipalities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            _choices(self, "municipality", municipalities)
        self.fields["owner"].required = False  # the service explains what is missing
        _rows(self, "description")


class RealisationForm(forms.ModelForm):
    class Meta:
        model = BenefitRealisation
        fields = ["recorded_on", "amount", "status", "note"]
        field_classes = {"amount": AmountField}
        widgets = {"recorded_on": DATE_INPUT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _rows(self, "note")


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = GoalAssessment
        fields = ["goal", "attainment", "evidence", "assessed_on", "assessed_by"]
        widgets = {"assessed_on": DATE_INPUT}

    def __init__(self, *args: Any, goals: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if goals is not None:
            # each goal read with its plan: goals of two plans may share number and title
            _choices(self, "goal", goals.select_related("plan"))
            field = self.fields["goal"]
            assert isinstance(field, forms.ModelChoiceField)
            field.label_from_instance = _goal_with_plan  # type: ignore[method-assign,assignment]
        self.fields["evidence"].required = False
        _rows(self, "evidence")


class PeriodForm(forms.Form):
    first_year = forms.IntegerField(label=_("Fra år"), min_value=1900, max_value=2200)
    last_year = forms.IntegerField(label=_("Til og med år"), min_value=1900, max_value=2200)
