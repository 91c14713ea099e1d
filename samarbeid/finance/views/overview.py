"""The financing overview, an arena's finances, and what a municipality pays."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from samarbeid.accounts.permissions import is_internal, is_secretariat
from samarbeid.arenas.access import visible_arena
from samarbeid.arenas.models import Arena
from samarbeid.core.paging import CountCachedPaginator
from samarbeid.core.stamps import cached_part
from samarbeid.core.templatetags.samarbeid import nok
from samarbeid.finance import figures
from samarbeid.finance.access import (
    budgets_visible_to,
    can_manage_finance,
    runs_visible_to,
)
from samarbeid.finance.figures import PaymentRow
from samarbeid.finance.forms import (
    RunForm,
)
from samarbeid.finance.queries import grant_reports_due
from samarbeid.finance.run_checks import first_open_year
from samarbeid.registry.models import Municipality


def index(request: HttpRequest, all_runs_form: RunForm | None = None) -> HttpResponse:
    """Arenas to choose from (50 a page, searchable: a national service has thousands), the
    latest budgets and invoice runs, and for a secretariat for every arena the form that
    drafts every arena's run (with a bound form that did not validate, answered 422)."""
    q = request.GET.get("q", "").strip()[:100]
    arenas = Arena.objects.visible_to(request.user).search(q).order_by("name", "pk")
    page = CountCachedPaginator(arenas.only("pk", "name", "short_name"), 50).get_page(
        request.GET.get("page")
    )
    runs = runs_visible_to(request.user).select_related("arena").order_by("-year")[:20]
    budgets = budgets_visible_to(request.user).select_related("arena").order_by("-year")[:20]
    return render(
        request,
        "finance/index.html",
        {
            "page": page,
            "q": q,
            "runs": runs,
            "budgets": budgets,
            # every arena's draft at once: a secretariat for every arena
            "all_runs_form": all_runs_form
            or (
                RunForm(initial={"year": first_open_year(), "due_days": 30}, prefix="alle")
                if is_secretariat(request.user, None)
                else None
            ),
        },
        status=200 if all_runs_form is None else 422,
    )


def arena_finance(request: HttpRequest, pk: int) -> HttpResponse:
    return arena_page(request, visible_arena(request.user, pk))


def arena_page(request: HttpRequest, arena: Arena, run_form: RunForm | None = None) -> HttpResponse:
    """An arena's finance page: its keys, budgets and runs, and the form for a new run;
    with a bound run form that did not validate, answered 422."""
    manage = can_manage_finance(request.user, arena)
    return render(
        request,
        "finance/arena.html",
        {
            "arena": arena,
            "keys": arena.allocation_keys.all(),
            "budgets": arena.budgets.all(),
            "runs": runs_visible_to(request.user).filter(arena=arena),
            "can_manage": manage,
            # the grants whose report is due soon or overdue: for the arena's secretariat
            "reports_due": list(grant_reports_due([arena.pk], timezone.localdate()))
            if manage
            else [],
            "today": timezone.localdate(),
            # the first budget year a draft can be made for (none chosen when there is
            # none); planned only for those the form is shown to
            "run_form": run_form
            or (
                RunForm(initial={"year": first_open_year(arena), "due_days": 30})
                if manage
                else None
            ),
        },
        status=200 if run_form is None else 422,
    )


# The municipality's payments -------------------------------------------------------------------


def _payments_by_year(municipality: Municipality, internal: bool) -> dict[int, list[PaymentRow]]:
    hidden = (
        set()
        if internal
        else set(Arena.objects.filter(published=False).values_list("pk", flat=True))
    )
    by_year: dict[int, list[PaymentRow]] = defaultdict(list)
    for row in figures.municipality_payments(municipality):
        if row.arena_id not in hidden:
            by_year[row.year].append(row)
    return dict(by_year)


PAYMENTS_PER_PAGE = 25


def municipality_payments(request: HttpRequest, code: str) -> HttpResponse:
    """What a municipality pays: the sum per year, and per arena for the chosen year (the
    newest by default, 25 arenas a page). Splitting every budget it is part of is heavy, so
    the result is cached until the data changes (core.stamps): the sums and each year's rows
    apart, so a request unpacks one year, with its links made once. After a change, the
    service finds the splits of every arena the change did not touch in their own cache."""
    municipality = get_object_or_404(Municipality, code=code)
    internal = is_internal(request.user)

    def shown(rows: list[PaymentRow]) -> list[dict[str, Any]]:
        return [
            {
                "url": reverse("finance:arena", args=[row.arena_id]),
                "name": row.arena_name,
                "amount": nok(row.amount),
                "invoiced": row.invoiced,
                "own_share": nok(row.own_share) if row.own_share else "",
            }
            for row in rows
        ]

    def compute() -> dict[Any, Any]:
        by_year = _payments_by_year(municipality, internal)
        parts: dict[Any, Any] = {y: shown(rows) for y, rows in by_year.items()}
        parts["years"] = [
            (y, sum((r.amount for r in by_year[y]), Decimal("0.00")))
            for y in sorted(by_year, reverse=True)
        ]
        return parts

    key = (municipality.pk, internal)
    years: list[tuple[int, Decimal]] = cached_part(
        "finance-municipality", compute, "years", [], *key
    )
    raw_year = request.GET.get("year", "")
    known = {y for y, _sum in years}
    year = int(raw_year) if raw_year.isdigit() and int(raw_year) in known else None
    if year is None and years:
        year = years[0][0]
    rows: list[dict[str, Any]] = []
    if year is not None:
        rows = cached_part("finance-municipality", compute, year, [], *key)
    page = Paginator(rows, PAYMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/municipality.html",
        {"municipality": municipality, "rows": page, "page": page, "year": year, "years": years},
    )
