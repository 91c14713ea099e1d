"""Projects and participation: GET /projects, /projects/{id}; writes with WRITE_AUTH.
The governance router (cases, decisions, votes) is mounted here too."""

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.api_auth import WRITE_AUTH, optional_token_user
from samarbeid.accounts.permissions import can_edit_arena
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.core import dates
from samarbeid.core.api_forms import api_create, api_update, bind, record_for, valid
from samarbeid.core.api_schemas import DeleteVersion, Problem, money
from samarbeid.core.paging import Pagination
from samarbeid.governance.api import router as governance_router
from samarbeid.governance.models import Decision
from samarbeid.portfolio.forms import (
    ParticipationDecisionForm,
    ParticipationForm,
    ProjectForm,
    StatusForm,
)
from samarbeid.portfolio.models import Participation, Project
from samarbeid.portfolio.queries import (
    ProjectFilter,
    ProjectPages,
    project_origin,
    taking_part_now,
)
from samarbeid.portfolio.services import (
    DECIDED_STATUSES,
    change_status,
    create_project,
    delete_project,
    set_participation,
    set_participation_on_decision,
    update_project,
)
from samarbeid.registry.services import resolve_number

router = Router(tags=["portfolio"])
router.add_router("/", governance_router)


class ProjectFields(Schema):
    id: int
    arena: int
    code: str
    title: str
    focus_area: str
    status: str
    lead_municipality: str | None
    project_manager: str
    budget: str | None = Field(description="NOK with two decimals")
    start: date | None
    end: date | None
    transferred_to: int | None
    participants_now: int
    is_example_data: bool
    version: int


# The list's items: read straight from the model (a `filtered_projects` row) through the
# resolvers, so the paginator slices the queryset before anything is serialised. (No
# docstring: it would become the schema's description in the OpenAPI document.)
class ProjectOut(ProjectFields):
    @staticmethod
    def resolve_arena(obj: Project) -> int:
        return obj.arena_id

    @staticmethod
    def resolve_focus_area(obj: Project) -> str:
        return obj.focus_area_text

    @staticmethod
    def resolve_lead_municipality(obj: Project) -> str | None:
        return obj.lead_municipality.number if obj.lead_municipality else None

    @staticmethod
    def resolve_budget(obj: Project) -> str | None:
        return money(obj.budget)

    @staticmethod
    def resolve_transferred_to(obj: Project) -> int | None:
        return obj.transferred_to_id

    @staticmethod
    def resolve_participants_now(obj: Project) -> int:
        return _participants_now(obj)


class ParticipantOut(Schema):
    number: str
    name: str
    status: str
    since: date
    until: date | None
    decision: int | None
    decision_label: str | None
    reason: str


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    changed_on: date
    reason: str


class ProjectOriginOut(Schema):
    workshop: int
    workshop_title: str
    workshop_date: date
    question: int
    theme: str


class ProjectDetailOut(ProjectFields):
    description: str
    origin: ProjectOriginOut | None = Field(
        description="The workshop theme the project was made from (if the caller may see "
        "the workshop)"
    )
    participants: list[ParticipantOut] = Field(description="Current status per municipality")
    history: list[ParticipantOut] = Field(description="Every participation record")
    status_changes: list[StatusChangeOut]


class ProjectFilterIn(Schema):
    arena: int | None = None
    status: Project.Status | None = None
    municipality: str | None = Field(
        None, pattern=r"^\d{4}$", description="Has (or had) this municipality as participant"
    )


class ProjectIn(Schema):
    arena: int
    code: str
    title: str
    description: str = ""
    focus_area: str = ""
    lead_municipality: str | None = None
    project_manager: str = ""
    budget: Decimal | None = None
    start: date | None = None
    end: date | None = None
    published: bool = True


class ProjectPatch(Schema):
    version: int
    arena: int | None = Field(None, description="Move the project to another arena")
    code: str | None = None
    lead_municipality: str | None = Field(None, pattern=r"^\d{4}$")
    title: str | None = None
    description: str | None = None
    focus_area: str | None = None
    project_manager: str | None = None
    budget: Decimal | None = None
    start: date | None = None
    end: date | None = None
    published: bool | None = None


class StatusIn(Schema):
    status: Project.Status
    changed_on: date
    reason: str
    decision: int | None = None
    transferred_to: int | None = None
    version: int = Field(ge=1, description="The version read; a newer stored version answers 409")


class ParticipationDecisionIn(Schema):
    """The council decision a change rests on, recorded together with it (as on the page)."""

    body: Literal["council", "executive_committee"]
    case_number: str = Field("", max_length=50)
    meeting_date: date
    outcome: Literal["adopted", "adopted_with_changes"] = "adopted"
    text: str = ""
    minutes_url: str = Field("", max_length=200)


class ParticipationIn(Schema):
    municipality: str = Field(pattern=r"^\d{4}$")
    status: Participation.Status
    since: date
    decision: int | None = Field(None, description="An adopted decision already recorded")
    decision_record: ParticipationDecisionIn | None = Field(
        None, description="Or the decision, recorded with the change (joined/declined/withdrawn)"
    )
    reason: str = ""


def _participants_now(p: Project) -> int:
    """Municipalities taking part now: the list's count, else counted for this project."""
    if hasattr(p, "participant_count"):
        return int(p.participant_count)
    return taking_part_now([p.pk], timezone.localdate()).get(p.pk, 0)


def project_out(p: Project) -> dict[str, Any]:
    return {
        "id": p.pk,
        "arena": p.arena_id,
        "code": p.code,
        "title": p.title,
        "focus_area": p.focus_area_text,
        "status": p.status,
        "lead_municipality": p.lead_municipality.number if p.lead_municipality else None,
        "project_manager": p.project_manager,
        "budget": money(p.budget),
        "start": p.start,
        "end": p.end,
        "transferred_to": p.transferred_to_id,
        "participants_now": _participants_now(p),
        "is_example_data": p.is_example_data,
        "version": p.version,
    }


def participant_out(r: Participation) -> dict[str, Any]:
    return {
        "number": r.municipality.number,
        "name": r.municipality.name,
        "status": r.status,
        "since": r.since,
        "until": r.until,
        "decision": r.decision_id,
        "decision_label": str(r.decision) if r.decision else None,
        "reason": r.reason,
    }


@router.get("/projects", response=list[ProjectOut], summary="List projects")
@paginate(Pagination)
def list_projects(request: HttpRequest, filters: Query[ProjectFilterIn]) -> ProjectPages:
    """Sliceable pages: the paginator counts them and loads only the page asked for."""
    optional_token_user(request)
    return ProjectPages(
        request.user,
        ProjectFilter(
            arena=filters.arena,
            status=filters.status or "",
            municipality=filters.municipality or "",
        ),
    )


def _detail(request: HttpRequest, project_id: int) -> dict[str, Any]:
    project = get_object_or_404(
        Project.objects.visible_to(request.user)
        .select_related("lead_municipality")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related(
                    "municipality", "decision__municipality", "decision__arena"
                ).order_by("municipality__number", "since", "id"),
            ),
            "status_changes",
        )
        .filter(pk=project_id)
    )
    records = list(project.participations.all())
    latest: dict[int, Participation] = {}
    for r in sorted(records, key=lambda r: (r.since, r.pk)):
        latest[r.municipality_id] = r
    data = project_out(project)
    data.update(
        {
            "description": project.description,
            "origin": origin_out(project_origin(project, request.user)),
            "participants": [
                participant_out(r)
                for r in sorted(latest.values(), key=lambda r: r.municipality.number)
            ],
            "history": [participant_out(r) for r in records],
            "status_changes": [
                {
                    "from_status": c.from_status,
                    "to_status": c.to_status,
                    "changed_on": c.changed_on,
                    "reason": c.reason,
                }
                for c in project.status_changes.all()
            ],
        }
    )
    return data


def origin_out(outcome: Any | None) -> dict[str, Any] | None:
    """A project's origin (a workshop's `ThemeOutcome`) for the API."""
    if outcome is None:
        return None
    workshop = outcome.question.workshop
    return {
        "workshop": workshop.pk,
        "workshop_title": workshop.title,
        "workshop_date": workshop.date,
        "question": outcome.question_id,
        "theme": outcome.theme,
    }


@router.get(
    "/projects/{project_id}",
    response={200: ProjectDetailOut, 404: Problem},
    summary="One project with its participants (number, status, since, decision)",
)
def get_project(request: HttpRequest, project_id: int) -> dict[str, Any]:
    optional_token_user(request)
    return _detail(request, project_id)


# What a PATCH may set to null (an open date, no budget, no lead municipality).
_NULLABLE = {"lead_municipality", "budget", "start", "end"}


def _project_values(data: dict[str, Any], day: date | None) -> dict[str, Any]:
    """An API payload as the project form's data: the focus area by the form's name, the
    lead municipality (a number on `day`) by its id (404 when there is none)."""
    values = dict(data)
    dates.check_fields(Project, values)  # before the lead municipality is read on the day
    if "focus_area" in values:
        values["focus_area_text"] = values.pop("focus_area")
    if "lead_municipality" in values:
        number = values["lead_municipality"]
        lead = resolve_number(number, day) if number else None
        if number and lead is None:
            raise Http404("No such municipality.")
        values["lead_municipality"] = lead.pk if lead else None
    return values


def _may_change(user: Any, project: Project) -> bool:
    return can_edit_arena(user, project.arena)


def _visible_project(request: HttpRequest, project_id: int, *, change: bool = False) -> Project:
    """A project the caller may see (404), and change (403) with `change`."""
    return record_for(
        request.user,
        Project.objects.visible_to(request.user).select_related("arena"),
        project_id,
        may_change=_may_change if change else None,
    )


@router.post(
    "/projects",
    response={201: ProjectDetailOut, 403: Problem, 404: Problem, 422: Problem},
    auth=WRITE_AUTH,
    summary="Register a project (starts as an idea)",
)
def post_project(request: HttpRequest, payload: ProjectIn) -> Status[dict[str, Any]]:
    arena = get_object_or_404(Arena.objects.visible_to(request.user), pk=payload.arena)
    values = _project_values(payload.dict(), payload.start) | {"arena": arena.pk}
    form = bind(ProjectForm, values, arenas=Arena.objects.visible_to(request.user))
    return Status(201, _detail(request, api_create(request, form, create_project).pk))


@router.patch(
    "/projects/{project_id}",
    response={200: ProjectDetailOut, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    auth=WRITE_AUTH,
    summary="Change a project's details (with the version read)",
)
def patch_project(request: HttpRequest, project_id: int, payload: ProjectPatch) -> dict[str, Any]:
    project = _visible_project(request, project_id, change=True)
    data = payload.dict(exclude_unset=True)
    if data.get("arena", 0) is None:
        del data["arena"]  # null: the project stays where it is
    if "arena" in data:
        data["arena"] = get_object_or_404(
            Arena.objects.visible_to(request.user), pk=data["arena"]
        ).pk
    for name, value in data.items():
        if value is None and name not in _NULLABLE:
            raise ValidationError({name: _("Feltet kan ikke være tomt.")})
    values = _project_values(data, data.get("start", project.start))
    form = bind(
        ProjectForm, values, instance=project, arenas=Arena.objects.visible_to(request.user)
    )
    api_update(request, form, update_project, version=payload.version)
    return _detail(request, project.pk)


@router.delete(
    "/projects/{project_id}",
    response={204: None, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    auth=WRITE_AUTH,
    summary="Delete a project registered by mistake",
    description=(
        "Only while it is still an idea with no participation and nothing else (a case, a "
        "budget line, a plan) pointing to it; otherwise 422. A project that stops is moved "
        "to `discontinued` with POST /projects/{project_id}/status. Send the `version` you read."
    ),
)
def delete_project_api(
    request: HttpRequest, project_id: int, version: DeleteVersion
) -> Status[None]:
    project = _visible_project(request, project_id)
    delete_project(project, expected_version=version, actor=request.user, channel=Channel.API)
    return Status(204, None)


@router.post(
    "/projects/{project_id}/status",
    response={200: ProjectDetailOut, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    auth=WRITE_AUTH,
    summary="Move a project along its lifecycle",
)
def post_status(request: HttpRequest, project_id: int, payload: StatusIn) -> dict[str, Any]:
    project = _visible_project(request, project_id, change=True)
    decision = get_object_or_404(Decision, pk=payload.decision) if payload.decision else None
    target = (
        get_object_or_404(Arena.objects.visible_to(request.user), pk=payload.transferred_to)
        if payload.transferred_to
        else None
    )
    values = payload.dict(exclude={"decision"}) | {"transferred_to": target.pk if target else None}
    arenas = Arena.objects.visible_to(request.user).exclude(pk=project.arena_id)
    data = valid(bind(StatusForm, values, arenas=arenas)).cleaned_data
    change_status(
        project,
        data["status"],
        changed_on=data["changed_on"],
        reason=data["reason"],
        decision=decision,
        transferred_to=data["transferred_to"],
        expected_version=data["version"],
        actor=request.user,
        channel=Channel.API,
    )
    return _detail(request, project.pk)


@router.post(
    "/projects/{project_id}/participations",
    response={201: ParticipantOut, 403: Problem, 404: Problem, 422: Problem},
    auth=WRITE_AUTH,
    summary="Change a municipality's participation (joined/declined/withdrawn need a decision)",
)
def post_participation(
    request: HttpRequest, project_id: int, payload: ParticipationIn
) -> Status[dict[str, Any]]:
    project = _visible_project(request, project_id)
    dates.check_fields(Participation, payload.dict())  # before the municipality on the day
    municipality = resolve_number(payload.municipality, payload.since)
    if municipality is None:
        raise Http404(_("Kommunen fantes ikke den dagen."))
    decision = (
        get_object_or_404(Decision.objects.select_related("municipality"), pk=payload.decision)
        if payload.decision
        else None
    )
    values = payload.dict(exclude={"decision", "decision_record"})
    data = valid(bind(ParticipationForm, values | {"municipality": municipality.pk})).cleaned_data
    if payload.decision_record is None:
        record = set_participation(
            project,
            data["municipality"],
            data["status"],
            since=data["since"],
            decision=decision,
            reason=data["reason"],
            actor=request.user,
            channel=Channel.API,
        )
        return Status(201, participant_out(record))
    if decision is not None:
        raise ValidationError(
            {"decision_record": _("Oppgi enten et nytt vedtak eller et vedtak som finnes.")}
        )
    if data["status"] not in DECIDED_STATUSES:
        raise ValidationError({"decision_record": _("Statusen hviler ikke på et vedtak.")})
    new = valid(bind(ParticipationDecisionForm, payload.decision_record.dict())).cleaned_data
    record = set_participation_on_decision(
        project,
        data["municipality"],
        data["status"],
        since=data["since"],
        new_decision=Decision(municipality=data["municipality"], **new),
        reason=data["reason"],
        actor=request.user,
        channel=Channel.API,
    )
    return Status(201, participant_out(record))


# --- The project page's lists, each with its read endpoint ---------------------------------


class ParticipationOut(ParticipantOut):
    id: int


class StatusChangeDetailOut(StatusChangeOut):
    id: int
    decision: int | None


@router.get(
    "/projects/{project_id}/participations",
    response={200: list[ParticipationOut], 404: Problem},
    summary="Every participation record of one project, by municipality and date",
)
def list_participations(request: HttpRequest, project_id: int) -> list[dict[str, Any]]:
    optional_token_user(request)
    project = _visible_project(request, project_id)
    records = project.participations.select_related(
        "municipality", "decision__municipality", "decision__arena"
    ).order_by("municipality__number", "since", "id")
    return [participant_out(r) | {"id": r.pk} for r in records]


@router.get(
    "/projects/{project_id}/status-changes",
    response={200: list[StatusChangeDetailOut], 404: Problem},
    summary="One project's lifecycle: every status change, oldest first",
)
def list_status_changes(request: HttpRequest, project_id: int) -> list[dict[str, Any]]:
    optional_token_user(request)
    project = _visible_project(request, project_id)
    return [
        {
            "id": c.pk,
            "from_status": c.from_status,
            "to_status": c.to_status,
            "changed_on": c.changed_on,
            "reason": c.reason,
            "decision": c.decision_id,
        }
        for c in project.status_changes.order_by("changed_on", "id")
    ]
