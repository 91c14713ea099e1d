"""Benefits realisation in the API: benefits, their changes and steps of realisation."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from samarbeid.arenas.models import Arena
from samarbeid.arenas.served import with_sub_arenas
from samarbeid.core.api_endpoints import sent, writes
from samarbeid.core.api_forms import api_create, api_update, bind
from samarbeid.core.api_schemas import Problem
from samarbeid.core.paging import Pagination
from samarbeid.portfolio.access import find_project
from samarbeid.portfolio.models import Project
from samarbeid.registry.models import Municipality
from samarbeid.strategy.api.access import (
    municipality_numbered,
)
from samarbeid.strategy.api.schemas import (
    StrategyBenefitDetailOut,
    StrategyBenefitFilter,
    StrategyBenefitIn,
    StrategyBenefitOut,
    StrategyBenefitPatch,
    StrategyRealisationIn,
    StrategyRealisationOut,
)
from samarbeid.strategy.forms import BenefitForm, RealisationForm
from samarbeid.strategy.models import (
    Benefit,
    BenefitRealisation,
)
from samarbeid.strategy.services.benefits import (
    add_benefit,
    benefit_municipalities,
    record_realisation,
    update_benefit,
)
from samarbeid.strategy.services.scope import lineage_ids
from samarbeid.strategy.visibility import visible_benefit

router = Router()


@router.get("/benefits", response=list[StrategyBenefitOut], summary="Benefits realisation plans")
@paginate(Pagination)
def list_benefits(
    request: HttpRequest,
    municipality: str | None = None,
    arena: int | None = None,
    project: int | None = None,
    flagged: bool = False,
) -> list[Benefit]:
    """`municipality` is a municipality code and includes its predecessors; `flagged` keeps
    only overdue or unrealised benefits."""
    filters = StrategyBenefitFilter(
        municipality=municipality, arena=arena, project=project, flagged=flagged
    )
    benefits = (
        Benefit.objects.filter(project__in=Project.objects.visible_to(request.user))
        .select_related("municipality")
        .prefetch_related("realisations")
        .order_by("target_date", "id")
    )
    if filters.municipality:
        place = Municipality.objects.filter(code=filters.municipality).first()
        if place is None:
            return []
        benefits = benefits.filter(municipality_id__in=lineage_ids(place))
    if filters.arena is not None:
        found = Arena.objects.filter(pk=filters.arena).first()
        if found is None:
            return []
        benefits = benefits.filter(project__arena_id__in=with_sub_arenas([found.pk]))
    if filters.project is not None:
        benefits = benefits.filter(project_id=filters.project)
    rows = list(benefits)
    if filters.flagged:
        rows = [b for b in rows if b.is_unrealised]
    return rows


@router.get(
    "/benefits/{benefit_id}",
    response={200: StrategyBenefitDetailOut, 404: Problem},
    summary="A benefits realisation plan with its steps of realisation",
)
def get_benefit(request: HttpRequest, benefit_id: int) -> Benefit:
    """As the benefit's page shows it: 404 unless its project is one the caller may see."""
    return visible_benefit(request, benefit_id)


@router.post(
    "/projects/{project_id}/benefits",
    **writes(201, StrategyBenefitOut),
    summary="Add a benefits realisation plan for a municipality",
    description="The arena's secretariat, or the coordinator of that municipality.",
)
def post_benefit(
    request: HttpRequest, project_id: int, payload: StrategyBenefitIn
) -> Status[Benefit]:
    project = find_project(request, project_id)
    data = payload.dict()
    data["municipality"] = municipality_numbered(data["municipality"]).pk
    form = bind(
        BenefitForm,
        data,
        instance=Benefit(project=project, is_example_data=project.is_example_data),
        municipalities=benefit_municipalities(project),
    )
    return Status(201, api_create(request, form, add_benefit))


@router.patch(
    "/benefits/{benefit_id}",
    **writes(200, StrategyBenefitOut),
    summary="Change a benefits realisation plan (with the version read)",
    description="The status changes by recording a realisation.",
)
def patch_benefit(request: HttpRequest, benefit_id: int, payload: StrategyBenefitPatch) -> Benefit:
    changes = sent(payload, keep_on_null={"description", "owner", "target_date"})
    form = bind(BenefitForm, changes, instance=visible_benefit(request, benefit_id))
    return api_update(request, form, update_benefit, version=payload.version, only=changes)


@router.post(
    "/benefits/{benefit_id}/realisations",
    **writes(201, StrategyRealisationOut),
    summary="Record a step of a benefit's realisation (an amount and/or a new status)",
)
def post_realisation(
    request: HttpRequest, benefit_id: int, payload: StrategyRealisationIn
) -> Status[BenefitRealisation]:
    benefit = visible_benefit(request, benefit_id)
    form = bind(
        RealisationForm,
        payload.dict(),
        instance=BenefitRealisation(benefit=benefit, is_example_data=benefit.is_example_data),
    )
    return Status(201, api_create(request, form, record_realisation))
