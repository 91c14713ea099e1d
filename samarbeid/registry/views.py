from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samarbeid.core.public_cache import public_cache
from samarbeid.registry.counties import county_choices
from samarbeid.registry.models import Municipality


@public_cache
def municipality_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    county = request.GET.get("county", "")
    period = request.GET.get("period", "current")
    municipalities = Municipality.objects.search(query)
    if county:
        municipalities = municipalities.filter(county_number=county)
    if period == "current":
        municipalities = municipalities.current()
    elif period == "historical":
        municipalities = municipalities.historical()
    page = Paginator(municipalities.order_by("number", "valid_from"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "registry/municipality_list.html",
        {
            "page": page,
            "query": query,
            "county": county,
            "period": period,
            "counties": county_choices(),
        },
    )
