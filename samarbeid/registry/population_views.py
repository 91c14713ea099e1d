"""A municipality's population page: the figures per year, a form to enter or correct one,
and the upload of Statistics Norway's table 07459 for every municipality at once (a task the
worker runs). The page shows (GET); the two forms post to their own POST-only views, which
show the page again with the errors."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samarbeid.audit.models import Channel
from samarbeid.core.forms import submit
from samarbeid.registry.forms import PopulationFileForm, PopulationForm
from samarbeid.registry.jobs import start_population
from samarbeid.registry.models import Municipality, Population
from samarbeid.registry.permissions import (
    can_import_population,
    require_population_edit,
    require_population_import,
)
from samarbeid.registry.population_links import local_path
from samarbeid.registry.services import set_population


def _municipality(request: HttpRequest, code: str) -> Municipality:
    """The register is public (404 only for a code that is not there); changing its
    population is for the municipality's coordinator and the secretariat (403)."""
    municipality = get_object_or_404(Municipality, code=code)
    require_population_edit(request.user, municipality)
    return municipality


def _year_asked(request: HttpRequest) -> int | None:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 1900 <= int(text) <= 2100 else None


def _back(request: HttpRequest) -> str | None:
    """Where the clerk came from (a budget lacking the figure), to go back to: a local path."""
    return local_path(request.GET.get("neste") or request.POST.get("neste"))


def _show(
    request: HttpRequest,
    municipality: Municipality,
    *,
    form: PopulationForm | None = None,
    file_form: PopulationFileForm | None = None,
    conflict: Any = None,
    status: int = 200,
) -> HttpResponse:
    figures = list(municipality.populations.order_by("-year"))
    if form is None:
        year = _year_asked(request)
        stored = next((f for f in figures if f.year == year), None)
        initial: dict[str, Any] = {"year": year, "version": stored.version if stored else 0}
        if stored is not None:
            initial["count"] = stored.count
        form = PopulationForm(initial=initial)
    may_import = can_import_population(request.user)
    return render(
        request,
        "registry/population.html",
        {
            "municipality": municipality,
            "figures": figures,
            "form": form,
            "conflict": conflict,
            "file_form": (file_form or PopulationFileForm()) if may_import else None,
            "back": _back(request),
        },
        status=status,
    )


@login_required
@require_GET
def population_page(request: HttpRequest, code: str) -> HttpResponse:
    return _show(request, _municipality(request, code))


# A form shown again with its errors has this address: reloading it (a GET) goes back to
# the page, not to a 405 (a clerk's trial).
@login_required
@require_http_methods(["GET", "POST"])
def population_save(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(request, code)  # refuses those who may not, GET or POST
    if request.method == "GET":
        return redirect("registry:population", code)
    form = PopulationForm(request.POST)

    def save() -> Population:
        figure, _new = set_population(
            municipality,
            form.cleaned_data["year"],
            form.cleaned_data["count"],
            expected_version=form.cleaned_data.get("version"),
            actor=request.user,
            channel=Channel.PAGE,
        )
        return figure

    def success(figure: Population) -> str:
        return _("Folketallet for %(m)s per 1. januar %(year)s er lagret.") % {
            "m": municipality.name,
            "year": figure.year,
        }

    done = submit(request, form, save, success)
    if done.saved is not None:
        back = _back(request)
        page = reverse("registry:population", args=[municipality.code])
        return HttpResponseRedirect(f"{page}?{urlencode({'neste': back})}" if back else page)
    return _show(request, municipality, form=form, conflict=done.conflict)


@login_required
@require_POST
def population_import(request: HttpRequest, code: str) -> HttpResponse:
    """The upload, from a municipality's population page (it names every municipality): kept
    with a task (samarbeid.jobs) that the worker runs as the tasks' start page's import does,
    checked whole and all or nothing; the page goes to the task's page (progress, then the
    result or each problem with its file and line)."""
    municipality = get_object_or_404(Municipality, code=code)
    require_population_import(request.user)
    file_form = PopulationFileForm(request.POST, request.FILES)
    if not file_form.is_valid():
        return _show(request, municipality, file_form=file_form)
    upload = file_form.cleaned_data["file"]
    job = start_population(
        upload.name,
        upload.read(),
        actor=request.user,
        channel=Channel.PAGE,
        # the problems and the result in the page's language, whichever worker runs it
        language=get_language(),
        municipality=municipality.code,
    )
    return redirect(job)
