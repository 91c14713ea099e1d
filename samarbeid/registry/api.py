from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from samarbeid.core.api_schemas import Problem
from samarbeid.registry.models import Municipality, Population
from samarbeid.registry.services import resolve_number

router = Router(tags=["municipalities"])


class MunicipalityOut(Schema):
    number: str
    code: str = Field(description="Statistics Norway's code; a letter suffix marks a reused number")
    name: str
    county: str = Field(description="County number at the time: the number's first two digits")
    organisation_number: str | None
    valid_from: date | None = Field(description="Empty: in use before 1994")
    valid_to: date | None = Field(description="Last day in use; empty while current")
    predecessors: list[str]
    successors: list[str]
    latitude: Decimal | None
    longitude: Decimal | None


class PopulationOut(Schema):
    year: int
    count: int


class MunicipalityDetailOut(MunicipalityOut):
    population: list[PopulationOut]


class MunicipalityFilter(Schema):
    at: date | None = Field(None, description="Only municipalities in use on this date")
    county: str | None = Field(None, pattern=r"^\d{2}$", description="County number at the time")
    q: str | None = Field(None, max_length=100, description="Name or number begins with")


def _out(m: Municipality) -> dict[str, object]:
    return {
        "number": m.number,
        "code": m.code,
        "name": m.name,
        "county": m.county_number,
        "organisation_number": m.organisation_number or None,
        "valid_from": m.valid_from,
        "valid_to": m.valid_to,
        "predecessors": sorted({p.number for p in m.predecessors.all()}),
        "successors": sorted({s.number for s in m.successors.all()}),
        "latitude": m.latitude,
        "longitude": m.longitude,
    }


def _with_links() -> object:
    return Municipality.objects.prefetch_related(
        Prefetch("predecessors", queryset=Municipality.objects.only("id", "number")),
        Prefetch("successors", queryset=Municipality.objects.only("id", "number")),
    )


@router.get(
    "/municipalities",
    response=list[MunicipalityOut],
    summary="List municipalities",
    description="Every municipality number in use since 1994, each period its own record.",
)
@paginate(LimitOffsetPagination)
def list_municipalities(
    request: HttpRequest, filters: Query[MunicipalityFilter]
) -> list[dict[str, object]]:
    queryset = _with_links()
    assert hasattr(queryset, "filter")
    if filters.at:
        queryset = queryset.valid_on(filters.at)
    if filters.county:
        queryset = queryset.filter(county_number=filters.county)
    if filters.q:
        queryset = queryset.search(filters.q)
    return [_out(m) for m in queryset.order_by("number", "valid_from")]


@router.get(
    "/municipalities/{number}",
    response={200: MunicipalityDetailOut, 404: Problem, 422: Problem},
    summary="One municipality",
    description=(
        "Where a number was used by two municipalities at different times, `at` picks one; "
        "without it, the current or most recent one is returned."
    ),
)
def get_municipality(
    request: HttpRequest, number: str, at: date | None = None
) -> dict[str, object]:
    if not (len(number) == 4 and number.isdigit()):
        raise Http404("A municipality number has four digits.")
    found = resolve_number(number, at)
    if found is None:
        raise Http404(f"No municipality {number}" + (f" on {at.isoformat()}" if at else ""))
    municipality = _with_links().get(pk=found.pk)  # type: ignore[attr-defined]
    data = _out(municipality)
    data["population"] = [
        {"year": p.year, "count": p.count}
        for p in Population.objects.filter(municipality=municipality).order_by("year")
    ]
    return data
