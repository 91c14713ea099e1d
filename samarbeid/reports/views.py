"""Reports: each a page, a PDF (the same body template through WeasyPrint) and a workbook."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from samarbeid.accounts.permissions import coordinator_municipality_ids
from samarbeid.arenas.models import Arena
from samarbeid.core.forms import query_result
from samarbeid.core.paging import CountCachedPaginator
from samarbeid.finance.grants import grants_visible_to
from samarbeid.registry.models import Municipality
from samarbeid.reports import exports, services
from samarbeid.reports import jobs as report_jobs
from samarbeid.reports.grants import grant_report, grant_sheets
from samarbeid.strategy.visibility import visible_plan, visible_plans

FORMATS = ("html", "pdf", "xlsx")


class YearRangeForm(forms.Form):
    first_year = forms.IntegerField(label=_("Fra år"), min_value=1900, max_value=2200)
    last_year = forms.IntegerField(label=_("Til og med år"), min_value=1900, max_value=2200)


def _respond(
    request: HttpRequest,
    fmt: str,
    *,
    body: str,
    context: dict[str, Any],
    sheets: Any,
    filename: str,
    url_name: str,
    args: list[Any],
    background: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    query = request.GET.urlencode()
    suffix = f"?{query}" if query else ""
    context["downloads"] = [
        (gettext("Last ned PDF"), reverse(url_name, args=[*args, "pdf"]) + suffix),
        (gettext("Last ned Excel"), reverse(url_name, args=[*args, "xlsx"]) + suffix),
    ]
    if fmt == "pdf":
        return exports.pdf_response(request, body, context, filename)
    if fmt == "xlsx":
        return exports.xlsx_response(sheets(), filename)
    context["background"] = background or []
    return render(request, "reports/page.html", {**context, "body_template": body})


def index(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    q = request.GET.get("q", "").strip()[:100]
    arenas = Arena.objects.visible_to(request.user).search(q).order_by("name", "pk")
    # 50 a page, searchable: a national service has thousands of arenas.
    page = CountCachedPaginator(arenas.only("pk", "name"), 50).get_page(request.GET.get("page"))
    own = Municipality.objects.filter(pk__in=coordinator_municipality_ids(request.user))
    return render(
        request,
        "reports/index.html",
        {
            "page": page,
            "q": q,
            # the newest; every plan is listed (paged) on the strategy page
            "plans": visible_plans(request.user)
            .select_related("arena")
            .order_by("-first_year", "-pk")[:20],
            "year": year,
            "own": own,
        },
    )


def annual(request: HttpRequest, arena_id: int, year: int, fmt: str = "html") -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    arena = get_object_or_404(report_jobs.report_arenas(request.user), pk=arena_id)
    try:
        report = services.annual_report(arena, year, request.user)
    except ValidationError as exc:
        raise Http404(" ".join(exc.messages)) from exc
    return _respond(
        request,
        fmt,
        body="reports/_annual.html",
        context={
            "report": report,
            "title": gettext("Årsrapport %(y)s: %(a)s") % {"y": year, "a": arena.name},
        },
        sheets=lambda: exports.annual_sheets(report),
        filename=f"arsrapport-{arena.short_name}-{year}",
        url_name="reports:annual_as",
        args=[arena.pk, year],
        background=[
            (
                gettext("Lag %(f)s i bakgrunnen") % {"f": gettext(label)},
                reverse("reports:annual_task", args=[arena.pk, year, fmt_name]),
            )
            for fmt_name, (label, _type) in report_jobs.FORMATS.items()
        ]
        if report_jobs.may_make_annual(request.user, arena.pk)
        else [],
    )


@login_required
@require_POST
def annual_task(request: HttpRequest, arena_id: int, year: int, fmt: str) -> HttpResponse:
    """The annual report's PDF or workbook made by a background task; its page follows it
    and keeps the file for download."""
    if fmt not in report_jobs.FORMATS:
        raise Http404
    arena = get_object_or_404(report_jobs.report_arenas(request.user), pk=arena_id)
    job = report_jobs.start_annual(arena, year, fmt, actor=request.user)
    return redirect(job)


def municipality(request: HttpRequest, code: str, fmt: str = "html") -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    place = get_object_or_404(Municipality, code=code)
    year = timezone.localdate().year
    form = YearRangeForm(
        request.GET if "first_year" in request.GET else {"first_year": year - 9, "last_year": year}
    )
    statement = query_result(
        form,
        lambda data: services.municipality_statement(
            place, data["first_year"], data["last_year"], request.user
        ),
    )
    if statement is None:
        if fmt != "html":
            raise Http404
        return render(
            request,
            "reports/page.html",
            {
                "title": gettext("Hva vi la inn og hva vi fikk: %(m)s") % {"m": place.name},
                "body_template": "reports/_statement.html",
                "form": form,
                "place": place,
            },
            status=422 if request.GET else 200,
        )
    return _respond(
        request,
        fmt,
        body="reports/_statement.html",
        context={
            "statement": statement,
            "form": form,
            "place": place,
            "title": gettext("Hva vi la inn og hva vi fikk: %(m)s %(p)s")
            % {"m": place.name, "p": statement.period_label},
        },
        sheets=lambda: exports.statement_sheets(statement),
        filename=f"kommuneregnskap-{place.number}-{statement.first_year}-{statement.last_year}",
        url_name="reports:municipality_as",
        args=[place.code],
    )


def plan(request: HttpRequest, pk: int, fmt: str = "html") -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    report = services.plan_report(visible_plan(request, pk))
    return _respond(
        request,
        fmt,
        body="reports/_plan.html",
        context={"report": report, "title": gettext("Planrapport: %(p)s") % {"p": report.plan}},
        sheets=lambda: exports.plan_sheets(report),
        filename=f"planrapport-{report.plan.arena.short_name}-{report.plan.period_label}",
        url_name="reports:plan_as",
        args=[pk],
    )


def grant(request: HttpRequest, pk: int, fmt: str = "html") -> HttpResponse:
    """A grant's report: what it was for, the decision, what was spent, the results."""
    if fmt not in FORMATS:
        raise Http404
    found = get_object_or_404(
        grants_visible_to(request.user).select_related("line__budget__arena", "line__project"),
        pk=pk,
    )
    report = grant_report(found)
    return _respond(
        request,
        fmt,
        body="reports/_grant.html",
        context={
            "report": report,
            "title": gettext("Tilskuddsrapport: %(g)s") % {"g": found.grantor_name},
        },
        sheets=lambda: grant_sheets(report),
        filename=f"tilskudd-{found.pk}",
        url_name="reports:grant_as",
        args=[pk],
    )


def municipality_lookup(request: HttpRequest) -> HttpResponse:
    """From a municipality number to its statement (the latest municipality with that number)."""
    number = request.GET.get("number", "").strip()[:4]
    place = Municipality.objects.filter(number=number).order_by("-valid_from").first()
    if place is None:
        raise Http404(gettext("Fant ingen kommune med det nummeret."))
    return redirect("reports:municipality", place.code)
