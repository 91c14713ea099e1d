"""Grants and external funding on budget lines in the API, on the page's form (GrantForm)
and the services the pages call (finance.grants)."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.core.api_endpoints import Finder, deleted, narrowed, sent, writes
from samarbeid.core.api_forms import api_create, api_update, bind
from samarbeid.core.api_schemas import DeleteVersion, MoneyIn, MoneyOut, Problem, ref
from samarbeid.core.paging import Pagination
from samarbeid.finance.access import budgets_visible_to, manages_finance
from samarbeid.finance.forms import GrantForm
from samarbeid.finance.grants import (
    create_grant,
    delete_grant,
    grants_visible_to,
    update_grant,
)
from samarbeid.finance.models import BudgetLine, Grant

router = Router(tags=["finance"])


class GrantOut(Schema):
    id: int
    version: int
    line: int = ref("line")
    budget: int = Field(alias="line.budget_id")
    arena: int = Field(alias="line.budget.arena_id")
    grantor_kind: str
    grantor_name: str
    purpose: str
    applied_on: datetime.date
    amount_applied: MoneyOut
    status: str
    decided_on: datetime.date | None
    amount_granted: MoneyOut | None
    conditions: str
    report_due: datetime.date | None
    reported_on: datetime.date | None
    amount_received: MoneyOut | None
    is_example_data: bool


class GrantFilter(Schema):
    arena: int | None = None
    year: int | None = None
    line: int | None = None


def _visible(user: Any) -> QuerySet[Grant]:
    return grants_visible_to(user).select_related("line__budget__arena")


_grant = Finder(_visible, lambda user, grant: manages_finance(user, grant.line.budget.arena))
_line = Finder(
    lambda user: BudgetLine.objects.filter(budget__in=budgets_visible_to(user)).select_related(
        "budget__arena"
    ),
    lambda user, line: manages_finance(user, line.budget.arena),
)


@router.get("/finance/grants", response=list[GrantOut], summary="List grants on budget lines")
@paginate(Pagination)
def list_grants(request: HttpRequest, filters: Query[GrantFilter]) -> QuerySet[Grant]:
    grants = narrowed(
        _grant.records(request),
        line__budget__arena_id=filters.arena,
        line__budget__year=filters.year,
        line_id=filters.line,
    ).order_by("line__budget_id", "line_id", "applied_on", "id")
    return grants


@router.get(
    "/finance/grants/{grant_id}", response={200: GrantOut, 404: Problem}, summary="One grant"
)
def get_grant(request: HttpRequest, grant_id: int) -> Grant:
    return _grant(request, grant_id)


class GrantFields(Schema):
    grantor_kind: Grant.GrantorKind | None = None
    grantor_name: str | None = None
    purpose: str | None = None
    applied_on: datetime.date | None = None
    amount_applied: MoneyIn | None = None
    status: Grant.Status | None = None
    decided_on: datetime.date | None = None
    amount_granted: MoneyIn | None = None
    conditions: str | None = None
    report_due: datetime.date | None = None
    reported_on: datetime.date | None = None
    amount_received: MoneyIn | None = None


class GrantIn(GrantFields):
    line: int = Field(description="The budget line the grant funds")
    grantor_kind: Grant.GrantorKind
    grantor_name: str
    purpose: str
    applied_on: datetime.date
    amount_applied: MoneyIn
    # required, as on the page's form (the model's field is not blank): one rule
    status: Grant.Status


class GrantPatch(GrantFields):
    version: int = Field(description="The version you read; a newer stored version answers 409")


@router.post(
    "/finance/grants",
    **writes(201, GrantOut),
    summary="Record a grant on a budget line",
    description=(
        "The arena's secretariat may. The line's grants may not exceed its cost (422). What "
        "the budget counts (received or granted) is taken off the line's cost before the split."
    ),
)
def create_grant_api(request: HttpRequest, payload: GrantIn) -> Status[Grant]:
    line = _line(request, payload.line, change=True)
    form = bind(GrantForm, payload.dict(exclude={"line"}), line=line)
    return Status(201, api_create(request, form, create_grant))


@router.patch(
    "/finance/grants/{grant_id}",
    **writes(200, GrantOut),
    summary="Change a grant (its decision, report or what was received)",
    description="Send the `version` you read. Fields sent as null are unchanged.",
)
def update_grant_api(request: HttpRequest, grant_id: int, payload: GrantPatch) -> Grant:
    grant = _grant(request, grant_id, change=True)
    given = sent(payload, keep_on_null=GrantPatch.model_fields)
    form = bind(GrantForm, given, instance=grant, line=grant.line)
    return api_update(request, form, update_grant, version=payload.version)


@router.delete(
    "/finance/grants/{grant_id}",
    **writes(204, None),
    summary="Delete a grant",
    description="Send the `version` you read: a newer stored version answers 409.",
)
def delete_grant_api(request: HttpRequest, grant_id: int, version: DeleteVersion) -> Status[None]:
    return deleted(request, _grant(request, grant_id, change=True), delete_grant, version)
