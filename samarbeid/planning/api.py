"""API for planning strategies and the cooperation needs they name: open reads (what the
caller may see), and writes (WRITE_AUTH) through the pages' forms and services: the
municipality's coordinator or a global secretariat."""

from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.permissions import can_edit_planning_strategy
from samarbeid.core.api_endpoints import (
    Finder,
    counted_once,
    deleted,
    narrowed,
    not_null,
    through,
    writes,
)
from samarbeid.core.api_forms import api_create, api_update, bind
from samarbeid.core.api_schemas import DeleteVersion, Problem, ref
from samarbeid.core.paging import MappedQuerySet, Pagination
from samarbeid.planning.forms import NeedForm, StrategyForm
from samarbeid.planning.models import CooperationNeed, PlanningStrategy, Theme
from samarbeid.planning.queries import needs_by_theme
from samarbeid.planning.services import (
    add_need,
    create_strategy,
    delete_need,
    delete_strategy,
    update_need,
    update_strategy,
)
from samarbeid.registry.models import Municipality

router = Router(tags=["planning"])


class PlanningNeedOut(Schema):
    id: int
    version: int
    strategy: int = ref("strategy")
    municipality: str = Field(
        alias="strategy.municipality.code", description="The municipality's code"
    )
    theme: Theme
    theme_label: str
    theme_other: str
    description: str
    partners: str
    is_example_data: bool


class PlanningStrategyOut(Schema):
    id: int
    version: int
    municipality: str = Field(alias="municipality.code", description="The municipality's code")
    municipality_name: str = Field(alias="municipality.name")
    title: str
    first_year: int
    last_year: int
    adopted_on: date
    decision_reference: str
    link: str
    published: bool
    is_example_data: bool
    needs: list[PlanningNeedOut]


def _visible_strategies(user: Any) -> QuerySet[PlanningStrategy]:
    return (
        PlanningStrategy.objects.visible_to(user)
        .select_related("municipality")
        .prefetch_related(
            Prefetch(
                "needs",
                CooperationNeed.objects.select_related("strategy__municipality").order_by(
                    "theme", "pk"
                ),
            )
        )
    )


def _visible_needs(user: Any) -> QuerySet[CooperationNeed]:
    return CooperationNeed.objects.visible_to(user).select_related("strategy__municipality")


_strategy = Finder(_visible_strategies, through("municipality", can_edit_planning_strategy))
_need = Finder(_visible_needs, through("strategy.municipality", can_edit_planning_strategy))


# --- reads ---


class PlanningStrategyFilter(Schema):
    municipality: str | None = Field(None, description="A municipality's code")


@router.get(
    "/planning-strategies", response=list[PlanningStrategyOut], summary="List planning strategies"
)
@paginate(Pagination)
def list_strategies(
    request: HttpRequest, filters: Query[PlanningStrategyFilter]
) -> MappedQuerySet[PlanningStrategy]:
    strategies = narrowed(_strategy.records(request), municipality__code=filters.municipality)
    return counted_once(strategies.order_by("municipality__number", "-first_year", "pk"))


@router.get(
    "/planning-strategies/{strategy_id}",
    response={200: PlanningStrategyOut, 404: Problem},
    summary="One planning strategy with its cooperation needs",
)
def get_strategy(request: HttpRequest, strategy_id: int) -> PlanningStrategy:
    return _strategy(request, strategy_id)


class PlanningNeedFilter(Schema):
    theme: Theme | None = None
    municipality: str | None = Field(None, description="A municipality's code")


@router.get("/planning-needs", response=list[PlanningNeedOut], summary="List cooperation needs")
@paginate(Pagination)
def list_needs(
    request: HttpRequest, filters: Query[PlanningNeedFilter]
) -> MappedQuerySet[CooperationNeed]:
    needs = narrowed(
        _need.records(request),
        theme=filters.theme,
        strategy__municipality__code=filters.municipality,
    )
    return counted_once(needs.order_by("theme", "strategy__municipality__number", "pk"))


class PlanningNamedOut(Schema):
    municipality: str = Field(description="The municipality's code")
    name: str
    needs: list[int] = Field(description="The ids of its needs of the theme")


class PlanningThemeOut(Schema):
    theme: Theme
    label: str
    municipalities: list[PlanningNamedOut]


@router.get(
    "/planning-needs/by-theme",
    response=list[PlanningThemeOut],
    summary="Per theme, the municipalities whose current planning strategy names a need",
    description="Strategies whose period has not ended; to find partners early.",
)
def list_needs_by_theme(request: HttpRequest) -> list[dict[str, object]]:
    return [
        {
            "theme": group.theme,
            "label": group.label,
            "municipalities": [
                {"municipality": m.code, "name": m.name, "needs": [n.pk for n in m.needs]}
                for m in group.municipalities
            ],
        }
        for group in needs_by_theme(request.user, timezone.localdate())
    ]


@router.get(
    "/planning-needs/{need_id}",
    response={200: PlanningNeedOut, 404: Problem},
    summary="One cooperation need",
)
def get_need(request: HttpRequest, need_id: int) -> CooperationNeed:
    return _need(request, need_id)


# --- writes ---


class PlanningStrategyIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    first_year: int
    last_year: int
    adopted_on: date
    decision_reference: str = ""
    link: str = ""
    published: bool = True


class PlanningStrategyPatch(Schema):
    version: int = Field(ge=1, description="The version the edit started from")
    title: str | None = Field(None, min_length=1, max_length=200)
    first_year: int | None = None
    last_year: int | None = None
    adopted_on: date | None = None
    decision_reference: str | None = None
    link: str | None = None
    published: bool | None = None


class PlanningNeedIn(Schema):
    theme: Theme
    theme_other: str = Field("", description="What the theme is, when it is `other`")
    description: str = Field(min_length=1)
    partners: str = Field("", description="Whom the municipality would cooperate with")


class PlanningNeedPatch(Schema):
    version: int = Field(ge=1, description="The version the edit started from")
    theme: Theme | None = None
    theme_other: str | None = None
    description: str | None = Field(None, min_length=1)
    partners: str | None = None


def _set(data: dict[str, Any]) -> dict[str, Any]:
    """A PATCH leaves a field out, not send it as null (a form would read null as empty)."""
    not_null(data, data.keys())
    return data


@router.post(
    "/municipalities/{code}/planning-strategies",
    **writes(201, PlanningStrategyOut),
    summary="Record a municipality's planning strategy",
    description="Its coordinator or a global secretariat. `code`: the municipality's code.",
)
def post_strategy(
    request: HttpRequest, code: str, payload: PlanningStrategyIn
) -> Status[PlanningStrategy]:
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        raise Http404
    form = bind(StrategyForm, payload.dict(), instance=None)
    strategy = api_create(request, form, create_strategy, municipality=municipality)
    return Status(201, _strategy.records(request).get(pk=strategy.pk))


@router.patch(
    "/planning-strategies/{strategy_id}",
    **writes(200, PlanningStrategyOut),
    summary="Change a planning strategy (with the version read)",
)
def patch_strategy(
    request: HttpRequest, strategy_id: int, payload: PlanningStrategyPatch
) -> PlanningStrategy:
    strategy = _strategy(request, strategy_id, change=True)
    form = bind(StrategyForm, _set(payload.dict(exclude_unset=True)), instance=strategy)
    api_update(request, form, update_strategy, version=payload.version)
    return _strategy.records(request).get(pk=strategy.pk)


@router.delete(
    "/planning-strategies/{strategy_id}",
    **writes(204, None),
    summary="Delete a planning strategy with its needs",
    description=(
        "Refused (422) while a cooperation proposal builds on one of its needs. Send the "
        "`version` you read."
    ),
)
def delete_strategy_api(
    request: HttpRequest, strategy_id: int, version: DeleteVersion
) -> Status[None]:
    return deleted(request, _strategy(request, strategy_id, change=True), delete_strategy, version)


@router.post(
    "/planning-strategies/{strategy_id}/needs",
    **writes(201, PlanningNeedOut),
    summary="Record a cooperation need the planning strategy names",
)
def post_need(
    request: HttpRequest, strategy_id: int, payload: PlanningNeedIn
) -> Status[CooperationNeed]:
    strategy = _strategy(request, strategy_id, change=True)
    form = bind(NeedForm, payload.dict(), instance=None)
    need = api_create(request, form, add_need, strategy=strategy)
    return Status(201, need)


@router.patch(
    "/planning-needs/{need_id}",
    **writes(200, PlanningNeedOut),
    summary="Change a cooperation need (with the version read)",
)
def patch_need(request: HttpRequest, need_id: int, payload: PlanningNeedPatch) -> CooperationNeed:
    need = _need(request, need_id, change=True)
    form = bind(NeedForm, _set(payload.dict(exclude_unset=True)), instance=need)
    return api_update(request, form, update_need, version=payload.version)


@router.delete(
    "/planning-needs/{need_id}",
    **writes(204, None),
    summary="Delete a cooperation need",
    description="Refused (422) while a cooperation proposal builds on it. Send the `version`.",
)
def delete_need_api(request: HttpRequest, need_id: int, version: DeleteVersion) -> Status[None]:
    return deleted(request, _need(request, need_id, change=True), delete_need, version)
