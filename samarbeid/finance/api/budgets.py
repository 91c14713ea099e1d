"""Budgets and budget lines in the API, on the budget pages' forms (BudgetForm, LineForm)
and the services the pages call."""

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.permissions import can_link, require
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import Finder, deleted, narrowed, sent, writes
from samarbeid.core.api_forms import api_update, bind, valid
from samarbeid.core.api_schemas import DeleteVersion, MoneyIn, MoneyOut, Problem, ref
from samarbeid.core.paging import Pagination
from samarbeid.finance.access import (
    budgets_visible_to,
    keys_visible_to,
    manages_finance,
)
from samarbeid.finance.api.common import (
    ArenaYearFilter,
    Year,
    managed_arena,
)
from samarbeid.finance.budgets import (
    add_line,
    create_budget,
    delete_budget,
    delete_line,
    update_budget,
    update_line,
)
from samarbeid.finance.forms import BudgetForm, LineForm
from samarbeid.finance.models import (
    Budget,
    BudgetLine,
)
from samarbeid.portfolio.models import Project

# Budgets ----------------------------------------------------------------------------------------


router = Router(tags=["finance"])


class LineOut(Schema):
    id: int
    version: int
    kind: str
    project: int | None = ref("project")
    description: str
    amount: MoneyOut
    actual: MoneyOut | None
    key: int = ref("key")


class BudgetOut(Schema):
    id: int
    version: int
    arena: int = ref("arena")
    year: int
    administration_cost: MoneyOut
    note: str
    is_example_data: bool
    external_basis: str
    lines: list[LineOut]


def _budgets(user: Any) -> QuerySet[Budget]:
    return budgets_visible_to(user).prefetch_related(
        Prefetch("lines", queryset=BudgetLine.objects.order_by("kind", "id"))
    )


def _manages(user: Any, record: Budget | BudgetLine) -> bool:
    budget = record if isinstance(record, Budget) else record.budget
    return manages_finance(user, budget.arena)


# A budget the caller sees (else 404) and whose arena's finances they manage (403).
_budget = Finder(lambda user: _budgets(user).select_related("arena"), _manages)
_line = Finder(
    lambda user: BudgetLine.objects.filter(budget__in=budgets_visible_to(user)).select_related(
        "budget__arena", "key", "project"
    ),
    _manages,
)


@router.get("/finance/budgets", response=list[BudgetOut], summary="List budgets with lines")
@paginate(Pagination)
def list_budgets(request: HttpRequest, filters: Query[ArenaYearFilter]) -> QuerySet[Budget]:
    budgets = _budgets(request.user).order_by("arena_id", "-year")
    return narrowed(budgets, arena=filters.arena, year=filters.year)


@router.get(
    "/finance/budgets/{budget_id}", response={200: BudgetOut, 404: Problem}, summary="One budget"
)
def get_budget(request: HttpRequest, budget_id: int) -> Budget:
    return _budget(request, budget_id)


class LineIn(Schema):
    kind: BudgetLine.Kind
    project: int | None = Field(None, description="Required for a project line")
    description: str
    amount: MoneyIn
    actual: MoneyIn | None = None
    key: int


class LinePatch(Schema):
    version: int = Field(description="The version you read; a newer stored version answers 409")
    kind: BudgetLine.Kind | None = None
    project: int | None = None
    description: str | None = None
    amount: MoneyIn | None = None
    actual: MoneyIn | None = Field(None, description="The accounts; may change after issue")
    key: int | None = None


class BudgetIn(Schema):
    arena: int
    year: Year
    administration_cost: MoneyIn = "0.00"
    note: str = ""
    external_basis: Budget.ExternalBasis = Budget.ExternalBasis.RECEIVED
    lines: list[LineIn] = []


class BudgetPatch(Schema):
    version: int = Field(description="The version you read; a newer stored version answers 409")
    year: Year | None = None
    administration_cost: MoneyIn | None = None
    note: str | None = None
    external_basis: Budget.ExternalBasis | None = None


def _line_form(
    request: HttpRequest, data: dict[str, Any], arena: Arena, line: BudgetLine | None = None
) -> LineForm:
    """The budget page's line form filled from the payload and validated with its rules.
    A key or project of another arena is first refused as the service refuses it: 403 when
    the caller may not link to that arena's records (the page offers only the arena's)."""
    linked = [
        found.arena
        for name, records in (
            ("key", keys_visible_to(request.user)),
            ("project", Project.objects.visible_to(request.user)),
        )
        if data.get(name) is not None
        for found in records.select_related("arena").filter(pk=data[name])
        if found.arena_id != arena.pk
    ]
    require(can_link(request.user, *linked))
    return valid(bind(LineForm, data, instance=line, arena=arena))


@contextmanager
def _as_line(index: int) -> Iterator[None]:
    """A line's field errors named `lines.<index>.<field>`, as the service names them."""
    try:
        yield
    except ValidationError as exc:
        raise ValidationError(
            {f"lines.{index}.{name}": m for name, m in exc.message_dict.items()}
        ) from None


@router.post(
    "/finance/budgets",
    **writes(201, BudgetOut),
    summary="Create an arena's budget for a year, with its lines",
    description="The arena's secretariat may. All or nothing: a line's error refuses the lot.",
)
def create_budget_api(request: HttpRequest, payload: BudgetIn) -> Status[Budget]:
    arena = managed_arena(request, payload.arena)
    budget = valid(bind(BudgetForm, payload.dict(exclude={"arena", "lines"}))).save(commit=False)
    budget.arena = arena
    lines = []
    for index, line in enumerate(payload.lines):
        with _as_line(index):
            lines.append(_line_form(request, line.dict(), arena).save(commit=False))
    create_budget(budget, lines=lines, actor=request.user, channel=Channel.API)
    return Status(201, get_budget(request, budget.pk))


@router.patch(
    "/finance/budgets/{budget_id}",
    **writes(200, BudgetOut),
    summary="Change a budget's year, administration cost or note",
    description="Send the `version` you read. Refused (422) once the year's run is issued.",
)
def update_budget_api(request: HttpRequest, budget_id: int, payload: BudgetPatch) -> Budget:
    budget = _budget(request, budget_id, change=True)
    changes = sent(payload, keep_on_null=BudgetPatch.model_fields)
    api_update(
        request, bind(BudgetForm, changes, instance=budget), update_budget, version=payload.version
    )
    return get_budget(request, budget.pk)


@router.delete(
    "/finance/budgets/{budget_id}",
    **writes(204, None),
    summary="Delete a budget with its lines",
    description=(
        "Refused (422) once the year's run is issued, or while a draft run's invoices use "
        "any of its lines. With `version`, a newer stored version answers 409."
    ),
)
def delete_budget_api(request: HttpRequest, budget_id: int, version: DeleteVersion) -> Status[None]:
    budget = _budget(request, budget_id, change=True)
    return deleted(request, budget, delete_budget, version)


@router.post(
    "/finance/budgets/{budget_id}/lines",
    **writes(201, LineOut),
    summary="Add a line to a budget",
    description="Refused (422) once the year's run is issued.",
)
def add_line_api(request: HttpRequest, budget_id: int, payload: LineIn) -> Status[BudgetLine]:
    budget = _budget(request, budget_id, change=True)
    line = _line_form(request, payload.dict(), budget.arena).save(commit=False)
    line.budget = budget
    add_line(line, actor=request.user, channel=Channel.API)
    return Status(201, line)


@router.patch(
    "/finance/budget-lines/{line_id}",
    **writes(200, LineOut),
    summary="Change a budget line",
    description=(
        "Send the `version` you read. Once the year's run is issued only `actual` (the "
        "accounts) may change."
    ),
)
def update_line_api(request: HttpRequest, line_id: int, payload: LinePatch) -> BudgetLine:
    line = _line(request, line_id, change=True)
    data = sent(payload, keep_on_null={"kind", "description", "amount", "key"})
    form = _line_form(request, data, line.budget.arena, copy.copy(line))
    update_line(
        line,
        form.changes(),
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
    )
    return line


@router.delete(
    "/finance/budget-lines/{line_id}",
    **writes(204, None),
    summary="Delete a budget line",
    description=(
        "Refused (422) once the year's run is issued, or while a draft run's invoices use "
        "the line. With `version`, a newer stored version answers 409."
    ),
)
def delete_line_api(request: HttpRequest, line_id: int, version: DeleteVersion) -> Status[None]:
    line = _line(request, line_id, change=True)
    return deleted(request, line, delete_line, version)
