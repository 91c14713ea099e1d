"""Process plans and their steps in the API."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.api_auth import optional_token_user
from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import writes
from samarbeid.core.api_forms import bind, valid
from samarbeid.core.api_schemas import Problem
from samarbeid.core.paging import Pagination
from samarbeid.governance.api.references import PER_HELP, referenced
from samarbeid.governance.as_of import as_of_day, step_overdue
from samarbeid.governance.forms import PlanForm, StepDoneForm, StepForm
from samarbeid.governance.models import ProcessPlan, ProcessStep
from samarbeid.governance.services.process_plans import add_step, create_plan, mark_step_done
from samarbeid.governance.visibility import visible_process_plans

router = Router()


class StepOut(Schema):
    id: int
    plan: int
    order: int
    title: str
    body: str
    planned_date: date
    planned_end: date | None
    done_date: date | None
    case: int | None
    overdue: bool = Field(description="Not done and due before the day asked for (`per`)")
    version: int

    @staticmethod
    def resolve_plan(obj: ProcessStep) -> int:
        return obj.plan_id

    @staticmethod
    def resolve_case(obj: ProcessStep) -> int | None:
        return obj.case_id

    @staticmethod
    def resolve_overdue(obj: ProcessStep, context: dict[str, Any]) -> bool:
        return step_overdue(obj, as_of_day(context["request"].GET))


class PlanOut(Schema):
    id: int
    title: str
    description: str
    arena: int | None
    published: bool
    is_example_data: bool
    version: int

    @staticmethod
    def resolve_arena(obj: ProcessPlan) -> int | None:
        return obj.arena_id


class PlanDetailOut(PlanOut):
    as_of: date = Field(description="The day the steps are judged against (`per`, else today)")
    steps: list[StepOut]

    @staticmethod
    def resolve_as_of(obj: ProcessPlan, context: dict[str, Any]) -> date:
        return as_of_day(context["request"].GET)

    @staticmethod
    def resolve_steps(obj: ProcessPlan) -> list[ProcessStep]:
        return list(obj.steps.all())


class PlanIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    arena: int | None = None
    published: bool = True


class StepIn(Schema):
    order: int = Field(ge=1, le=10_000)
    title: str = Field(min_length=1, max_length=200)
    body: str = Field("", max_length=200, description="The body that takes the step")
    planned_date: date
    planned_end: date | None = None
    case: int | None = None


class StepDoneIn(Schema):
    done_date: date
    version: int = Field(ge=1, description="The version the step was read at")


def _plan(request: HttpRequest, plan_id: int) -> ProcessPlan:
    return get_object_or_404(
        visible_process_plans(request.user).select_related("arena").prefetch_related("steps"),
        pk=plan_id,
    )


@router.get("/process-plans", response=list[PlanOut], summary="List process plans")
@paginate(Pagination)
def list_plans(request: HttpRequest) -> QuerySet[ProcessPlan]:
    optional_token_user(request)
    return visible_process_plans(request.user).order_by("title", "id")


@router.get(
    "/process-plans/{plan_id}",
    response={200: PlanDetailOut, 404: Problem, 422: Problem},
    summary="One process plan with its steps in order",
)
def get_plan(
    request: HttpRequest, plan_id: int, per: str = Query("", description=PER_HELP)
) -> ProcessPlan:
    optional_token_user(request)
    as_of_day({"per": per})  # a value that is not a date: 422 before anything is read
    return _plan(request, plan_id)


@router.post(
    "/process-plans",
    **writes(201, PlanDetailOut),
    summary="Create a process plan",
)
def post_plan(request: HttpRequest, payload: PlanIn) -> Status[ProcessPlan]:
    values = payload.dict()
    form = bind(PlanForm, values, user=request.user)
    referenced(form, values, "arena")
    plan = create_plan(valid(form).save(commit=False), actor=request.user, channel=Channel.API)
    return Status(201, _plan(request, plan.pk))


@router.post(
    "/process-plans/{plan_id}/steps",
    **writes(201, StepOut),
    summary="Add a step to a process plan",
)
def post_step(request: HttpRequest, plan_id: int, payload: StepIn) -> Status[ProcessStep]:
    plan = _plan(request, plan_id)
    values = payload.dict()
    form = bind(
        StepForm,
        values,
        instance=ProcessStep(plan=plan, is_example_data=plan.is_example_data),
        user=request.user,
    )
    referenced(form, values, "case")
    step = add_step(valid(form).save(commit=False), actor=request.user, channel=Channel.API)
    return Status(201, step)


@router.post(
    "/process-steps/{step_id}/done",
    **writes(200, StepOut),
    summary="Mark a plan's step as done (with the version read)",
)
def post_step_done(request: HttpRequest, step_id: int, payload: StepDoneIn) -> ProcessStep:
    step = get_object_or_404(
        ProcessStep.objects.select_related("plan", "plan__arena"),
        pk=step_id,
        plan__in=visible_process_plans(request.user),
    )
    form = valid(bind(StepDoneForm, payload.dict()))
    mark_step_done(
        step,
        form.cleaned_data["done_date"],
        expected_version=form.cleaned_data["version"],
        actor=request.user,
        channel=Channel.API,
    )
    return step
