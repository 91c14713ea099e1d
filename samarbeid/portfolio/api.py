"""Projects and participation: GET /projects, /projects/{id}; writes with WRITE_AUTH.
The governance router (cases, decisions, votes) is mounted here too."""

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.api_auth import optional_token_user
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.core import dates
from samarbeid.core.api_endpoints import deleted, not_null, writes
from samarbeid.core.api_forms import api_create, api_update, bind, valid
from samarbeid.core.api_schemas import (
    DeleteVersion,
    MoneyOut,
    MunicipalityNumber,
    Problem,
    ref,
)
from samarbeid.core.paging import Pagination
from samarbeid.core.public_cache import public_cache
from samarbeid.governance.api import router as governance_router
from samarbeid.governance.api.decisions import DecisionRecordIn
from samarbeid.governance.models import Decision
from samarbeid.portfolio.access import find_project
from samarbeid.portfolio.forms import (
    ParticipationDecisionForm,
    ParticipationForm,
    ProjectForm,
    StatusForm,
)
from samarbeid.portfolio.models import Participation, Project, ProjectStatusChange
from samarbeid.portfolio.queries import (
    ProjectFilter,
    ProjectPages,
    holders_on,
    project_origin,
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
from samarbeid.registry.services import resolve_number, unknown_number

router = Router(tags=["portfolio"])
router.add_router("/", governance_router)


class ProjectFields(Schema):
    id: int
    arena: int = ref("arena")
    code: str
    title: str
    focus_area: str = Field(alias="focus_area_text")
    status: str
    lead_municipality: MunicipalityNumber | None
    project_manager: str
    budget: MoneyOut | None = Field(description="NOK with two decimals")
    start: date | None
    end: date | None
    transferred_to: int | None = ref("transferred_to")
    participants_now: int
    published: bool = Field(description="Seen by everyone; unpublished only by the internal")
    is_example_data: bool
    version: int

    @staticmethod
    def resolve_participants_now(obj: Project) -> int:
        return _participants_now(obj)


# The list's items: read straight from the model (a `filtered_projects` row), so the
# paginator slices the queryset before anything is serialised. (No docstring: it would
# become the schema's description in the OpenAPI document.)
class ProjectOut(ProjectFields):
    pass


class ParticipantOut(Schema):
    number: MunicipalityNumber = Field(alias="municipality")
    name: str = Field(alias="municipality.name")
    status: str
    since: date
    until: date | None
    decision: int | None = ref("decision")
    decision_label: str | None
    reason: str

    @staticmethod
    def resolve_decision_label(obj: Participation) -> str | None:
        return str(obj.decision) if obj.decision else None


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    changed_on: date
    reason: str


# A project's origin: a workshop's `ThemeOutcome`, read through its question's workshop.
class ProjectOriginOut(Schema):
    workshop: int = Field(alias="question.workshop.pk")
    workshop_title: str = Field(alias="question.workshop.title")
    workshop_date: date = Field(alias="question.workshop.date")
    question: int = ref("question")
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

    # `_detail` loads the project with its records and the origin the caller may see.
    @staticmethod
    def resolve_origin(obj: Project) -> Any:
        return getattr(obj, "origin_seen", None)

    @staticmethod
    def resolve_participants(obj: Project) -> list[Participation]:
        latest: dict[int, Participation] = {}
        for r in sorted(obj.participations.all(), key=lambda r: (r.since, r.pk)):
            latest[r.municipality_id] = r
        return sorted(latest.values(), key=lambda r: r.municipality.number)

    @staticmethod
    def resolve_history(obj: Project) -> list[Participation]:
        return list(obj.participations.all())

    @staticmethod
    def resolve_status_changes(obj: Project) -> list[Any]:
        return list(obj.status_changes.all())


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


class ParticipationDecisionIn(DecisionRecordIn):
    """The council decision a change rests on, recorded together with it (as on the page)."""

    body: Literal["council", "executive_committee"]


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
    """Municipalities taking part now: the list's count, else counted from the project's
    prefetched participations (`holders_on`: a merged municipality for its successor)."""
    if hasattr(p, "participant_count"):
        return int(p.participant_count)
    day = timezone.localdate()
    if p.end is not None and p.end < day:
        return 0
    running = [
        (p.pk, r.municipality_id, r.municipality.valid_to)
        for r in p.participations.all()
        if r.runs_on(day)
    ]
    return len(holders_on(running, day).get(p.pk, ()))


@router.get("/projects", response=list[ProjectOut], summary="List projects")
@decorate_view(public_cache)
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


def _detail(request: HttpRequest, project_id: int) -> Project:
    """One project as ProjectDetailOut reads it: its records prefetched, and the workshop
    theme it came from if the caller may see the workshop."""
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
    project.origin_seen = project_origin(project, request.user)  # type: ignore[attr-defined]
    return project


@router.get(
    "/projects/{project_id}",
    response={200: ProjectDetailOut, 404: Problem},
    summary="One project with its participants (number, status, since, decision)",
)
def get_project(request: HttpRequest, project_id: int) -> Project:
    optional_token_user(request)
    return _detail(request, project_id)


# What a PATCH may set to null (an open date, no budget, no lead municipality).
_NULLABLE = {"lead_municipality", "budget", "start", "end"}


def _project_values(data: dict[str, Any], day: date | None) -> dict[str, Any]:
    """An API payload as the project form's data: the focus area by the form's name, the
    lead municipality (a number on `day`) by its id (422 on the field when there is none)."""
    values = dict(data)
    dates.check_fields(Project, values)  # before the lead municipality is read on the day
    if "focus_area" in values:
        values["focus_area_text"] = values.pop("focus_area")
    if "lead_municipality" in values:
        # the number's holder that day, else its holder at another time, of which the
        # service says that it did not exist then (as the page's form does)
        number = values["lead_municipality"]
        lead = (resolve_number(number, day) or resolve_number(number)) if number else None
        if number and lead is None:
            raise ValidationError({"lead_municipality": unknown_number(number, None)})
        values["lead_municipality"] = lead.pk if lead else None
    return values


@router.post(
    "/projects",
    **writes(201, ProjectDetailOut),
    summary="Register a project (starts as an idea)",
)
def post_project(request: HttpRequest, payload: ProjectIn) -> Status[Project]:
    arena = get_object_or_404(Arena.objects.visible_to(request.user), pk=payload.arena)
    values = _project_values(payload.dict(), payload.start) | {"arena": arena.pk}
    form = bind(ProjectForm, values, arenas=Arena.objects.visible_to(request.user))
    return Status(201, _detail(request, api_create(request, form, create_project).pk))


@router.patch(
    "/projects/{project_id}",
    **writes(200, ProjectDetailOut),
    summary="Change a project's details (with the version read)",
)
def patch_project(request: HttpRequest, project_id: int, payload: ProjectPatch) -> Project:
    project = find_project(request, project_id, change=True)
    data = payload.dict(exclude_unset=True)
    if data.get("arena", 0) is None:
        del data["arena"]  # null: the project stays where it is
    if "arena" in data:
        data["arena"] = get_object_or_404(
            Arena.objects.visible_to(request.user), pk=data["arena"]
        ).pk
    not_null(data, data.keys() - _NULLABLE)
    values = _project_values(data, data.get("start", project.start))
    form = bind(
        ProjectForm, values, instance=project, arenas=Arena.objects.visible_to(request.user)
    )
    api_update(request, form, update_project, version=payload.version)
    return _detail(request, project.pk)


@router.delete(
    "/projects/{project_id}",
    **writes(204, None),
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
    return deleted(request, find_project(request, project_id), delete_project, version)


@router.post(
    "/projects/{project_id}/status",
    **writes(200, ProjectDetailOut),
    summary="Move a project along its lifecycle",
)
def post_status(request: HttpRequest, project_id: int, payload: StatusIn) -> Project:
    project = find_project(request, project_id, change=True)
    decision = get_object_or_404(Decision, pk=payload.decision) if payload.decision else None
    target = (
        get_object_or_404(Arena.objects.visible_to(request.user), pk=payload.transferred_to)
        if payload.transferred_to
        else None
    )
    values = payload.dict(exclude={"decision"}) | {"transferred_to": target.pk if target else None}
    arenas = Arena.objects.visible_to(request.user).exclude(pk=project.arena_id)
    data = valid(bind(StatusForm, values, current=project.status, arenas=arenas)).cleaned_data
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
    **writes(201, ParticipantOut),
    summary="Change a municipality's participation (joined/declined/withdrawn need a decision)",
)
def post_participation(
    request: HttpRequest, project_id: int, payload: ParticipationIn
) -> Status[Participation]:
    project = find_project(request, project_id)
    dates.check_fields(Participation, payload.dict())  # before the municipality on the day
    # A number in use at another time is that municipality: the service says it did not
    # exist that day, in the page's words; a number never used is an error on the field
    # (the page offers no such municipality), not 404, which reads as «no such project».
    number = payload.municipality
    municipality = resolve_number(number, payload.since) or resolve_number(number)
    if municipality is None:
        raise ValidationError({"municipality": unknown_number(number, None)})
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
        return Status(201, record)
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
    return Status(201, record)


# --- The project page's lists, each with its read endpoint ---------------------------------


class ParticipationOut(ParticipantOut):
    id: int


class StatusChangeDetailOut(StatusChangeOut):
    id: int
    decision: int | None = ref("decision")


@router.get(
    "/projects/{project_id}/participations",
    response={200: list[ParticipationOut], 404: Problem},
    summary="Every participation record of one project, by municipality and date",
)
def list_participations(request: HttpRequest, project_id: int) -> QuerySet[Participation]:
    optional_token_user(request)
    project = find_project(request, project_id)
    return project.participations.select_related(
        "municipality", "decision__municipality", "decision__arena"
    ).order_by("municipality__number", "since", "id")


@router.get(
    "/projects/{project_id}/status-changes",
    response={200: list[StatusChangeDetailOut], 404: Problem},
    summary="One project's lifecycle: every status change, oldest first",
)
def list_status_changes(request: HttpRequest, project_id: int) -> QuerySet[ProjectStatusChange]:
    optional_token_user(request)
    project = find_project(request, project_id)
    return project.status_changes.order_by("changed_on", "id")
