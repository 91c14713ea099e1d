"""Budgets and budget lines in the API."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.api_auth import WRITE_AUTH
from samarbeid.accounts.permissions import require
from samarbeid.audit.models import Channel
from samarbeid.core.api_schemas import WRITE_ERRORS, DeleteVersion, Problem, money
from samarbeid.core.paging import Pagination
from samarbeid.finance.access import (
    budgets_visible_to,
    can_manage_finance,
    keys_visible_to,
)
from samarbeid.finance.api.common import (
    ArenaYearFilter,
    Mapped,
    Money,
    Year,
    managed_arena,
    to_decimal,
)
from samarbeid.finance.budgets import (
    add_line,
    create_budget,
    delete_budget,
    delete_line,
    update_budget,
    update_line,
)
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
    return budgets_visible_to(request.user).prefetch_related(
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
        key = keys_visible_to(request.user).filter(pk=data["key"]).first()
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
    require(can_manage_finance(request.user, budget.arena))
    return budget


@router.post(
    "/finance/budgets",
    response={201: BudgetOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Create an arena's budget for a year, with its lines",
    description="The arena's secretariat may. All or nothing: a line's error refuses the lot.",
)
def create_budget_api(request: HttpRequest, payload: BudgetIn) -> Status[dict[str, Any]]:
    arena = managed_arena(request, payload.arena)
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
    create_budget(budget, lines=lines, actor=request.user, channel=Channel.API)
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
    update_budget(
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
def delete_budget_api(request: HttpRequest, budget_id: int, version: DeleteVersion) -> Status[None]:
    budget = _managed_budget(request, budget_id)
    delete_budget(budget, expected_version=version, actor=request.user, channel=Channel.API)
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
    add_line(line, actor=request.user, channel=Channel.API)
    return Status(201, line_out(line))


def _managed_line(request: HttpRequest, line_id: int) -> BudgetLine:
    line = get_object_or_404(
        BudgetLine.objects.filter(budget__in=budgets_visible_to(request.user))
        .select_related("budget__arena", "key", "project")
        .filter(pk=line_id)
    )
    require(can_manage_finance(request.user, line.budget.arena))
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
    update_line(line, changes, expected_version=version, actor=request.user, channel=Channel.API)
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
def delete_line_api(request: HttpRequest, line_id: int, version: DeleteVersion) -> Status[None]:
    line = _managed_line(request, line_id)
    delete_line(line, expected_version=version, actor=request.user, channel=Channel.API)
    return Status(204, None)
