"""Invoice runs in the API: made (on the run form of the arena's finance page), approved,
issued, made again and deleted, through the services the pages call."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.db.models import Count, DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AliasChoices, Field

from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import narrowed, writes
from samarbeid.core.api_forms import bind, valid
from samarbeid.core.api_schemas import (
    DeleteVersion,
    MunicipalityNumber,
    Problem,
    VersionIn,
    money,
    ref,
)
from samarbeid.core.idempotency import DESCRIPTION as IDEMPOTENCY
from samarbeid.core.idempotency import idempotent
from samarbeid.core.paging import Pagination
from samarbeid.finance.access import (
    require_draft_all,
    runs_visible_to,
)
from samarbeid.finance.api.common import ArenaYearFilter, KeptAnswer, Year, managed_arena
from samarbeid.finance.forms import IssueForm, RunAccountForm, RunFilterForm, RunForm
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.jobs import start_draft, start_draft_all
from samarbeid.finance.models import (
    HostShareLine,
    Invoice,
    InvoiceRun,
)
from samarbeid.finance.run_steps import (
    approve_run,
    delete_run,
    issue_run,
    refresh_run,
    set_run_account,
)
from samarbeid.jobs.api import TaskOut, task_location, task_out

# Runs -------------------------------------------------------------------------------------------


router = Router(tags=["finance"])


def _sum(value: Decimal | None) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


# An invoice run with its sums, read from a run of `_runs` (its annotations).
class RunOut(KeptAnswer):
    id: int
    version: int
    arena: int = ref("arena")
    year: int
    status: str
    issue_date: date
    due_date: date
    seller: MunicipalityNumber = Field(
        description="Municipality number of the seller (host municipality)"
    )
    invoices: int = Field(
        validation_alias=AliasChoices("invoice_count", "invoices"),
        description="Invoices, corrected invoices included (not credit notes)",
    )
    total: str = Field(
        description="Sum of the invoices, corrected invoices included (credit notes not subtracted)"
    )
    credit_notes: int = Field(
        0,
        validation_alias=AliasChoices("credit_note_count", "credit_notes"),
        description="Credit notes issued against the run's invoices",
    )
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

    @staticmethod
    def resolve_total(run: Any) -> str | None:
        return money(_sum(run.invoice_total))

    @staticmethod
    def resolve_credited(run: Any) -> str | None:
        return money(_sum(run.credited_total))

    @staticmethod
    def resolve_net(run: Any) -> str | None:
        return money(_sum(run.invoice_total) - _sum(run.credited_total))

    @staticmethod
    def resolve_host_share(run: Any) -> str | None:
        return money(_sum(run.host_share_total))


class RunOptionsIn(Schema):
    """What the draft form (RunForm) reads, for a run made at once or as a task."""

    year: Year
    issue_date: date | None = None
    due_days: int = Field(30, description="Days from the invoice date to the due date, 0 to 365")
    seller_account: str = Field(
        "",
        max_length=20,
        description="11 digits with a MOD11 check digit, or in the usual groupings "
        "(9710.12.34561, 9710 12 34561); empty: not set",
    )


class RunIn(RunOptionsIn):
    arena: int


def _runs(request: HttpRequest) -> Any:
    # Correlated subqueries rather than Count/Sum over a join to every invoice: a page of
    # the list then sums the invoices of its own runs only, not of all runs before LIMIT.
    documents = Invoice.objects.filter(run=OuterRef("pk")).order_by().values("run")
    invoices = documents.filter(kind=Invoice.Kind.INVOICE)
    notes = documents.filter(kind=Invoice.Kind.CREDIT_NOTE)
    return (
        runs_visible_to(request.user)
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


def _run(request: HttpRequest, run_id: int) -> InvoiceRun:
    """A run the caller sees (else 404), with the sums its output reads."""
    run: InvoiceRun = get_object_or_404(_runs(request), pk=run_id)
    return run


class RunFilter(ArenaYearFilter):
    status: str | None = Field(
        None,
        description="Only runs with this status: "
        + ", ".join(f"`{value}`" for value in InvoiceRun.Status.values)
        + " (another value answers 422 on `status`)",
    )


@router.get(
    "/finance/runs",
    response={200: list[RunOut], 422: Problem},
    summary="List invoice runs",
    description=(
        "Narrowed by `arena` and by the run list page's filters (`year`, `status`), "
        "checked by the page's filter form: a value it refuses answers 422 on its parameter."
    ),
)
@paginate(Pagination)
def list_runs(request: HttpRequest, filters: Query[RunFilter]) -> QuerySet[InvoiceRun]:
    form = valid(RunFilterForm({"year": filters.year or "", "status": filters.status or ""}))
    runs = form.narrow(narrowed(_runs(request), arena=filters.arena))
    return runs.order_by("-year", "arena_id")


@router.get("/finance/runs/{run_id}", response={200: RunOut, 404: Problem}, summary="One run")
def get_run(request: HttpRequest, run_id: int) -> InvoiceRun:
    return _run(request, run_id)


@router.post(
    "/finance/runs",
    **writes(201, RunOut),
    summary="Make a draft invoice run from the arena's budget for a year",
    description=IDEMPOTENCY,
)
@idempotent
def create_run_api(request: HttpRequest, payload: RunIn) -> Status[RunOut]:
    arena = managed_arena(request, payload.arena)
    form = valid(bind(RunForm, payload.dict(exclude={"arena"})))
    run = create_run(
        arena,
        form.cleaned_data["year"],
        actor=request.user,
        channel=Channel.API,
        **form.options(),
    )
    return Status(201, RunOut.from_orm(_run(request, run.pk)))


class RunTaskIn(RunOptionsIn):
    arena: int | None = Field(
        None,
        description="The arena; left out: every arena with a budget, no run yet and someone "
        "to invoice (a member, or a project's participant, in the year)",
    )


@router.post(
    "/finance/run-tasks",
    **writes(202, TaskOut),
    summary="Make draft invoice runs in the background (202: follow Location to the task)",
    description="As POST /finance/runs, as a background task: one arena's run, or (without "
    "`arena`, for a secretariat for every arena) every arena's. The answer is the queued "
    "task; GET its Location for progress and result.\n\n" + IDEMPOTENCY,
)
@idempotent
def create_run_task_api(
    request: HttpRequest, payload: RunTaskIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    form = valid(bind(RunForm, payload.dict(exclude={"arena"})))
    year, options = form.cleaned_data["year"], form.options()
    if payload.arena is None:
        require_draft_all(request.user)
        job = start_draft_all(year, options, actor=request.user, channel=Channel.API)
    else:
        arena = managed_arena(request, payload.arena)
        job = start_draft(arena, year, options, actor=request.user, channel=Channel.API)
    response["Location"] = task_location(job)
    return Status(202, task_out(job, request.user))


def _act(
    request: HttpRequest, run_id: int, act: Callable[..., object], version: int | None
) -> InvoiceRun:
    """The service `act` on a run the caller sees (else 404; the service answers 403 to
    those who may not manage the arena's finances), from the version they read."""
    run = get_object_or_404(
        runs_visible_to(request.user).select_related("arena", "seller"), pk=run_id
    )
    act(run, expected_version=version, actor=request.user, channel=Channel.API)
    return run


@router.post(
    "/finance/runs/{run_id}/approve",
    **writes(200, RunOut),
    summary="Approve a draft run (refused if already approved)",
)
def approve_run_api(request: HttpRequest, run_id: int, payload: VersionIn) -> InvoiceRun:
    return _run(request, _act(request, run_id, approve_run, payload.version).pk)


class RunAccountIn(Schema):
    version: int = Field(ge=1, description="The version read; a newer stored version answers 409")
    seller_account: str = Field(
        max_length=20,
        description="11 digits with a MOD11 check digit, or in the usual groupings "
        "(9710.12.34561, 9710 12 34561)",
    )


@router.put(
    "/finance/runs/{run_id}/account",
    **writes(200, RunOut),
    summary="Set the seller's bank account on a draft run",
)
def set_run_account_api(request: HttpRequest, run_id: int, payload: RunAccountIn) -> InvoiceRun:
    form = valid(bind(RunAccountForm, payload.dict()))
    account = form.cleaned_data["seller_account"]
    run = _act(request, run_id, partial(set_run_account, account=account), payload.version)
    return _run(request, run.pk)


class IssueIn(VersionIn):
    """What the run page's issue button sends (IssueForm): for a run whose due date has
    passed, a new due date or the confirmation that the passed one is kept."""

    due_date: date | None = Field(
        None,
        description="A new due date for the run and its invoices (not passed, not before the "
        "invoice date); needed, or `keep_due_date`, when the run's due date has passed",
    )
    keep_due_date: bool = Field(
        False, description="Issue with the run's due date although it has passed"
    )


@router.post(
    "/finance/runs/{run_id}/issue",
    **writes(200, RunOut),
    summary="Issue an approved run (refused unless every EHF document validates)",
    description="A run whose due date has passed is refused (422 on `due_date`) unless "
    "`due_date` gives a new one or `keep_due_date` is true.",
)
def issue_run_api(request: HttpRequest, run_id: int, payload: IssueIn) -> InvoiceRun:
    form = valid(bind(IssueForm, payload.dict(exclude={"version"})))
    act = partial(issue_run, due=form.due())
    return _run(request, _act(request, run_id, act, payload.version).pk)


@router.post(
    "/finance/runs/{run_id}/refresh",
    **writes(200, RunOut),
    summary="Make a draft run's invoices again from the budget as it is now",
)
def refresh_run_api(request: HttpRequest, run_id: int, payload: VersionIn) -> InvoiceRun:
    return _run(request, _act(request, run_id, refresh_run, payload.version).pk)


@router.delete(
    "/finance/runs/{run_id}",
    **writes(204, None),
    summary="Discard a draft run with its invoices",
    description=(
        "Approved and issued runs cannot be discarded (422); an issued invoice is corrected "
        "with a credit note. With `version`, a newer stored version answers 409."
    ),
)
def delete_run_api(request: HttpRequest, run_id: int, version: DeleteVersion) -> Status[None]:
    _act(request, run_id, delete_run, version)
    return Status(204, None)
