from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from samarbeid.arenas.choice_field import ArenaChoiceField
from samarbeid.arenas.models import Arena
from samarbeid.core import dates
from samarbeid.core.forms import (
    DATE_INPUT,
    AmountField,
    PercentField,
    VersionedForm,
    apply_validation_error,
    version_field,
)
from samarbeid.core.municipality_field import MunicipalityChoiceField
from samarbeid.core.templatetags.samarbeid import nok
from samarbeid.finance.budgets import NEGATIVE, project_problem
from samarbeid.finance.corrections import (
    CREDIT_REASON_MISSING,
    LINES,
    REPLACEMENT_REASON_MISSING,
    CreditLine,
    credit_field,
    credit_line_refusals,
    credit_lines,
    left_to_credit,
    replaceable_lines,
    replacement_line_refusals,
)
from samarbeid.finance.grants import INVOICED_LOCK, amount_problems, grant_problems
from samarbeid.finance.keys import PRESET_LABELS, key_weights
from samarbeid.finance.models import (
    AllocationKey,
    Budget,
    BudgetLine,
    Grant,
    Invoice,
    InvoiceRun,
    account_number,
)
from samarbeid.finance.references import REFERENCE_MISSING
from samarbeid.finance.run_steps import DueDate
from samarbeid.lib.allocation import COMPONENTS, PRESETS
from samarbeid.lib.money import format_nok
from samarbeid.portfolio.models import Project
from samarbeid.registry.models import Municipality

PRESET_CHOICES = [
    ("", _("Egendefinert (bruk vektene under)")),
    *PRESET_LABELS.items(),
]


class KeyForm(VersionedForm):
    """A key's weights, typed or filled in from a standard key. A standard key fills the
    weight fields in the browser (js/key-preset.js) so that what is shown is what is saved;
    the server keeps the weights given and refuses a standard key that disagrees with them
    (`key_weights`, the API's rule too). No standard key is chosen unless the user
    chooses one."""

    preset = forms.ChoiceField(
        label=_("Standardnøkkel"),
        choices=PRESET_CHOICES,
        required=False,
        widget=forms.Select(
            attrs={
                "data-key-preset": json.dumps(
                    {
                        name: {c.name: f"{v.normalize():f}" for c, v in weights}
                        for name, weights in PRESETS.items()
                    }
                )
            }
        ),
    )

    class Meta:
        model = AllocationKey
        # one weight field for each declared component, in its order
        fields = ["name", "description", *COMPONENTS, "population_year"]
        field_classes = dict.fromkeys(COMPONENTS, PercentField)

    field_order = ["name", "description", "preset"]
    WEIGHTS = COMPONENTS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.WEIGHTS:
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if any(name in self.errors for name in self.WEIGHTS):
            return data
        try:
            data.update(
                key_weights(data.get("preset"), {name: data.get(name) for name in self.WEIGHTS})
            )
        except ValidationError as exc:
            apply_validation_error(self, exc)
        return data


class PreviewTotalForm(forms.Form):
    """The amount a preview splits, read as the pages read an amount (the API's preview
    takes this alone; the key's page adds the year)."""

    total = AmountField(label=_("Beløp å fordele (kr)"))


class PreviewForm(PreviewTotalForm):
    year = forms.IntegerField(label=_("Budsjettår"), min_value=1900, max_value=2100)


class UsageForm(forms.Form):
    municipality = MunicipalityChoiceField(label=_("Kommune"), queryset=Municipality.objects.none())
    year = forms.IntegerField(label=_("År"), validators=[dates.BUDGET_YEAR])
    units = AmountField(label=_("Enheter (f.eks. saker)"))

    def __init__(self, *args: Any, municipalities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]


class FixedForm(forms.Form):
    municipality = MunicipalityChoiceField(label=_("Kommune"), queryset=Municipality.objects.none())
    percent = forms.DecimalField(
        label=_("Prosent"), min_value=Decimal(0), max_value=Decimal(100), decimal_places=4
    )

    def __init__(self, *args: Any, municipalities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]


def _amount(model: Any, name: str, *, required: bool = True) -> AmountField:
    """The model field's label, typed the Norwegian way ("12 500,50")."""
    return AmountField(label=capfirst(model._meta.get_field(name).verbose_name), required=required)


class _NotNegative(VersionedForm):
    """Refuses a negative amount in the service's words, on its field (the database
    constraint would say it for the record as a whole)."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, message in NEGATIVE.items():
            value = data.get(name)
            if name in self.fields and value is not None and value < 0:
                self.add_error(name, message)
        return data


class BudgetForm(_NotNegative):
    administration_cost = _amount(Budget, "administration_cost")
    # Not required: a form (or an API payload) that does not name it keeps the default.
    external_basis = forms.ChoiceField(
        label=capfirst(Budget._meta.get_field("external_basis").verbose_name),
        help_text=Budget._meta.get_field("external_basis").help_text,
        choices=Budget.ExternalBasis.choices,
        required=False,
    )

    def clean_external_basis(self) -> str:
        return self.cleaned_data.get("external_basis") or Budget.ExternalBasis.RECEIVED

    class Meta:
        model = Budget
        fields = ["year", "administration_cost", "external_basis", "note"]


class LineForm(_NotNegative):
    amount = _amount(BudgetLine, "amount")
    actual = _amount(BudgetLine, "actual", required=False)

    class Meta:
        model = BudgetLine
        fields = ["kind", "project", "description", "amount", "actual", "key"]

    def __init__(self, *args: Any, arena: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(arena=arena)  # type: ignore[attr-defined]
        self.fields["key"].queryset = AllocationKey.objects.filter(arena=arena)  # type: ignore[attr-defined]
        self.arena = arena

    def clean(self) -> dict[str, Any]:
        # before the model's checks: the database constraint on kind and project would
        # refuse a project line without a project for the line as a whole (an integrator's
        # trial); the service's words, on the project field
        data = super().clean() or {}
        if "kind" in data and "project" not in self.errors:
            problem = project_problem(
                data["kind"], data.get("project"), getattr(self.arena, "pk", None)
            )
            if problem:
                self.add_error("project", problem)
        return data


class GrantForm(VersionedForm):
    """A grant on a budget line: the page's form and the API's (`line`: the line it is on).
    Refuses what the service refuses, on the field (finance.grants.grant_problems)."""

    amount_applied = _amount(Grant, "amount_applied")
    amount_granted = _amount(Grant, "amount_granted", required=False)
    amount_received = _amount(Grant, "amount_received", required=False)

    class Meta:
        model = Grant
        fields = [
            "grantor_kind",
            "grantor_name",
            "purpose",
            "applied_on",
            "amount_applied",
            "status",
            "decided_on",
            "amount_granted",
            "conditions",
            "report_due",
            "reported_on",
            "amount_received",
        ]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(
        self, *args: Any, line: BudgetLine, locked: Sequence[str] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.line = line
        # on an invoiced budget (the follow-up form): what is counted in the split is shown,
        # read-only, saying why (finance.grants.counted_fields, INVOICED_LOCK)
        for name in locked:
            self.fields[name].disabled = True
            self.fields[name].help_text = INVOICED_LOCK

    def clean(self) -> dict[str, Any]:
        # before the model's checks: a field with an error here is left out of the database
        # constraint's check, whose message would name no field (a clerk's trial)
        data = super().clean() or {}
        for field, message in amount_problems(data).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return data

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # django-stubs lacks it; the instance now holds the posted values
        if not self.errors:
            for field, message in grant_problems(self.instance).items():
                self.add_error(field if field in self.fields else None, message)


class AccountNumberField(forms.CharField):
    """A Norwegian bank account number, typed as 11 digits or in the usual groupings
    ("9710.12.34561", "9710 12 34561"), cleaned to the 11 digits; refused saying what is
    wrong (finance.models.account_number: the characters, the length, the check digit)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text: str = super().clean(value)
        return account_number(text) if text else ""


class RunForm(forms.Form):
    year = forms.IntegerField(label=_("År"), validators=[dates.BUDGET_YEAR])
    issue_date = forms.DateField(
        label=_("Fakturadato"), widget=DATE_INPUT, required=False, validators=[dates.INVOICE]
    )
    # a year at most: a due date must stay in the calendar (and in reason)
    due_days = forms.IntegerField(
        label=_("Dager til forfall"), min_value=0, max_value=365, initial=30
    )
    seller_account = AccountNumberField(
        label=_("Selgerens kontonummer (11 siffer)"), required=False
    )

    def options(self) -> dict[str, Any]:
        """For the service (create_run), besides the year: the invoice date, the payment
        terms and the seller's account."""
        data = self.cleaned_data
        return {
            "issue_date": data["issue_date"],
            "due_days": data["due_days"],
            "seller_account": data["seller_account"] or "",
        }


class RunAccountForm(forms.Form):
    version = version_field()
    seller_account = AccountNumberField(
        label=_("Selgerens kontonummer (11 siffer)"),
        help_text=_("Kontoen KID-ene betales til. Sjekkes med kontrollsifferet (MOD11)."),
    )


class IssueForm(forms.Form):
    """What issuing a run whose due date has passed asks (the run page's issue button,
    the API's issue): a new due date, or to keep the one that has passed (issue_run's
    rule, check_due_date)."""

    due_date = forms.DateField(
        label=_("Ny forfallsdato"), widget=DATE_INPUT, required=False, validators=[dates.INVOICE]
    )
    keep_due_date = forms.BooleanField(
        label=_("Utsted med den passerte forfallsdatoen"), required=False
    )

    def due(self) -> DueDate:
        data = self.cleaned_data
        return DueDate(new=data.get("due_date"), keep_passed=bool(data.get("keep_due_date")))


class InvoiceReferenceForm(forms.Form):
    municipality = MunicipalityChoiceField(
        label=_("Kommune"), queryset=Municipality.objects.current().order_by("number")
    )
    arena: forms.ModelChoiceField = ArenaChoiceField(
        label=_("Arena (tom: alle arenaer)"),
        queryset=Arena.objects.none(),
        required=False,
    )
    reference = forms.CharField(
        label=_("Fakturareferanse"),
        max_length=100,
        error_messages={"required": REFERENCE_MISSING},
        help_text=_("Det kommunens økonomiavdeling vil ha i feltet «Deres referanse» (EHF BT-10)."),
    )
    contact_email = forms.EmailField(
        label=_("E-post til fakturamottaket"),
        required=False,
        help_text=_("Får beskjed på e-post når en EHF-faktura er utstedt. Kan stå tom."),
    )

    def __init__(
        self, *args: Any, arenas: Any = None, municipalities: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["arena"].queryset = arenas  # type: ignore[attr-defined]
        if municipalities is not None:
            self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]


class PerLineForm(forms.Form):
    """An amount field per invoice line, named `credit_field(position)` (the name the
    service's refusals for the line use), in the lines' order before the other fields."""

    @staticmethod
    def lines_of(invoice: Invoice) -> list[CreditLine]:
        """The invoice's lines the form is made on (what is credited on each)."""
        return credit_lines(invoice)

    def _add_line_fields(
        self,
        lines: Sequence[CreditLine],
        label: Any,
        initial: Callable[[CreditLine], str | None] = lambda _line: None,
    ) -> None:
        self.lines = list(lines)
        self.positions = [line.position for line in lines]
        for line in lines:
            self.fields[credit_field(line.position)] = AmountField(
                label=label % {"position": line.position}, required=False, initial=initial(line)
            )
        first = [name for name in self.fields if name != "reason"]
        self.order_fields([*first, "reason"])

    def full_clean(self) -> None:
        """The form's checks; when they refuse something, also the service's refusal of
        each line whose amount the form could read (a line over what is left beside a
        line's malformed amount), each at its line's field: the clerk reads every fault in
        one answer, not one after the other. A valid form leaves the lines to the service,
        which checks the invoice as a whole first."""
        super().full_clean()
        if not self.is_bound or not self.errors:
            return
        typed = {
            position: amount
            for position in self.positions
            if (amount := self.cleaned_data.get(credit_field(position))) is not None
        }
        for name, message in self.line_refusals(typed).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)

    def line_refusals(self, amounts: dict[int, Decimal]) -> dict[str, str]:
        """What the service refuses about each line of `amounts` (keyed by its field)."""
        return {}

    def at_fields(self, exc: ValidationError) -> ValidationError:
        """The service's refusal `exc` as the page shows it: one about the lines as a whole
        (`LINES`, the API's name) at the first line's amount field, the others as given."""
        if not hasattr(exc, "error_dict") or LINES not in exc.error_dict or not self.positions:
            return exc
        errors = dict(exc.error_dict)
        first = credit_field(self.positions[0])
        errors[first] = [*errors.get(first, []), *errors.pop(LINES)]
        return ValidationError(errors)

    def per_line(self) -> dict[int, Decimal]:
        """The amount per line position (a blank line as 0)."""
        data = getattr(self, "cleaned_data", {})
        return {
            position: data.get(credit_field(position)) or Decimal("0.00")
            for position in self.positions
        }


class CreditForm(PerLineForm):
    """A credit note for an issued invoice: everything not yet credited (the default), or
    the amounts typed on the lines that have something left."""

    ALL = "all"
    LINES = "lines"

    mode = forms.ChoiceField(
        label=_("Hva skal krediteres?"),
        choices=(),  # set per invoice, with the amount left
        initial=ALL,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Begrunnelse for kreditering"),
        max_length=300,
        error_messages={"required": CREDIT_REASON_MISSING},
    )

    def __init__(self, *args: Any, lines: Sequence[CreditLine] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = [  # type: ignore[attr-defined]
            (
                self.ALL,
                _("Alt som gjenstår (%(amount)s kr)") % {"amount": nok(left_to_credit(lines))},
            ),
            (self.LINES, _("Bare beløpene jeg skriver på linjene")),
        ]
        self._add_line_fields(
            [line for line in lines if line.left > 0], _("Krediter på linje %(position)s (kr)")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == self.ALL and any(self.per_line().values()):
            self.add_error(
                "mode",
                _(
                    "Du har skrevet beløp på linjene. Velg «Bare beløpene jeg skriver på "
                    "linjene», eller tøm beløpsfeltene for å kreditere alt som gjenstår."
                ),
            )
        return data

    def line_refusals(self, amounts: dict[int, Decimal]) -> dict[str, str]:
        if self.cleaned_data.get("mode") != self.LINES:
            return {}  # everything left is credited; the amounts typed are not read
        return credit_line_refusals(self.lines, amounts)

    def amounts(self) -> dict[int, Decimal] | None:
        """For the service: None (everything left) or an amount per line position."""
        return None if self.cleaned_data.get("mode") == self.ALL else self.per_line()


class ReplacementForm(PerLineForm):
    """A corrected invoice after a credit note: an amount per line of the credited invoice
    (prefilled with what its credit notes credited on the line, since that is what the
    corrected invoice replaces: issued unchanged, the buyer owes what it owed; blank or 0
    leaves the line out), and a reason."""

    reason = forms.CharField(
        label=_("Begrunnelse for korrigeringen"),
        max_length=300,
        error_messages={"required": REPLACEMENT_REASON_MISSING},
    )

    @staticmethod
    def lines_of(invoice: Invoice) -> list[CreditLine]:
        """What the corrected invoice may replace: the credits since the last correction."""
        return replaceable_lines(invoice)

    def __init__(self, *args: Any, lines: Sequence[CreditLine] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._add_line_fields(
            lines,
            _("Nytt beløp på linje %(position)s (kr)"),
            # Norwegian style whatever the language: what AmountField reads back
            lambda line: format_nok(line.credited, "nb") if line.credited else None,
        )

    def line_refusals(self, amounts: dict[int, Decimal]) -> dict[str, str]:
        return replacement_line_refusals(self.lines, amounts)

    def amounts(self) -> dict[int, Decimal]:
        """For the service: the amount per line position (blank lines as 0)."""
        return self.per_line()


class RunFilterForm(forms.Form):
    """The run list's filters: the page's (`/okonomi/kjoringer/`) and the API's
    (`GET /api/v1/finance/runs`), one rule for both."""

    year = forms.IntegerField(label=_("År"), required=False, min_value=1900, max_value=2200)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle")), *InvoiceRun.Status.choices],
    )

    def narrow(self, runs: QuerySet[InvoiceRun]) -> QuerySet[InvoiceRun]:
        """`runs` limited by each filter given (the form valid); a blank one limits nothing."""
        given = {name: self.cleaned_data.get(name) for name in ("year", "status")}
        return runs.filter(**{name: value for name, value in given.items() if value})
