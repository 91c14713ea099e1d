"""Financing API: allocation preview, keys, budgets, invoice runs and invoices.

Reads are open and show what the caller may see (issued runs of published arenas for the
public; everything for internal users). Writes need WRITE_AUTH and the arena's
secretariat. Money is a string with two decimals."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, DecimalField, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.api_auth import WRITE_AUTH
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.core.api_schemas import Problem
from samarbeid.core.paging import Pagination
from samarbeid.finance import services
from samarbeid.finance.models import AllocationKey, Budget, BudgetLine, Invoice, InvoiceRun
from samarbeid.lib.allocation import AllocationError, Participant, Weights, allocate

router = Router(tags=["finance"])

WRITE_ERRORS: dict[int, type[Problem]] = {
    401: Problem,
    403: Problem,
    404: Problem,
    409: Problem,
    422: Problem,
}


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


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


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


class KeyIn(Schema):
    arena: int
    name: str
    description: str = ""
    equal: Decimal = Decimal(0)
    per_capita: Decimal = Decimal(0)
    usage: Decimal = Decimal(0)
    fixed: Decimal = Decimal(0)
    population_year: int | None = None


def key_out(key: AllocationKey) -> dict[str, Any]:
    return {
        "id": key.pk,
        "version": key.version,
        "arena": key.arena_id,
        "name": key.name,
        "description": key.description,
        "equal": str(key.equal),
        "per_capita": str(key.per_capita),
        "usage": str(key.usage),
        "fixed": str(key.fixed),
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
    key = services.keys_visible_to(request.user).filter(pk=key_id).first()
    if key is None:
        raise Http404("No such key.")
    return key_out(key)


@router.post(
    "/finance/keys",
    response={201: KeyOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Create an allocation key",
    description="The arena's secretariat may. The weights must add up to 100.",
)
def create_key_api(request: HttpRequest, payload: KeyIn) -> tuple[int, dict[str, Any]]:
    arena = Arena.objects.visible_to(request.user).filter(pk=payload.arena).first()
    if arena is None:
        raise Http404("No such arena.")
    data = payload.dict()
    data.pop("arena")
    key = AllocationKey(arena=arena, **data)
    services.create_key(key, actor=request.user, channel=Channel.API)
    return 201, key_out(key)


# Budgets ----------------------------------------------------------------------------------------


class LineOut(Schema):
    id: int
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
        "lines": [
            {
                "id": line.pk,
                "kind": line.kind,
                "project": line.project_id,
                "description": line.description,
                "amount": money(line.amount),
                "actual": money(line.actual),
                "key": line.key_id,
            }
            for line in budget.lines.all()
        ],
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
    budget = _budgets(request).filter(pk=budget_id).first()
    if budget is None:
        raise Http404("No such budget.")
    return budget_out(budget)


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
    invoices: int
    total: str = Field(description="Sum of the invoices (credit notes not subtracted)")
    is_example_data: bool


class RunIn(Schema):
    arena: int
    year: int
    issue_date: date | None = None
    due_days: int = 30
    seller_account: str = Field("", pattern=r"^(\d{11})?$")


class VersionIn(Schema):
    version: int | None = None


def _runs(request: HttpRequest) -> Any:
    # Correlated subqueries rather than Count/Sum over a join to every invoice: a page of
    # the list then sums the invoices of its own runs only, not of all runs before LIMIT.
    invoices = Invoice.objects.filter(run=OuterRef("pk")).order_by().values("run")
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
        )
    )


def run_out(run: InvoiceRun) -> dict[str, Any]:
    count = getattr(run, "invoice_count", None)
    total = getattr(run, "invoice_total", None)
    if count is None:
        count = run.invoices.count()
        total = run.invoices.aggregate(total=Sum("total"))["total"]
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
        "total": money(total or Decimal("0.00")),
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
    run = _runs(request).filter(pk=run_id).first()
    if run is None:
        raise Http404("No such run.")
    return run_out(run)


@router.post(
    "/finance/runs",
    response={201: RunOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Make a draft invoice run from the arena's budget for a year",
)
def create_run_api(request: HttpRequest, payload: RunIn) -> tuple[int, dict[str, Any]]:
    arena = Arena.objects.visible_to(request.user).filter(pk=payload.arena).first()
    if arena is None:
        raise Http404("No such arena.")
    run = services.create_run(
        arena,
        payload.year,
        actor=request.user,
        channel=Channel.API,
        issue_date=payload.issue_date,
        due_days=payload.due_days,
        seller_account=payload.seller_account,
    )
    return 201, run_out(run)


def _editable_run(request: HttpRequest, run_id: int) -> InvoiceRun:
    run = services.runs_visible_to(request.user).select_related("arena", "seller")
    found = run.filter(pk=run_id).first()
    if found is None:
        raise Http404("No such run.")
    return found


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


# Invoices ---------------------------------------------------------------------------------------


class InvoiceLineOut(Schema):
    position: int
    kind: str
    project: int | None
    share_of: str = Field(description="Municipality number whose share this line is")
    description: str
    amount: str
    note: str


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
    credited: int | None
    issued: bool
    lines: list[InvoiceLineOut]


class InvoiceFilter(Schema):
    run: int | None = None
    buyer: str | None = Field(None, pattern=r"^\d{4}$")


def invoice_out(invoice: Invoice) -> dict[str, Any]:
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
        "issued": invoice.issued_at is not None,
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
            )
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
    invoice = _invoices(request).filter(pk=invoice_id).first()
    if invoice is None:
        raise Http404("No such invoice.")
    return invoice_out(invoice)
