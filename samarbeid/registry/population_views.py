"""A municipality's population page: the figures per year, a form to enter or correct one,
and the upload of Statistics Norway's table 07459 for every municipality at once. The page
shows (GET); the two forms post to their own POST-only views, which show the page again
with the errors."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samarbeid.accounts.permissions import can_edit_population
from samarbeid.audit.models import Channel
from samarbeid.core.forms import submit
from samarbeid.registry.forms import PopulationFileForm, PopulationForm
from samarbeid.registry.models import Municipality, Population
from samarbeid.registry.permissions import can_import_population
from samarbeid.registry.population_links import local_path
from samarbeid.registry.population_messages import worded
from samarbeid.registry.services import ImportProblem, import_population_data, set_population


def _municipality(request: HttpRequest, code: str) -> Municipality:
    """The register is public (404 only for a code that is not there); changing its
    population is for the municipality's coordinator and the secretariat (403)."""
    municipality = get_object_or_404(Municipality, code=code)
    if not can_edit_population(request.user, municipality):
        raise PermissionDenied
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
    file_problems: list[str] | None = None,
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
            "file_problems": file_problems or [],
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
    """The upload, from a municipality's population page (it names every municipality)."""
    municipality = get_object_or_404(Municipality, code=code)
    if not can_import_population(request.user):
        raise PermissionDenied
    file_form = PopulationFileForm(request.POST, request.FILES)
    if not file_form.is_valid():
        return _show(request, municipality, file_form=file_form)
    upload = file_form.cleaned_data["file"]
    try:
        stored = import_population_data(
            upload.read(), upload.name, actor=request.user, channel=Channel.PAGE
        )
    except ImportProblem as exc:
        # the list above the field says that nothing was saved; the field points to it
        file_form.add_error("file", _("Filen har feil; se linjene over."))
        problems = [worded(d) for d in exc.details] or exc.problems
        return _show(request, municipality, file_form=file_form, file_problems=problems)
    messages.success(
        request,
        _("%(n)s folketall er lest fra %(file)s og lagret.") % {"n": stored, "file": upload.name},
    )
    return HttpResponseRedirect(reverse("registry:population", args=[municipality.code]))
