"""A project's results in the API: professional results with indicators and measurements,
economic results, and the arena's administration costs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from samarbeid.arenas.access import visible_arena
from samarbeid.core.api_endpoints import writes
from samarbeid.core.api_forms import api_create, bind
from samarbeid.core.api_schemas import Problem, money
from samarbeid.portfolio.access import find_project
from samarbeid.portfolio.models import Project
from samarbeid.strategy.api.access import (
    municipality_numbered,
)
from samarbeid.strategy.api.output import (
    indicator_out,
    result_out,
)
from samarbeid.strategy.api.schemas import (
    StrategyAdminCostIn,
    StrategyAdminCostOut,
    StrategyEconomicIn,
    StrategyEconomicOut,
    StrategyIndicatorIn,
    StrategyIndicatorValueIn,
    StrategyIndicatorValueOut,
    StrategyIndicatorWriteOut,
    StrategyProjectResultsOut,
    StrategyResultIn,
    StrategyResultOut,
)
from samarbeid.strategy.forms import (
    AdministrationCostForm,
    EconomicResultForm,
    IndicatorForm,
    IndicatorValueForm,
    ResultForm,
)
from samarbeid.strategy.models import (
    AdministrationCost,
    EconomicResult,
    Indicator,
    IndicatorValue,
    Result,
)
from samarbeid.strategy.services.results import (
    add_administration_cost,
    add_economic_result,
    add_indicator,
    add_indicator_value,
    add_result,
)

router = Router()


@router.get(
    "/projects/{project_id}/results",
    response={200: StrategyProjectResultsOut, 404: Problem},
    summary="Professional, unquantifiable and economic results of a project",
)
def project_results(request: HttpRequest, project_id: int) -> dict[str, Any]:
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=project_id)
    results = project.results.prefetch_related("indicators__values").order_by("recorded_on", "id")
    economic = project.economic_results.select_related("municipality").order_by("year", "id")
    return {
        "project": project.pk,
        "results": [result_out(r) for r in results],
        "economic_results": economic,
    }


# Administration costs ----------------------------------------------------------------------


@router.post(
    "/arenas/{arena_id}/administration-costs",
    **writes(201, StrategyAdminCostOut),
    summary="Record what running an arena cost over a year or span of years",
)
def post_admin_cost(
    request: HttpRequest, arena_id: int, payload: StrategyAdminCostIn
) -> Status[dict[str, Any]]:
    arena = visible_arena(request.user, arena_id)
    form = bind(AdministrationCostForm, payload.dict(), instance=AdministrationCost(arena=arena))
    cost = api_create(request, form, add_administration_cost)
    return Status(
        201,
        {
            "id": cost.pk,
            "arena": cost.arena_id,
            "first_year": cost.first_year,
            "last_year": cost.last_year,
            "amount": money(cost.amount),
            "source": cost.source,
            "version": cost.version,
        },
    )


@router.post(
    "/projects/{project_id}/results",
    **writes(201, StrategyResultOut),
    summary="Record a professional or unquantifiable result of a project",
)
def post_result(
    request: HttpRequest, project_id: int, payload: StrategyResultIn
) -> Status[dict[str, Any]]:
    project = find_project(request, project_id)
    form = bind(ResultForm, payload.dict(), instance=Result(project=project))
    result = api_create(request, form, add_result)
    return Status(201, result_out(result))


def _result_for_write(request: HttpRequest, result_id: int) -> Result:
    result = get_object_or_404(
        Result.objects.filter(project__in=Project.objects.visible_to(request.user))
        .select_related("project__arena")
        .filter(pk=result_id)
    )
    return result


@router.post(
    "/results/{result_id}/indicators",
    **writes(201, StrategyIndicatorWriteOut),
    summary="Add an indicator to a professional result",
)
def post_indicator(
    request: HttpRequest, result_id: int, payload: StrategyIndicatorIn
) -> Status[dict[str, Any]]:
    result = _result_for_write(request, result_id)
    # the page offers the project's professional results; the service says why another is
    # refused
    form = bind(
        IndicatorForm,
        {**payload.dict(), "result": result.pk},
        instance=Indicator(),
        results=Result.objects.filter(pk=result.pk),
    )
    indicator = api_create(request, form, add_indicator)
    return Status(201, {**indicator_out(indicator), "id": indicator.pk, "result": result.pk})


@router.post(
    "/indicators/{indicator_id}/values",
    **writes(201, StrategyIndicatorValueOut),
    summary="Record a measurement of an indicator",
)
def post_indicator_value(
    request: HttpRequest, indicator_id: int, payload: StrategyIndicatorValueIn
) -> Status[dict[str, Any]]:
    indicator = get_object_or_404(
        Indicator.objects.filter(result__project__in=Project.objects.visible_to(request.user))
        .select_related("result__project__arena")
        .filter(pk=indicator_id)
    )
    form = bind(
        IndicatorValueForm,
        {**payload.dict(), "indicator": indicator.pk},
        instance=IndicatorValue(),
        indicators=Indicator.objects.filter(pk=indicator.pk),
    )
    value = api_create(request, form, add_indicator_value)
    return Status(
        201,
        {
            "id": value.pk,
            "indicator": indicator.pk,
            "measured_on": value.measured_on,
            "value": f"{value.value:.2f}",
        },
    )


@router.post(
    "/projects/{project_id}/economic-results",
    **writes(201, StrategyEconomicOut),
    summary="Record a saving or cost (estimated or realised) with its year and source",
)
def post_economic_result(
    request: HttpRequest, project_id: int, payload: StrategyEconomicIn
) -> Status[EconomicResult]:
    project = find_project(request, project_id)
    data = payload.dict()
    last = data["to_year"] or data["year"]
    municipality = municipality_numbered(data["municipality"], (data["year"], last))
    data["municipality"] = municipality.pk if municipality is not None else None
    form = bind(EconomicResultForm, data, instance=EconomicResult(project=project))
    result = api_create(request, form, add_economic_result)
    return Status(201, result)
