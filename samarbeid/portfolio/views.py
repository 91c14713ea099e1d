from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from samarbeid.accounts.permissions import (
    can_edit_arena,
    coordinator_municipality_ids,
    is_any_secretariat,
    is_internal,
    require,
)
from samarbeid.arenas.models import Arena
from samarbeid.core.forms import apply_validation_error, edit_page, form_page
from samarbeid.core.public_cache import public_cache
from samarbeid.core.stamps import cached_aggregate
from samarbeid.governance.forms import NOT_SECRETARIAT
from samarbeid.governance.models import Decision
from samarbeid.lib import spreadsheet
from samarbeid.portfolio.access import find_project
from samarbeid.portfolio.forms import (
    ParticipationDecisionForm,
    ParticipationForm,
    ProjectForm,
    StatusForm,
)
from samarbeid.portfolio.lifecycle import next_statuses
from samarbeid.portfolio.models import Project
from samarbeid.portfolio.queries import (
    ProjectFilter,
    ProjectPages,
    filtered_projects,
    municipality_context,
    overview,
    project_origin,
    with_taking_part_now,
)
from samarbeid.portfolio.services import (
    DECIDED_STATUSES,
    change_status,
    create_project,
    current_participations,
    set_participation,
    set_participation_on_decision,
    update_project,
)
from samarbeid.registry.models import Municipality


def _choices(user: Any) -> tuple[list[str], list[tuple[int, str]]]:
    """The focus areas and the arenas (id, name) with projects, for the filter form; at most
    ARENA_SELECT_LIMIT + 1 arenas (above the limit the form asks for a name)."""
    focus_areas = (
        Project.objects.visible_to(user)
        .exclude(focus_area_text="")
        .order_by("focus_area_text")
        .values_list("focus_area_text", flat=True)
        .distinct()
    )
    arenas = (
        Arena.objects.visible_to(user)
        .filter(pk__in=Project.objects.values("arena_id"))
        .order_by("name", "pk")
        .values_list("pk", "name")
    )
    # one more than a list offers: enough to know the name field is needed instead
    return list(focus_areas), list(arenas[: ARENA_SELECT_LIMIT + 1])


# Above this many arenas the filter asks for the arena's short name instead of offering a
# list: a national service has thousands.
ARENA_SELECT_LIMIT = 200


def _filters(request: HttpRequest) -> ProjectFilter:
    """The filters of the query string; `arena_name` (the short name or full name typed
    where the arenas are too many for a list) chooses the arena too."""
    filters = ProjectFilter.from_query(request.GET)
    typed = request.GET.get("arena_name", "").strip()[:200]
    if typed:
        filters.arena = (
            Arena.objects.visible_to(request.user)
            .filter(Q(short_name__iexact=typed) | Q(name__iexact=typed))
            .values_list("pk", flat=True)
            .first()
        )
    return filters


def _filter_context(request: HttpRequest, filters: ProjectFilter) -> dict[str, Any]:
    # Distinct values over every project: cached until the data changes (core.stamps).
    focus_areas, arenas = cached_aggregate(
        "portfolio-choices", lambda: _choices(request.user), is_internal(request.user)
    )
    context: dict[str, Any] = {
        "filters": filters.as_dict(),
        "statuses": Project.Status.choices,
        "focus_areas": focus_areas,
        "query": request.GET.urlencode(),
    }
    if len(arenas) > ARENA_SELECT_LIMIT:
        typed = request.GET.get("arena_name", "").strip()[:200]
        context["arena_name"] = typed
        context["arena_not_found"] = bool(typed) and filters.arena is None
    else:
        # Rendered in Python: quicker than a template loop over a couple of hundred options.
        context["arena_options"] = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((pk, " selected" if pk == filters.arena else "", name) for pk, name in arenas),
        )
    return context


@public_cache
def index(request: HttpRequest) -> HttpResponse:
    """The portfolio overview: counts by status and kind, by focus area, by municipality."""
    filters = _filters(request)
    if filters.arena is None and "arena" not in request.GET:
        twelve = Arena.objects.visible_to(request.user).filter(short_name="12K").first()
        if twelve is not None:
            filters.arena = twelve.pk
    context = _filter_context(request, filters)
    # Counts over the whole portfolio: cached until the data changes (core.stamps).
    context["overview"] = cached_aggregate(
        "portfolio-overview",
        lambda: overview(request.user, filters),
        is_internal(request.user),
        sorted(filters.as_dict().items()),
        timezone.localdate().isoformat(),  # who takes part now changes with the day
    )
    context["selected_arena"] = (
        Arena.objects.visible_to(request.user).filter(pk=filters.arena).first()
        if filters.arena
        else None
    )
    context["can_create"] = is_any_secretariat(request.user)
    return render(request, "portfolio/index.html", context)


@public_cache
def project_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    projects = ProjectPages(request.user, filters)
    # ProjectPages slices and counts like a queryset (what Paginator uses)
    page = Paginator(cast("Sequence[Project]", projects), 50).get_page(request.GET.get("page"))
    context = _filter_context(request, filters)
    context.update({"page": page, "can_create": is_any_secretariat(request.user)})
    return render(request, "portfolio/project_list.html", context)


def project_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as an Excel workbook."""

    filters = _filters(request)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Prosjekter")
    headers = [
        _("Kode"),
        _("Tittel"),
        _("Arena"),
        _("Status"),
        _("Innsatsområde"),
        _("Ansvarlig kommune"),
        _("Prosjektleder"),
        _("Budsjett (kr)"),
        _("Start"),
        _("Slutt"),
        _("Kommuner som deltar nå"),
        _("Eksempeldata"),
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for p in with_taking_part_now(filtered_projects(request.user, filters), timezone.localdate()):
        sheet.append(
            [
                p.code,
                p.title,
                p.arena.short_name,
                str(p.get_status_display()),
                p.focus_area_text,
                p.lead_municipality.name if p.lead_municipality else "",
                p.project_manager,
                p.budget,
                p.start,
                p.end,
                getattr(p, "participant_count", 0),
                _("ja") if p.is_example_data else "",
            ]
        )
    for column, width in zip(
        "ABCDEFGHIJKL", [12, 50, 12, 14, 30, 20, 24, 14, 12, 12, 12, 10], strict=True
    ):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    response = HttpResponse(
        spreadsheet.workbook_bytes(workbook),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="prosjekter-{stamp}.xlsx"'
    return response


def _participation_form(
    request: HttpRequest, project: Project, data: Any = None
) -> tuple[ParticipationForm, ParticipationDecisionForm]:
    municipalities = Municipality.objects.order_by("number", "valid_from")
    if not can_edit_arena(request.user, project.arena):
        municipalities = municipalities.filter(pk__in=coordinator_municipality_ids(request.user))
    else:
        members = project.arena.parent if project.arena.parent_id else project.arena
        ids = set(
            members.memberships.values_list("municipality_id", flat=True)
            if members is not None
            else []
        ) | set(project.arena.memberships.values_list("municipality_id", flat=True))
        if ids:
            municipalities = municipalities.filter(pk__in=ids)
    return (
        ParticipationForm(data, prefix="p", municipalities=municipalities),
        ParticipationDecisionForm(data, prefix="d"),
    )


def _may_change_participation(request: HttpRequest, project: Project) -> bool:
    return can_edit_arena(request.user, project.arena) or bool(
        coordinator_municipality_ids(request.user)
    )


@public_cache
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = find_project(request, pk)
    participations = list(
        project.participations.select_related(
            "municipality", "decision__municipality", "decision__arena"
        ).order_by("municipality__number", "since", "id")
    )
    can_edit = can_edit_arena(request.user, project.arena)
    may_participate = request.user.is_authenticated and _may_change_participation(request, project)
    context: dict[str, Any] = {
        "project": project,
        "current": current_participations(project),
        "participations": participations,
        "status_changes": project.status_changes.select_related("actor", "decision__municipality"),
        "cases": project.cases.all(),
        "origin": project_origin(project, request.user),
        "can_edit": can_edit,
        "next_statuses": [Project.Status(s) for s in next_statuses(project.status)],
        "siblings": Arena.objects.visible_to(request.user)
        .filter(parent=project.arena.parent or project.arena)
        .exclude(pk=project.arena_id),
    }
    if may_participate:
        form, decision_form = _participation_form(request, project)
        context.update({"form": form, "decision_form": decision_form})
    return render(request, "portfolio/project_detail.html", context)


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    if not is_any_secretariat(request.user):
        raise PermissionDenied
    arenas = Arena.objects.visible_to(request.user).order_by("name")
    initial = {"arena": request.GET.get("arena")} if request.GET.get("arena") else None
    form = ProjectForm(request.POST or None, arenas=arenas, initial=initial)
    return form_page(
        request,
        form,
        lambda: create_project(form.save(commit=False), actor=request.user),
        success=_("Prosjektet er registrert."),
        template="portfolio/project_form.html",
        context={"project": None},
        refused=("arena", NOT_SECRETARIAT),
    )


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = find_project(request, pk, change=True)
    arenas = Arena.objects.visible_to(request.user).order_by("name")
    return edit_page(
        request,
        ProjectForm(request.POST or None, instance=project, arenas=arenas),
        update_project,
        success=_("Endringene er lagret."),
        template="portfolio/project_form.html",
        context={"project": project},
    )


@login_required
def project_status(request: HttpRequest, pk: int) -> HttpResponse:
    project = find_project(request, pk, change=True)
    arenas = Arena.objects.visible_to(request.user).exclude(pk=project.arena_id).order_by("name")
    form = StatusForm(
        request.POST or None,
        current=project.status,
        arenas=arenas,
        initial={"changed_on": timezone.localdate(), "version": project.version},
    )

    def save() -> Any:
        data = form.cleaned_data
        return change_status(
            project,
            data["status"],
            changed_on=data["changed_on"],
            reason=data["reason"],
            transferred_to=data["transferred_to"],
            expected_version=data["version"],
            actor=request.user,
        )

    return form_page(
        request,
        form,
        save,
        success=_("Statusen er endret."),
        template="portfolio/project_status.html",
        context={
            "project": project,
            "next_statuses": [Project.Status(s) for s in next_statuses(project.status)],
        },
        then=project,
    )


@login_required
def participation_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a municipality's participation, with the council decision on the same page.
    The form offers the user's own municipalities (a coordinator's) or the arena's members;
    another municipality posted is refused by the service with who may (403), as in the
    API."""
    project = find_project(request, pk)
    require(_may_change_participation(request, project))
    form, decision_form = _participation_form(request, project, request.POST or None)

    def save() -> Any:
        municipality = form.cleaned_data["municipality"]
        status = form.cleaned_data["status"]
        data = decision_form.cleaned_data
        change = {
            "since": form.cleaned_data["since"],
            "reason": form.cleaned_data["reason"],
            "actor": request.user,
        }
        try:
            if status in DECIDED_STATUSES and data["meeting_date"]:
                # the form's fields are the decision's (as in the API)
                new_decision = Decision(municipality=municipality, **data)
                return set_participation_on_decision(
                    project, municipality, status, new_decision=new_decision, **change
                )
            return set_participation(project, municipality, status, decision=None, **change)
        except ValidationError as exc:
            # the decision's refusal goes on its date field; the rest on the form
            if hasattr(exc, "error_dict") and "decision" in exc.error_dict:
                apply_validation_error(
                    decision_form, ValidationError({"meeting_date": exc.error_dict.pop("decision")})
                )
            raise

    return form_page(
        request,
        form,
        save,
        success=_("Deltakelsen er registrert."),
        template="portfolio/participation_form.html",
        context={"decision_form": decision_form, "project": project},
        then=project,
        also=[decision_form],
    )


@public_cache
def municipality_portfolio(request: HttpRequest, code: str) -> HttpResponse:
    """A municipality's projects and the decisions it still has to make."""
    municipality = get_object_or_404(Municipality, code=code)
    context = municipality_context(request.user, municipality, page=request.GET.get("page"))
    context["municipality"] = municipality
    return render(request, "portfolio/municipality.html", context)
