"""Every invoice run the user may see, narrowed by year and status, 50 a page: where a
national draft of every arena's runs is followed up (the finance overview shows only the
latest twenty)."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samarbeid.core.paging import CountCachedPaginator
from samarbeid.finance.access import runs_visible_to
from samarbeid.finance.forms import RunFilterForm
from samarbeid.finance.models import InvoiceRun

RUNS_PER_PAGE = 50


def run_list(request: HttpRequest) -> HttpResponse:
    """The runs narrowed by the filter; a wrong value gets its field's error and no list
    (a GET that narrows, not a write: answered 200, as the other filters)."""
    form = RunFilterForm(request.GET or None)
    runs = runs_visible_to(request.user).select_related("arena")
    if form.is_bound and not form.is_valid():
        # a wrong value narrows to nothing, not to everything
        empty: Page[InvoiceRun] = Paginator([], RUNS_PER_PAGE).get_page(1)
        return render(request, "finance/run_list.html", {"form": form, "page": empty, "runs": []})
    if form.is_valid():
        runs = form.narrow(runs)
    runs = runs.order_by("-year", "arena__short_name", "pk").only(
        "pk",
        "year",
        "status",
        "issue_date",
        "due_date",
        "is_example_data",
        "arena__short_name",
        "arena__name",
    )
    page = CountCachedPaginator(runs, RUNS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/run_list.html",
        {"form": form, "page": page, "runs": page.object_list},
    )
