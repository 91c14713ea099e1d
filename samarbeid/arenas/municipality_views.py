"""A municipality's page: its register facts and the arenas it sits and sat in. Served by
arenas, the lowest layer that knows both; mounted under the register's URLs
("registry:municipality_detail") by samarbeid/urls.py."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from samarbeid.accounts.permissions import published_to
from samarbeid.arenas.models import Membership
from samarbeid.core.public_cache import public_cache
from samarbeid.registry.models import Municipality, MunicipalityChange
from samarbeid.registry.services import SuccessorMap


@public_cache
def municipality_detail(request: HttpRequest, code: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality, code=code)
    # Its own memberships and those of every municipality it took over (each shown as the
    # municipality it was: the record keeps who sat there).
    history = [municipality.pk, *SuccessorMap().predecessor_ids(municipality.pk)]
    memberships = published_to(
        Membership.objects.filter(municipality_id__in=history), request.user, "arena"
    )
    # 25 a page: at national scale a municipality has sat in hundreds of arenas over time
    memberships_page = Paginator(
        memberships.select_related("arena", "decision", "municipality").order_by("-joined", "-pk"),
        25,
    ).get_page(request.GET.get("page"))
    predecessors = MunicipalityChange.objects.filter(successor=municipality).select_related(
        "predecessor"
    )
    successors = MunicipalityChange.objects.filter(predecessor=municipality).select_related(
        "successor"
    )
    population = municipality.populations.order_by("-year")[:10]
    return render(
        request,
        "registry/municipality_detail.html",
        {
            "municipality": municipality,
            "memberships": memberships_page,
            "page": memberships_page,
            "predecessors": predecessors,
            "successors": successors,
            "population": population,
        },
    )
