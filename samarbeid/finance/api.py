"""Financing API: allocation preview, keys, budgets, invoice runs and invoices.

Reads are open and show what the caller may see (issued runs of published arenas for the
public; everything for internal users). Writes need WRITE_AUTH and the arena's
secretariat. Money is a string with two decimals."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import Count, DecimalField, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.api_auth import WRITE_AUTH
from samarbeid.accounts.permissions import require
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.core.api_schemas import WRITE_ERRORS, Problem, VersionIn, money
from samarbeid.core.paging import Pagination
from samarbeid.finance import services
from samarbeid.finance.models import (
    AllocationKey,
    Budget,
    BudgetLine,
    HostShareLine,
    Invoice,
    InvoiceReference,
    InvoiceRun,
    KeyFixedPercent,
    KeyUsage,
)
from samarbeid.lib.allocation import AllocationError, Participant, Weights, allocate
from samarbeid.portfolio.models import Project
from samarbeid.registry.models import Municipality

router = Router(tags=["finance"])


class Mapped:
    """A queryset seen through `convert`, sliced by the paginator before it is loaded, so a
    page costs the same few queries however many records there are."""

    def __init__(self, queryset: Any, convert: Any) -> None:
        self.queryset = queryset
        self.convert = convert

    def all(self) -> Any:
        return self.queryset.all()

    def __len__(self) -> int:
        return int(self.queryset.count())

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [self.convert(item) for item in self.queryset[index]]


# An amount in NOK as a string, at most two decimals (a minus sign reaches the service,
# which says why a negative amount is refused).
Money = Annotated[
    str, Field(pattern=r"^-?\d{1,12}(\.\d{1,2})?$", examples=["1000000.00"], description="NOK")
]
Year = Annotated[int, Field(ge=1900, le=2100)]


def to_decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def _managed_arena(request: HttpRequest, arena_id: int) -> Arena:
    """An arena the caller sees (else 404) and whose finances they manage (else 403)."""
    arena = get_object_or_404(Arena.objects.visible_to(request.user), pk=arena_id)
    require(services.can_manage_finance(request.user, arena))
    return arena


# Allocation preview ---------------------------------------------------------------------------


class WeightsIn(Schema):
    equal: Decimal = Field(Decimal(0), description="Percent")
    per_capita: Decimal = Field(Decimal(0), description="Percent")
    usage: Decimal = Field(Decimal(0), description="Percent")
    fixed: Decimal = Field(Decimal(0), description="Percent")


class ParticipantIn(Schema):
    municipality: str = Field(description="Municipality number (or any unique key)")
    population: int | None = None
    usage: Decimal | None = None
    fixed_percent: Decimal | None = None


class PreviewIn(Schema):
    total: str = Field(examples=["1000000.00"], description="Amount in NOK, at most 2 decimals")
    weights: WeightsIn
    participants: list[ParticipantIn]


class ShareOut(Schema):
    municipality: str
    amount: str


class PreviewOut(Schema):
    total: str
    shares: list[ShareOut]


@router.post(
    "/allocations/preview",
    response={200: PreviewOut, 422: Problem},
    summary="Split a total by an allocation key",
    description=(
        "Exact to the øre: each share is floored, the remaining øre go to the largest "
        "remainders (ties: lower municipality number). Shares are in the order given and "
        "add up to the total. Nothing is stored."
    ),
)
def allocation_preview(request: HttpRequest, payload: PreviewIn) -> dict[str, Any]:
    try:
        total = Decimal(payload.total.strip())
    except InvalidOperation:
        raise ValidationError({"total": f"{payload.total!r} is not an amount."}) from None
    weights = Weights(**payload.weights.dict())
    participants = [
        Participant(
            key=p.municipality,
            population=p.population,
            usage=p.usage,
            fixed_percent=p.fixed_percent,
        )
        for p in payload.participants
    ]
    try:
        shares = allocate(total, weights, participants)
    except AllocationError as exc:
        field = "participants" if exc.participant_key else "total"
        if exc.code.startswith("weight"):
            field = "weights"
        raise ValidationError({field: str(exc)}) from None
    return {
        "total": money(total),
        "shares": [{"municipality": s.key, "amount": money(s.amount)} for s in shares],
    }


# Keys -------------------------------------------------------------------------------------------


class KeyOut(Schema):
    id: int
    version: int
    arena: int
    name: str
    description: str
    equal: str
    per_capita: str
    usage: str
    fixed: str
    population_year: int | None = Field(description="Empty: the year before the budget year")
    is_example_data: bool


def _preset_field() -> Any:
    return Field(
        None,
        description=(
            "A standard key (equal, per_capita, 50/50, 30/70) giving the weights not sent; "
            "a weight sent must equal the standard key's, else 422"
        ),
    )


class KeyIn(Schema):
    arena: int
    name: str
    description: str = ""
    preset: str | None = _preset_field()
    equal: Decimal | None = Field(None, description="Not sent: 0, or the standard key's")
    per_capita: Decimal | None = Field(None, description="Not sent: 0, or the standard key's")
    usage: Decimal | None = Field(None, description="Not sent: 0, or the standard key's")
    fixed: Decimal | None = Field(None, description="Not sent: 0, or the standard key's")
    population_year: int | None = None


WEIGHT_FIELDS = ("equal", "per_capita", "usage", "fixed")


def key_out(key: AllocationKey) -> dict[str, Any]:
    return {
        "id": key.pk,
        "version": key.version,
        "arena": key.arena_id,
        "name": key.name,
        "description": key.description,
        "equal": f"{key.equal:.2f}",
        "per_capita": f"{key.per_capita:.2f}",
        "usage": f"{key.usage:.2f}",
        "fixed": f"{key.fixed:.2f}",
        "population_year": key.population_year,
        "is_example_data": key.is_example_data,
    }


class ArenaYearFilter(Schema):
    arena: int | None = None
    year: int | None = None


@router.get("/finance/keys", response=list[KeyOut], summary="List allocation keys")
@paginate(Pagination)
def list_keys(request: HttpRequest, filters: Query[ArenaYearFilter]) -> list[dict[str, Any]]:
    keys = services.keys_visible_to(request.user).order_by("arena_id", "name")
    if filters.arena:
        keys = keys.filter(arena_id=filters.arena)
    return Mapped(keys, key_out)  # type: ignore[return-value]


@router.get("/finance/keys/{key_id}", response={200: KeyOut, 404: Problem}, summary="One key")
def get_key(request: HttpRequest, key_id: int) -> dict[str, Any]:
    key = get_object_or_404(services.keys_visible_to(request.user), pk=key_id)
    return key_out(key)


@router.post(
    "/finance/keys",
    response={201: KeyOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Create an allocation key",
    description="The arena's secretariat may. The weights must add up to 100.",
)
def create_key_api(request: HttpRequest, payload: KeyIn) -> Status[dict[str, Any]]:
    arena = get_object_or_404(Arena.objects.visible_to(request.user), pk=payload.arena)
    data = payload.dict()
    data.pop("arena")
    typed = {name: data.pop(name) for name in WEIGHT_FIELDS}
    data.update(services.key_weights(data.pop("preset"), typed))
    key = AllocationKey(arena=arena, **data)
    services.create_key(key, actor=request.user, channel=Channel.API)
    return Status(201, key_out(key))


class KeyPatch(Schema):
    version: int = Field(description="The version you read; a newer stored version answers 409")
    name: str | None = None
    description: str | None = None
    preset: str | None = _preset_field()
    equal: Decimal | None = Field(None, ge=0, le=100, decimal_places=2)
    per_capita: Decimal | None = Field(None, ge=0, le=100, decimal_places=2)
    usage: Decimal | None = Field(None, ge=0, le=100, decimal_places=2)
    fixed: Decimal | None = Field(None, ge=0, le=100, decimal_places=2)
    population_year: Year | None = None


def _managed_key(request: HttpRequest, key_id: int) -> AllocationKey:
    key = get_object_or_404(
        services.keys_visible_to(request.user).select_related("arena"), pk=key_id
    )
    require(services.can_manage_finance(request.user, key.arena))
    return key


@router.patch(
    "/finance/keys/{key_id}",
    response={200: KeyOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Change an allocation key",
    description=(
        "The arena's secretariat may. Send the `version` you read. The weights must add up "
        "to 100; they cannot change once a budget using the key is invoiced."
    ),
)
def update_key_api(request: HttpRequest, key_id: int, payload: KeyPatch) -> dict[str, Any]:
    key = _managed_key(request, key_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    for name in ("name", "description", "equal", "per_capita", "usage", "fixed"):
        if name in changes and changes[name] is None:
            changes.pop(name)  # null: unchanged (these fields cannot be empty)
    preset = changes.pop("preset", None)
    if preset:
        # the page's rule: the standard key gives the weights not sent, and must agree
        # with those sent
        changes.update(
            services.key_weights(preset, {name: changes.get(name) for name in WEIGHT_FIELDS})
        )
    services.update_key(
        key, changes, expected_version=version, actor=request.user, channel=Channel.API
    )
    return key_out(key)


@router.delete(
    "/finance/keys/{key_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Delete an allocation key no budget line uses",
    description="With `version`, a newer stored version answers 409.",
)
def delete_key_api(request: HttpRequest, key_id: int, version: int | None = None) -> Status[None]:
    key = _managed_key(request, key_id)
    services.delete_key(key, expected_version=version, actor=request.user, channel=Channel.API)
    return Status(204, None)


class UsageIn(Schema):
    municipality: str = Field(pattern=r"^\d{4}$", description="Number of a member municipality")
    year: Year
    units: Money


class UsageOut(Schema):
    key: int
    municipality: str
    year: int
    units: str


class FixedIn(Schema):
    municipality: str = Field(pattern=r"^\d{4}$", description="Number of a member municipality")
    percent: Decimal = Field(ge=0, le=100, decimal_places=4)


class FixedOut(Schema):
    key: int
    municipality: str
    percent: str


def _member(key: AllocationKey, number: str, year: int | None) -> Municipality:
    """The arena's member municipality with `number` (in `year`, when several held it)."""
    found = list(
        Municipality.objects.filter(memberships__arena=key.arena, number=number)
        .distinct()
        .order_by("valid_from")
    )
    if year is not None and len(found) > 1:
        day = date(year, 1, 1)
        found = [m for m in found if m.is_valid_on(day)] or found[-1:]
    if not found:
        raise ValidationError(
            {"municipality": _("%(number)s er ikke medlem av arenaen.") % {"number": number}}
        )
    return found[-1]


@router.post(
    "/finance/keys/{key_id}/usages",
    response={201: UsageOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Record a member's units of usage for a year (replaces an earlier figure)",
)
def set_usage_api(request: HttpRequest, key_id: int, payload: UsageIn) -> Status[dict[str, Any]]:
    key = _managed_key(request, key_id)
    municipality = _member(key, payload.municipality, payload.year)
    usage: KeyUsage = services.set_usage(
        key,
        municipality,
        payload.year,
        Decimal(payload.units),
        actor=request.user,
        channel=Channel.API,
    )
    return Status(
        201,
        {
            "key": key.pk,
            "municipality": municipality.number,
            "year": usage.year,
            "units": money(usage.units),
        },
    )


@router.post(
    "/finance/keys/{key_id}/fixed-percents",
    response={201: FixedOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Record a member's negotiated percentage (replaces an earlier one)",
)
def set_fixed_percent_api(
    request: HttpRequest, key_id: int, payload: FixedIn
) -> Status[dict[str, Any]]:
    key = _managed_key(request, key_id)
    municipality = _member(key, payload.municipality, None)
    fixed: KeyFixedPercent = services.set_fixed_percent(
        key, municipality, payload.percent, actor=request.user, channel=Channel.API
    )
    return Status(
        201,
        {
            "key": key.pk,
            "municipality": municipality.number,
            "percent": f"{Decimal(fixed.percent):.4f}",
        },
    )


# Budgets ----------------------------------------------------------------------------------------


class LineOut(Schema):
    id: int
    version: int
    kind: str
    project: int | None
    description: str
    amount: str
    actual: str | None
    key: int


class BudgetOut(Schema):
    id: int
    version: int
    arena: int
    year: int
    administration_cost: str
    note: str
    is_example_data: bool
    lines: list[LineOut]


def budget_out(budget: Budget) -> dict[str, Any]:
    return {
        "id": budget.pk,
        "version": budget.version,
        "arena": budget.arena_id,
        "year": budget.year,
        "administration_cost": money(budget.administration_cost),
        "note": budget.note,
        "is_example_data": budget.is_example_data,
        "lines": [line_out(line) for line in budget.lines.all()],
    }


def line_out(line: BudgetLine) -> dict[str, Any]:
    return {
        "id": line.pk,
        "version": line.version,
        "kind": line.kind,
        "project": line.project_id,
        "description": line.description,
        "amount": money(line.amount),
        "actual": money(line.actual),
        "key": line.key_id,
    }


def _budgets(request: HttpRequest) -> Any:
    return services.budgets_visible_to(request.user).prefetch_related(
        Prefetch("lines", queryset=BudgetLine.objects.order_by("kind", "id"))
    )


@router.get("/finance/budgets", response=list[BudgetOut], summary="List budgets with lines")
@paginate(Pagination)
def list_budgets(request: HttpRequest, filters: Query[ArenaYearFilter]) -> list[dict[str, Any]]:
    budgets = _budgets(request).order_by("arena_id", "-year")
    if filters.arena:
        budgets = budgets.filter(arena_id=filters.arena)
    if filters.year:
        budgets = budgets.filter(year=filters.year)
    return Mapped(budgets, budget_out)  # type: ignore[return-value]


@router.get(
    "/finance/budgets/{budget_id}", response={200: BudgetOut, 404: Problem}, summary="One budget"
)
def get_budget(request: HttpRequest, budget_id: int) -> dict[str, Any]:
    budget = get_object_or_404(_budgets(request), pk=budget_id)
    return budget_out(budget)


class LineIn(Schema):
    kind: BudgetLine.Kind
    project: int | None = Field(None, description="Required for a project line")
    description: str
    amount: Money
    actual: Money | None = None
    key: int


class LinePatch(Schema):
    version: int = Field(description="The version you read; a newer stored version answers 409")
    kind: BudgetLine.Kind | None = None
    project: int | None = None
    description: str | None = None
    amount: Money | None = None
    actual: Money | None = Field(None, description="The accounts; may change after issue")
    key: int | None = None


class BudgetIn(Schema):
    arena: int
    year: Year
    administration_cost: Money = "0.00"
    note: str = ""
    lines: list[LineIn] = []


class BudgetPatch(Schema):
    version: int = Field(description="The version you read; a newer stored version answers 409")
    year: Year | None = None
    administration_cost: Money | None = None
    note: str | None = None


def _line_refs(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Turn `key` and `project` ids into records the caller sees (else 422 on the field)."""
    if data.get("key") is not None:
        key = services.keys_visible_to(request.user).filter(pk=data["key"]).first()
        if key is None:
            raise ValidationError({"key": _("Ukjent nøkkel.")})
        data["key"] = key
    if "project" in data and data["project"] is not None:
        project = Project.objects.visible_to(request.user).filter(pk=data["project"]).first()
        if project is None:
            raise ValidationError({"project": _("Ukjent prosjekt.")})
        data["project"] = project
    for name in ("amount", "actual"):
        if name in data:
            data[name] = to_decimal(data[name])
    return data


def _new_line(request: HttpRequest, payload: LineIn) -> BudgetLine:
    data = _line_refs(request, payload.dict())
    if data["key"] is None:
        raise ValidationError({"key": _("Velg nøkkelen.")})
    return BudgetLine(**data)


def _managed_budget(request: HttpRequest, budget_id: int) -> Budget:
    budget = get_object_or_404(_budgets(request).select_related("arena"), pk=budget_id)
    require(services.can_manage_finance(request.user, budget.arena))
    return budget


@router.post(
    "/finance/budgets",
    response={201: BudgetOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Create an arena's budget for a year, with its lines",
    description="The arena's secretariat may. All or nothing: a line's error refuses the lot.",
)
def create_budget_api(request: HttpRequest, payload: BudgetIn) -> Status[dict[str, Any]]:
    arena = _managed_arena(request, payload.arena)
    budget = Budget(
        arena=arena,
        year=payload.year,
        administration_cost=Decimal(payload.administration_cost).quantize(Decimal("0.01")),
        note=payload.note,
    )
    lines = []
    for index, line in enumerate(payload.lines):
        try:
            lines.append(_new_line(request, line))
        except ValidationError as exc:
            raise ValidationError(
                {f"lines.{index}.{name}": m for name, m in exc.message_dict.items()}
            ) from None
    services.create_budget(budget, lines=lines, actor=request.user, channel=Channel.API)
    return Status(201, get_budget(request, budget.pk))


@router.patch(
    "/finance/budgets/{budget_id}",
    response={200: BudgetOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Change a budget's year, administration cost or note",
    description="Send the `version` you read. Refused (422) once the year's run is issued.",
)
def update_budget_api(request: HttpRequest, budget_id: int, payload: BudgetPatch) -> dict[str, Any]:
    budget = _managed_budget(request, budget_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    version = changes.pop("version")
    if "administration_cost" in changes:
        changes["administration_cost"] = to_decimal(changes["administration_cost"])
    services.update_budget(
        budget, changes, expected_version=version, actor=request.user, channel=Channel.API
    )
    return get_budget(request, budget.pk)


@router.delete(
    "/finance/budgets/{budget_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Delete a budget with its lines",
    description=(
        "Refused (422) once the year's run is issued, or while a draft run's invoices use "
        "any of its lines. With `version`, a newer stored version answers 409."
    ),
)
def delete_budget_api(
    request: HttpRequest, budget_id: int, version: int | None = None
) -> Status[None]:
    budget = _managed_budget(request, budget_id)
    services.delete_budget(
        budget, expected_version=version, actor=request.user, channel=Channel.API
    )
    return Status(204, None)


@router.post(
    "/finance/budgets/{budget_id}/lines",
    response={201: LineOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Add a line to a budget",
    description="Refused (422) once the year's run is issued.",
)
def add_line_api(request: HttpRequest, budget_id: int, payload: LineIn) -> Status[dict[str, Any]]:
    budget = _managed_budget(request, budget_id)
    line = _new_line(request, payload)
    line.budget = budget
    services.add_line(line, actor=request.user, channel=Channel.API)
    return Status(201, line_out(line))


def _managed_line(request: HttpRequest, line_id: int) -> BudgetLine:
    line = get_object_or_404(
        BudgetLine.objects.filter(budget__in=services.budgets_visible_to(request.user))
        .select_related("budget__arena", "key", "project")
        .filter(pk=line_id)
    )
    require(services.can_manage_finance(request.user, line.budget.arena))
    return line


@router.patch(
    "/finance/budget-lines/{line_id}",
    response={200: LineOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Change a budget line",
    description=(
        "Send the `version` you read. Once the year's run is issued only `actual` (the "
        "accounts) may change."
    ),
)
def update_line_api(request: HttpRequest, line_id: int, payload: LinePatch) -> dict[str, Any]:
    line = _managed_line(request, line_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    for name in ("kind", "description", "amount", "key"):
        if name in data and data[name] is None:
            data.pop(name)  # null: unchanged (these fields cannot be empty)
    changes = _line_refs(request, data)
    services.update_line(
        line, changes, expected_version=version, actor=request.user, channel=Channel.API
    )
    return line_out(line)


@router.delete(
    "/finance/budget-lines/{line_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Delete a budget line",
    description=(
        "Refused (422) once the year's run is issued, or while a draft run's invoices use "
        "the line. With `version`, a newer stored version answers 409."
    ),
)
def delete_line_api(request: HttpRequest, line_id: int, version: int | None = None) -> Status[None]:
    line = _managed_line(request, line_id)
    services.delete_line(line, expected_version=version, actor=request.user, channel=Channel.API)
    return Status(204, None)


# Runs -------------------------------------------------------------------------------------------


class RunOut(Schema):
    id: int
    version: int
    arena: int
    year: int
    status: str
    issue_date: date
    due_date: date
    seller: str = Field(description="Municipality number of the seller (host municipality)")
    invoices: int = Field(description="Invoices, corrected invoices included (not credit notes)")
    total: str = Field(
        description="Sum of the invoices, corrected invoices included (credit notes not subtracted)"
    )
    credit_notes: int = Field(0, description="Credit notes issued against the run's invoices")
    credited: str = Field("0.00", description="Sum of the credit notes")
    net: str = Field(
        "0.00",
        description="What the run invoices after credit notes: `total` − `credited` (the run "
        "page's 'Fakturert')",
    )
    host_share: str = Field(
        description="The seller's (host municipality's) own share of the budget: not "
        "invoiced, no EHF or KID. Invoices plus host share make the budget."
    )
    seller_account: str = Field(description="The seller's bank account (empty: not set)")
    is_example_data: bool


class RunIn(Schema):
    arena: int
    year: Year
    issue_date: date | None = None
    due_days: int = 30
    seller_account: str = Field("", pattern=r"^(\d{11})?$")


def _runs(request: HttpRequest) -> Any:
    # Correlated subqueries rather than Count/Sum over a join to every invoice: a page of
    # the list then sums the invoices of its own runs only, not of all runs before LIMIT.
    documents = Invoice.objects.filter(run=OuterRef("pk")).order_by().values("run")
    invoices = documents.filter(kind=Invoice.Kind.INVOICE)
    notes = documents.filter(kind=Invoice.Kind.CREDIT_NOTE)
    return (
        services.runs_visible_to(request.user)
        .select_related("seller")
        .annotate(
            invoice_count=Coalesce(
                Subquery(invoices.annotate(n=Count("pk")).values("n")[:1]), Value(0)
            ),
            invoice_total=Subquery(
                invoices.annotate(total_sum=Sum("total")).values("total_sum")[:1],
                output_field=DecimalField(max_digits=14, decimal_places=2),
            ),
            credit_note_count=Coalesce(
                Subquery(notes.annotate(n=Count("pk")).values("n")[:1]), Value(0)
            ),
            credited_total=Subquery(
                notes.annotate(total_sum=Sum("total")).values("total_sum")[:1],
                output_field=DecimalField(max_digits=14, decimal_places=2),
            ),
            host_share_total=Subquery(
                HostShareLine.objects.filter(run=OuterRef("pk"))
                .order_by()
                .values("run")
                .annotate(total_sum=Sum("amount"))
                .values("total_sum")[:1],
                output_field=DecimalField(max_digits=14, decimal_places=2),
            ),
        )
    )


def run_out(run: InvoiceRun) -> dict[str, Any]:
    count = getattr(run, "invoice_count", None)
    total = getattr(run, "invoice_total", None)
    notes = getattr(run, "credit_note_count", None)
    credited = getattr(run, "credited_total", None)
    host = getattr(run, "host_share_total", None)
    if count is None:
        invoices = run.invoices.filter(kind=Invoice.Kind.INVOICE)
        credit_notes = run.invoices.filter(kind=Invoice.Kind.CREDIT_NOTE)
        count = invoices.count()
        total = invoices.aggregate(total=Sum("total"))["total"]
        notes = credit_notes.count()
        credited = credit_notes.aggregate(total=Sum("total"))["total"]
        host = run.host_share_lines.aggregate(total=Sum("amount"))["total"]
    total = total or Decimal("0.00")
    credited = credited or Decimal("0.00")
    return {
        "id": run.pk,
        "version": run.version,
        "arena": run.arena_id,
        "year": run.year,
        "status": run.status,
        "issue_date": run.issue_date,
        "due_date": run.due_date,
        "seller": run.seller.number,
        "invoices": count,
        "total": money(total),
        "credit_notes": notes,
        "credited": money(credited),
        "net": money(total - credited),
        "host_share": money(Decimal(host or 0).quantize(Decimal("0.01"))),
        "seller_account": run.seller_account,
        "is_example_data": run.is_example_data,
    }


@router.get("/finance/runs", response=list[RunOut], summary="List invoice runs")
@paginate(Pagination)
def list_runs(request: HttpRequest, filters: Query[ArenaYearFilter]) -> list[dict[str, Any]]:
    runs = _runs(request).order_by("-year", "arena_id")
    if filters.arena:
        runs = runs.filter(arena_id=filters.arena)
    if filters.year:
        runs = runs.filter(year=filters.year)
    return Mapped(runs, run_out)  # type: ignore[return-value]


@router.get("/finance/runs/{run_id}", response={200: RunOut, 404: Problem}, summary="One run")
def get_run(request: HttpRequest, run_id: int) -> dict[str, Any]:
    run = get_object_or_404(_runs(request), pk=run_id)
    return run_out(run)


@router.post(
    "/finance/runs",
    response={201: RunOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Make a draft invoice run from the arena's budget for a year",
)
def create_run_api(request: HttpRequest, payload: RunIn) -> Status[dict[str, Any]]:
    arena = get_object_or_404(Arena.objects.visible_to(request.user), pk=payload.arena)
    run = services.create_run(
        arena,
        payload.year,
        actor=request.user,
        channel=Channel.API,
        issue_date=payload.issue_date,
        due_days=payload.due_days,
        seller_account=payload.seller_account,
    )
    return Status(201, run_out(run))


def _editable_run(request: HttpRequest, run_id: int) -> InvoiceRun:
    run = services.runs_visible_to(request.user).select_related("arena", "seller")
    return get_object_or_404(run, pk=run_id)


@router.post(
    "/finance/runs/{run_id}/approve",
    response={200: RunOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Approve a draft run (refused if already approved)",
)
def approve_run_api(request: HttpRequest, run_id: int, payload: VersionIn) -> dict[str, Any]:
    run = _editable_run(request, run_id)
    services.approve_run(
        run, expected_version=payload.version, actor=request.user, channel=Channel.API
    )
    return run_out(run)


class RunAccountIn(Schema):
    version: int = Field(ge=1, description="The version read; a newer stored version answers 409")
    seller_account: str = Field(max_length=20, description="11 digits with a MOD11 check digit")


@router.put(
    "/finance/runs/{run_id}/account",
    response={200: RunOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Set the seller's bank account on a draft run",
)
def set_run_account_api(request: HttpRequest, run_id: int, payload: RunAccountIn) -> dict[str, Any]:
    run = _editable_run(request, run_id)
    services.set_run_account(
        run,
        payload.seller_account,
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
    )
    return get_run(request, run.pk)


# Invoice references -------------------------------------------------------------------------------


class InvoiceReferenceOut(Schema):
    id: int
    municipality: str = Field(description="Municipality number")
    arena: int | None = Field(description="The arena it is for; null: every arena")
    reference: str


class InvoiceReferenceIn(Schema):
    municipality: str = Field(pattern=r"^\d{4}$", description="A current municipality's number")
    arena: int | None = None
    reference: str = Field(max_length=100)


def _reference_out(reference: InvoiceReference) -> dict[str, Any]:
    return {
        "id": reference.pk,
        "municipality": reference.municipality.number,
        "arena": reference.arena_id,
        "reference": reference.reference,
    }


@router.get(
    "/finance/invoice-references",
    response=list[InvoiceReferenceOut],
    summary="List the municipalities' invoice references (internal users)",
)
@paginate(Pagination)
def list_references(request: HttpRequest) -> list[dict[str, Any]]:
    found = services.references_visible_to(request.user).order_by("municipality__number", "pk")
    return Mapped(found, _reference_out)  # type: ignore[return-value]


@router.put(
    "/finance/invoice-references",
    response={200: InvoiceReferenceOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Set a municipality's invoice reference (for one arena, or for all)",
)
def set_reference_api(request: HttpRequest, payload: InvoiceReferenceIn) -> dict[str, Any]:
    municipality = Municipality.objects.current().filter(number=payload.municipality).first()
    if municipality is None:
        raise ValidationError({"municipality": _("Ingen kommune har dette nummeret nå.")})
    arena = None
    if payload.arena is not None:
        arena = get_object_or_404(Arena.objects.visible_to(request.user), pk=payload.arena)
    reference = services.set_invoice_reference(
        municipality, arena, payload.reference, actor=request.user, channel=Channel.API
    )
    return _reference_out(reference)


@router.delete(
    "/finance/invoice-references/{reference_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Delete an invoice reference",
)
def delete_reference_api(request: HttpRequest, reference_id: int) -> Status[None]:
    reference = get_object_or_404(services.references_visible_to(request.user), pk=reference_id)
    services.delete_invoice_reference(reference, actor=request.user, channel=Channel.API)
    return Status(204, None)


@router.post(
    "/finance/runs/{run_id}/issue",
    response={200: RunOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Issue an approved run (refused unless every EHF document validates)",
)
def issue_run_api(request: HttpRequest, run_id: int, payload: VersionIn) -> dict[str, Any]:
    run = _editable_run(request, run_id)
    services.issue_run(
        run, expected_version=payload.version, actor=request.user, channel=Channel.API
    )
    return run_out(run)


@router.post(
    "/finance/runs/{run_id}/refresh",
    response={200: RunOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Make a draft run's invoices again from the budget as it is now",
)
def refresh_run_api(request: HttpRequest, run_id: int, payload: VersionIn) -> dict[str, Any]:
    run = _editable_run(request, run_id)
    services.refresh_run(
        run, expected_version=payload.version, actor=request.user, channel=Channel.API
    )
    return get_run(request, run.pk)


@router.delete(
    "/finance/runs/{run_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Discard a draft run with its invoices",
    description=(
        "Approved and issued runs cannot be discarded (422); an issued invoice is corrected "
        "with a credit note. With `version`, a newer stored version answers 409."
    ),
)
def delete_run_api(request: HttpRequest, run_id: int, version: int | None = None) -> Status[None]:
    run = _editable_run(request, run_id)
    services.delete_run(run, expected_version=version, actor=request.user, channel=Channel.API)
    return Status(204, None)


# Invoices ---------------------------------------------------------------------------------------


class InvoiceLineOut(Schema):
    position: int
    kind: str
    project: int | None
    share_of: str = Field(description="Municipality number whose share this line is")
    description: str
    amount: str
    note: str


class InvoiceAddressOut(Schema):
    street: str
    postal_code: str
    city: str
    country: str


def _address(invoice: Invoice, role: str) -> dict[str, str]:
    return {
        part: getattr(invoice, f"{role}_{part}")
        for part in ("street", "postal_code", "city", "country")
    }


class InvoiceOut(Schema):
    id: int
    run: int
    kind: str
    number: str
    kid: str
    buyer: str = Field(description="Municipality number of the buyer")
    buyer_name: str
    buyer_organisation_number: str
    seller_name: str
    seller_organisation_number: str
    issue_date: date
    due_date: date
    total: str
    credited: int | None = Field(description="For a credit note: the invoice it credits")
    replaces: int | None = Field(
        description="For a corrected invoice (issued after a credit note): the invoice it replaces"
    )
    issued: bool
    buyer_reference: str = Field(
        description="The buyer's invoice reference sent as BuyerReference (BT-10); empty on "
        "invoices made before references were kept (their EHF carries the arena's label)"
    )
    buyer_registered_name: str = Field(description="From the register of legal entities")
    buyer_address: InvoiceAddressOut
    seller_registered_name: str = Field(description="From the register of legal entities")
    seller_address: InvoiceAddressOut
    credit_notes: list[int] = Field(description="The credit notes issued for this invoice")
    left_to_credit: str | None = Field(
        description="What may still be credited on this invoice's lines (null for a credit "
        "note or an invoice not issued)"
    )
    lines: list[InvoiceLineOut]


class InvoiceFilter(Schema):
    run: int | None = None
    buyer: str | None = Field(None, pattern=r"^\d{4}$")


def invoice_out(invoice: Invoice) -> dict[str, Any]:
    """An invoice with its lines (prefetched by `_invoices`: lines, and credit notes with
    theirs)."""
    notes = list(invoice.credit_notes.all())
    left = None
    if not invoice.is_credit_note and invoice.issued_at is not None:
        matched = services.match_credits(
            invoice.lines.all(), [line for note in notes for line in note.lines.all()]
        )
        left = money(services.left_to_credit(matched))
    return {
        "id": invoice.pk,
        "run": invoice.run_id,
        "kind": invoice.kind,
        "number": invoice.number,
        "kid": invoice.kid,
        "buyer": invoice.buyer.number,
        "buyer_name": invoice.buyer_name,
        "buyer_organisation_number": invoice.buyer_organisation_number,
        "seller_name": invoice.seller_name,
        "seller_organisation_number": invoice.seller_organisation_number,
        "issue_date": invoice.issue_date,
        "due_date": invoice.due_date,
        "total": money(invoice.total),
        "credited": invoice.credited_id,
        "replaces": invoice.replaces_id,
        "issued": invoice.issued_at is not None,
        "buyer_reference": invoice.buyer_reference,
        "buyer_registered_name": invoice.buyer_registered_name,
        "buyer_address": _address(invoice, "buyer"),
        "seller_registered_name": invoice.seller_registered_name,
        "seller_address": _address(invoice, "seller"),
        "credit_notes": [note.pk for note in notes],
        "left_to_credit": left,
        "lines": [
            {
                "position": line.position,
                "kind": line.kind,
                "project": line.project_id,
                "share_of": line.share_of.number,
                "description": line.description,
                "amount": money(line.amount),
                "note": line.note,
            }
            for line in invoice.lines.all()
        ],
    }


def _invoices(request: HttpRequest) -> Any:
    from samarbeid.finance.models import InvoiceLine

    return (
        services.invoices_visible_to(request.user)
        .select_related("buyer")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=InvoiceLine.objects.select_related("share_of").order_by("position"),
            ),
            Prefetch(
                "credit_notes",
                queryset=Invoice.objects.order_by("issued_at", "pk").prefetch_related("lines"),
            ),
        )
    )


@router.get("/finance/invoices", response=list[InvoiceOut], summary="List invoices")
@paginate(Pagination)
def list_invoices(request: HttpRequest, filters: Query[InvoiceFilter]) -> list[dict[str, Any]]:
    invoices = _invoices(request).order_by("run_id", "number")
    if filters.run:
        invoices = invoices.filter(run_id=filters.run)
    if filters.buyer:
        invoices = invoices.filter(buyer__number=filters.buyer)
    return Mapped(invoices, invoice_out)  # type: ignore[return-value]


@router.get(
    "/finance/invoices/{invoice_id}",
    response={200: InvoiceOut, 404: Problem},
    summary="One invoice with its lines",
)
def get_invoice(request: HttpRequest, invoice_id: int) -> dict[str, Any]:
    invoice = get_object_or_404(_invoices(request), pk=invoice_id)
    return invoice_out(invoice)


def _invoice_to_correct(request: HttpRequest, invoice_id: int) -> Invoice:
    """The invoice to credit or correct: 404 if the caller may not see it, 403 (before any
    problem with the request's lines) if they may not manage the arena's finances."""
    invoice = get_object_or_404(
        services.invoices_visible_to(request.user).select_related("run__arena"), pk=invoice_id
    )
    require(services.can_manage_finance(request.user, invoice.run.arena))
    return invoice


class _LineAmounts:
    """The `lines` of a credit or a corrected invoice as amounts per line position, and the
    service's refusals of a line (keyed by `credit_field(position)`) told back under the
    line's place in the request (`lines.<index>`)."""

    def __init__(self, lines: Sequence[Any]) -> None:
        self.amounts: dict[int, Decimal] = {}
        self._index: dict[str, tuple[int, int]] = {}  # field → place, position
        for index, line in enumerate(lines):
            if line.position in self.amounts:
                raise ValidationError(
                    {
                        f"lines.{index}.position": _("Linje %(position)s står mer enn én gang.")
                        % {"position": line.position}
                    }
                )
            self.amounts[line.position] = Decimal(line.amount)
            self._index[services.credit_field(line.position)] = (index, line.position)

    @contextmanager
    def errors_by_index(self) -> Iterator[None]:
        try:
            yield
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            errors: dict[str, list[str]] = {}
            for name, messages in exc.message_dict.items():
                if name not in self._index:
                    errors[name] = messages
                    continue
                index, position = self._index[name]
                errors[f"lines.{index}"] = [
                    _("Linje %(position)s: %(problem)s")
                    % {"position": position, "problem": message}
                    for message in messages
                ]
            raise ValidationError(errors) from None


class CreditLineIn(Schema):
    position: int = Field(
        ge=1,
        description=(
            "The line's `position` as the invoice lists it (`lines[].position`): stable, an "
            "issued invoice never changes"
        ),
    )
    amount: Money = Field(
        description="NOK to credit on the line (two decimals at most); at most what is left"
    )


class CreditIn(Schema):
    reason: str = Field(max_length=300, description="Why the invoice is credited")
    lines: list[CreditLineIn] | None = Field(
        None,
        description=(
            "What to credit, per line. A line left out (or given 0) is not credited. Without "
            "`lines` (or null) everything not yet credited is credited: the whole invoice "
            "the first time."
        ),
    )


@router.post(
    "/finance/invoices/{invoice_id}/credit",
    response={201: InvoiceOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Credit an issued invoice, in full or in part (issues a credit note)",
    description=(
        "The arena's secretariat may. Answers the credit note, numbered `<number>-K`, then "
        "`<number>-K2`, `-K3` … for later ones: an invoice may be credited by several "
        "notes until nothing is left. Its lines are the lines credited (same `position`) "
        "with the amounts credited. Without `lines`, everything not yet credited is "
        "credited (as before partial credits existed). Refused with 422, nothing written: "
        "a credit note or an invoice not issued, one credited in full already, an empty "
        "reason, a position the invoice does not have or given twice, an amount that is "
        "negative or exceeds what is left on its line, or amounts that are all 0. An error "
        "about one line has `loc` `lines.<index>` (its place in the request's `lines`) and "
        "a message naming the line's position."
    ),
)
def credit_invoice_api(
    request: HttpRequest, invoice_id: int, payload: CreditIn
) -> Status[dict[str, Any]]:
    invoice = _invoice_to_correct(request, invoice_id)
    lines = _LineAmounts(payload.lines or [])
    with lines.errors_by_index():
        note = services.credit_invoice(
            invoice,
            payload.reason,
            amounts=lines.amounts if payload.lines is not None else None,
            actor=request.user,
            channel=Channel.API,
        )
    return Status(201, get_invoice(request, note.pk))


class ReplacementLineIn(Schema):
    position: int = Field(
        ge=1,
        description="The `position` of the line on the credited invoice (`lines[].position`)",
    )
    amount: Money = Field(
        description="The line's new amount in NOK (two decimals at most; 0 leaves the line "
        "out; more than the original amount is allowed)"
    )


class ReplacementIn(Schema):
    reason: str = Field(max_length=300, description="Why the invoice is corrected")
    lines: list[ReplacementLineIn] = Field(
        description="The lines of the corrected invoice: copies of the credited invoice's lines "
        "at these positions, with these amounts. A line left out (or given 0) is not on it."
    )


@router.post(
    "/finance/invoices/{invoice_id}/replacement",
    response={201: InvoiceOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Issue a corrected invoice for a credited invoice (ny faktura etter kreditering)",
    description=(
        "The arena's secretariat may. For an issued invoice (itself a corrected one or not) "
        "that has at least one credit note: issues a new invoice in the same run to the same "
        "buyer, dated today, due after the run's payment terms, with its own KID and "
        "`replaces` set to the invoice. It is numbered after the first invoice of the "
        "chain: `<number>-2`, then `<number>-3` …. Its lines are copies of the invoice's "
        "lines at the positions given (keeping those positions) with the amounts given; "
        "an amount may exceed the original. Refused with 422, nothing written: a credit "
        "note, an invoice not issued or never credited, an empty reason, a position the "
        "invoice does not have or given twice, a negative amount, or amounts that are all 0. "
        "An error about one line has `loc` `lines.<index>` (its place in the request's "
        "`lines`) and a message naming the line's position."
    ),
)
def replacement_api(
    request: HttpRequest, invoice_id: int, payload: ReplacementIn
) -> Status[dict[str, Any]]:
    invoice = _invoice_to_correct(request, invoice_id)
    lines = _LineAmounts(payload.lines)
    with lines.errors_by_index():
        new = services.issue_replacement(
            invoice, lines.amounts, payload.reason, actor=request.user, channel=Channel.API
        )
    return Status(201, get_invoice(request, new.pk))
