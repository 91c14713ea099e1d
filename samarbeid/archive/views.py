"""The archive extract page (secretariat only): choose an arena and a period, download the
Noark 5 extract as a zip. Reads only; the anonymous get the log-in page, signed-in users
who are not the arena's secretariat 403."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from samarbeid.accounts.permissions import is_any_secretariat, is_secretariat, require
from samarbeid.archive.documents import case_summary_pdf
from samarbeid.archive.extract import arena_case_count, build_extract
from samarbeid.archive.forms import MAX_CASES_ON_PAGE, ExtractForm
from samarbeid.lib.noark5 import extract_zip


@require_safe
@login_required
def extract_page(request: HttpRequest) -> HttpResponse:
    require(is_any_secretariat(request.user))
    # ?arena=ISK fills in the arena (a link from an arena's page)
    form = ExtractForm(initial={"arena": request.GET.get("arena", "")[:40]})
    return render(request, "archive/extract.html", {"form": form})


@require_safe
@login_required
def extract_download(request: HttpRequest) -> HttpResponse:
    require(is_any_secretariat(request.user))
    form = ExtractForm(request.GET)
    if form.is_valid():
        arena, start, end = (form.cleaned_data[k] for k in ("arena", "start", "end"))
        require(is_secretariat(request.user, arena))
        if arena_case_count(arena, start, end) > MAX_CASES_ON_PAGE:
            form.add_error(
                "end",
                _("Perioden har mer enn %(max)d saker: velg en kortere periode.")
                % {"max": MAX_CASES_ON_PAGE},
            )
        else:
            extract = build_extract(
                arena, start, end, by=request.user.get_username(), summary=case_summary_pdf
            )
            response = HttpResponse(
                extract_zip(extract.archive, extract.folder_name), content_type="application/zip"
            )
            response["Content-Disposition"] = f'attachment; filename="{extract.folder_name}.zip"'
            return response
    return render(request, "archive/extract.html", {"form": form}, status=422)
