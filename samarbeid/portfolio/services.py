"""Projects, their lifecycle and each municipality's voluntary participation."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import (
    can_edit_arena,
    can_link,
    is_coordinator_for,
    require,
)
from samarbeid.arenas.models import Arena, Membership
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.dates import shown
from samarbeid.core.services import create_record, delete_record, update_record, writable
from samarbeid.governance.models import Decision
from samarbeid.governance.services.decisions import can_anchor_in, record_decision
from samarbeid.portfolio import lifecycle
from samarbeid.portfolio.models import Participation, Project, ProjectStatusChange
from samarbeid.registry.models import Municipality
from samarbeid.registry.services import SuccessorMap, absent_on

DECIDED_STATUSES = (
    Participation.Status.JOINED,
    Participation.Status.DECLINED,
    Participation.Status.WITHDRAWN,
)


def _actor_user(actor: Actor) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _check_project(project: Project) -> None:
    errors: dict[str, str] = {}
    if project.start and project.end and project.end < project.start:
        errors["end"] = _("Sluttdato kan ikke være før startdato.")
    lead = project.lead_municipality
    if lead is not None and project.start and not lead.is_valid_on(project.start):
        errors["lead_municipality"] = absent_on(lead, project.start)
    if project.status == Project.Status.TRANSFERRED and project.transferred_to is None:
        errors["transferred_to"] = _("Velg arenaen prosjektet er overført til.")
    if project.transferred_to_id is not None and project.transferred_to_id == project.arena_id:
        errors["transferred_to"] = _("Et prosjekt kan ikke overføres til sin egen arena.")
    if project.status != Project.Status.TRANSFERRED and project.transferred_to_id is not None:
        errors["transferred_to"] = _("Bare overførte prosjekter har en mottakende arena.")
    if errors:
        raise ValidationError(errors)


def _write_project(
    project: Project,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str,
) -> None:
    """Every change of a stored project, its details' or its status': written with the
    project's own checks (`_check_project`), as its registration is."""
    update_record(
        project,
        changes,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_project,
    )


def create_project(
    project: Project,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    changed_on: date | None = None,
    reason: str = "",
) -> Project:
    """Register a project under its arena (the arena's secretariat may) and record its
    initial status as the first entry of the lifecycle history."""
    require(can_edit_arena(actor, project.arena))
    _check_project(project)
    with transaction.atomic():
        create_record(project, actor=actor, channel=channel)
        create_record(
            ProjectStatusChange(
                project=project,
                from_status="",
                to_status=project.status,
                changed_on=changed_on or project.start or timezone.localdate(),
                reason=reason or _("Registrert"),
                actor=_actor_user(actor),
            ),
            actor=actor,
            channel=channel,
        )
    return project


def update_project(
    project: Project,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Project:
    """Edit a project's details. The status changes only through `change_status`. Moving
    it to another arena needs the right to edit both."""
    require(can_edit_arena(actor, project.arena))
    if "arena" in changes and changes["arena"] != project.arena:
        require(changes["arena"] is not None and can_edit_arena(actor, changes["arena"]))
    if "status" in changes and changes["status"] != project.status:
        raise ValidationError({"status": _("Status endres med statusskjemaet.")})
    moved_to: Arena | None = changes.get("arena")
    if (
        moved_to is not None
        and moved_to != project.arena
        and moved_to.ended is not None
        and moved_to.ended < timezone.localdate()
        and project.status in lifecycle.OPEN
    ):
        # as a transfer to it is refused after its end: an open project has no arena there
        raise ValidationError(
            {
                "arena": _("%(a)s ble avsluttet %(d)s; et åpent prosjekt kan ikke flyttes dit.")
                % {"a": moved_to.name, "d": shown(moved_to.ended)}
            }
        )
    changes = writable(changes, ("status", "transferred_to"))
    _write_project(
        project, changes, expected_version=expected_version, actor=actor, channel=channel
    )
    return project


def _only_own_records_go(project: Project) -> bool:
    """Whether deleting the project would remove or change nothing but the project and its
    own status history (no participation, case, budget or plan link anywhere)."""
    collector = Collector(using=router.db_for_write(Project))
    try:
        collector.collect([project])
    except (ProtectedError, RestrictedError):
        return False
    own = (Project, ProjectStatusChange)
    if any(model not in own and objs for model, objs in collector.data.items()):
        return False
    if any(qs.model not in own and qs.exists() for qs in collector.fast_deletes):
        return False
    return not any(
        (objs.exists() if hasattr(objs, "exists") else bool(objs))
        for updates in collector.field_updates.values()
        for objs in updates
    )


def delete_project(
    project: Project, *, expected_version: int | None, actor: Actor, channel: str = Channel.PAGE
) -> None:
    """Delete a project registered by mistake: only while it is still an idea, with no
    participation and nothing in other parts of the system pointing to it."""
    require(can_edit_arena(actor, project.arena))
    if project.status != Project.Status.IDEA:
        raise ValidationError(
            {"status": _("Bare et prosjekt som fortsatt er en idé, kan slettes.")}
        )
    if project.participations.exists():
        raise ValidationError(
            {"participations": _("Et prosjekt med registrert deltakelse kan ikke slettes.")}
        )
    if not _only_own_records_go(project):
        raise ValidationError(
            {"project": _("Prosjektet er knyttet til andre registreringer og kan ikke slettes.")}
        )
    with transaction.atomic():
        for change in project.status_changes.all():
            delete_record(change, actor=actor, channel=channel)
        delete_record(project, actor=actor, channel=channel, expected_version=expected_version)


def move_refusal(old: str, new: str) -> str:
    """Why a project in status `old` may not move to `new`, naming the statuses the
    lifecycle allows from `old` (the status form's words, and `change_status`'s)."""
    if new not in lifecycle.STATUSES:
        return _("Ukjent status.")
    allowed = ", ".join(str(Project.Status(s).label) for s in lifecycle.next_statuses(old))
    return _(
        "Et prosjekt med status «%(old)s» kan ikke få status «%(new)s». Tillatt: %(allowed)s."
    ) % {
        "old": Project.Status(old).label,
        "new": Project.Status(new).label,
        "allowed": allowed or _("ingen (status er endelig)"),
    }


def change_status(
    project: Project,
    new_status: str,
    *,
    changed_on: date,
    reason: str,
    actor: Actor,
    channel: str = Channel.PAGE,
    decision: Decision | None = None,
    transferred_to: Arena | None = None,
    expected_version: int | None = None,
) -> Project:
    """Move a project along its lifecycle (see `lifecycle`), keeping the change with date,
    who and why. Illegal jumps, a transfer without a target and a missing reason are
    refused with ValidationError; nothing is saved. The arena it is transferred to and the
    decision it rests on must be within the actor's rights too."""
    require(can_edit_arena(actor, project.arena))
    if transferred_to is not None:
        require(can_link(actor, transferred_to))
    if decision is not None:
        require(can_anchor_in(actor, decision, project.arena))
    old = project.status
    if not lifecycle.can_transition(old, new_status):
        raise ValidationError({"status": move_refusal(old, new_status)})
    if new_status == Project.Status.TRANSFERRED and transferred_to is None:
        raise ValidationError({"transferred_to": _("Velg arenaen prosjektet overføres til.")})
    if new_status != Project.Status.TRANSFERRED and transferred_to is not None:
        raise ValidationError(
            {"transferred_to": _("Bare ved overføring skal en mottakende arena oppgis.")}
        )
    if transferred_to is not None and transferred_to.ended and changed_on > transferred_to.ended:
        raise ValidationError(
            {
                "transferred_to": _("%(a)s ble avsluttet %(d)s; velg en arena som fantes da.")
                % {"a": transferred_to.name, "d": shown(transferred_to.ended)}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv hvorfor statusen endres.")})
    last = project.status_changes.order_by("-changed_on", "-id").first()
    if last is not None and changed_on < last.changed_on:
        raise ValidationError(
            {
                "changed_on": _("Datoen kan ikke være før forrige statusendring (%(d)s).")
                % {"d": shown(last.changed_on)}
            }
        )
    if decision is not None and not decision.is_positive:
        raise ValidationError(
            {"decision": _("Vedtaket statusendringen bygger på må være vedtatt.")}
        )
    with transaction.atomic():
        changes: dict[str, Any] = {"status": new_status}
        if transferred_to is not None:
            changes["transferred_to"] = transferred_to
        _write_project(
            project, changes, expected_version=expected_version, actor=actor, channel=channel
        )
        create_record(
            ProjectStatusChange(
                project=project,
                from_status=old,
                to_status=new_status,
                changed_on=changed_on,
                reason=reason,
                actor=_actor_user(actor),
                decision=decision,
            ),
            actor=actor,
            channel=channel,
        )
    return project


def can_change_participation(actor: Actor, project: Project, municipality: Municipality) -> bool:
    """The arena's secretariat, or the coordinator of that municipality."""
    return can_edit_arena(actor, project.arena) or is_coordinator_for(actor, municipality)


def require_change_participation(
    actor: Actor, project: Project, municipality: Municipality
) -> None:
    """Refuse recording `municipality`'s participation in `project` (403) with who may: the
    municipality's own coordinator or the arena's secretariat (the page and the API)."""
    if not can_change_participation(actor, project, municipality):
        raise PermissionDenied(
            _(
                "Bare koordinatoren for %(municipality)s, eller sekretariatet for %(arena)s "
                "eller et sekretariat for alle arenaer, kan endre kommunens deltakelse i "
                "prosjektet."
            )
            % {"municipality": municipality, "arena": project.arena.short_name}
        )


def _member_arena(arena: Arena) -> Arena:
    """The arena whose members may join: the arena itself, or for a sub-arena without
    members of its own (a professional group), the nearest parent that has members."""
    current: Arena | None = arena
    for _step in range(10):
        if current is None:
            break
        if current.memberships.exists():
            return current
        current = current.parent
    return arena


def has_members_on_record(arena: Arena) -> bool:
    """Whether `arena`, or the parent whose members it shares, has memberships on record (an
    arena without any has no members to hold others to)."""
    return _member_arena(arena).memberships.exists()


def is_member_on(arena: Arena, municipality: Municipality, day: date) -> bool:
    return (
        Membership.objects.active_on(day)
        .filter(arena=_member_arena(arena), municipality=municipality)
        .exists()
    )


def set_participation(
    project: Project,
    municipality: Municipality,
    status: str,
    *,
    since: date,
    decision: Decision | None,
    reason: str = "",
    actor: Actor,
    channel: str = Channel.PAGE,
    arena_board: bool = False,
) -> Participation:
    """Record a municipality's participation status from `since`. The previous open record
    ends the day before, so the history stays. Joined/declined/withdrawn rest on an adopted
    decision of the municipality's own council or executive committee (with `arena_board`,
    also on one of the project's arena's own board: a meeting's minutes); only a member of
    the project's arena on `since` can join."""
    require_change_participation(actor, project, municipality)
    if decision is not None:
        require(can_anchor_in(actor, decision, project.arena))
    board = (
        arena_board
        and decision is not None
        and decision.body == Decision.Body.ARENA_BOARD
        and decision.arena_id == project.arena_id
    )
    errors: dict[str, str] = {}
    if status not in Participation.Status.values:
        raise ValidationError({"status": _("Ukjent deltakelsesstatus.")})
    if status in DECIDED_STATUSES:
        if decision is None:
            errors["decision"] = _(
                "Endring til «%(s)s» må bygge på et vedtak i kommunens eget kommunestyre "
                "eller formannskap."
            ) % {"s": Participation.Status(status).label}
        elif not board and decision.body not in (
            Decision.Body.COUNCIL,
            Decision.Body.EXECUTIVE_COMMITTEE,
        ):
            errors["decision"] = _(
                "Vedtaket må være fattet i kommunens kommunestyre eller formannskap."
            )
        elif not board and decision.municipality_id != municipality.pk:
            errors["decision"] = _("Vedtaket må være fattet av %(m)s selv.") % {"m": municipality}
        elif not decision.is_positive:
            errors["decision"] = _(
                "Vedtaket må være vedtatt (ikke avvist, utsatt eller ubehandlet)."
            )
        elif decision.meeting_date and decision.meeting_date > since:
            errors["decision"] = _("Vedtaket (%(d)s) er datert etter at endringen gjelder fra.") % {
                "d": shown(decision.meeting_date)
            }
    if project.end is not None and since > project.end:
        errors["since"] = _(
            "Prosjektet sluttet %(d)s; en endring kan ikke gjelde fra etter det."
        ) % {"d": shown(project.end)}
    if not municipality.is_valid_on(since):
        errors["municipality"] = absent_on(municipality, since)
    elif status == Participation.Status.JOINED and not is_member_on(
        project.arena, municipality, since
    ):
        errors["municipality"] = _(
            "%(m)s er ikke medlem av %(a)s %(d)s og kan ikke delta i prosjektene der."
        ) % {"m": municipality, "a": _member_arena(project.arena), "d": shown(since)}
    previous = (
        Participation.objects.filter(project=project, municipality=municipality)
        .order_by("-since", "-id")
        .first()
    )
    if previous is not None:
        if since <= previous.since:
            errors["since"] = _("Ny status må gjelde fra etter %(d)s (forrige endring).") % {
                "d": shown(previous.since)
            }
        elif previous.status == status and previous.until is None:
            errors["status"] = _("%(m)s har allerede status «%(s)s».") % {
                "m": municipality,
                "s": previous.get_status_display(),
            }
    if status == Participation.Status.WITHDRAWN and (
        previous is None or previous.status != Participation.Status.JOINED
    ):
        errors.setdefault("status", _("Bare en kommune som deltar kan trekke seg."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if previous is not None and previous.until is None:
            update_record(
                previous,
                {"until": since - timedelta(days=1)},
                expected_version=None,
                actor=actor,
                channel=channel,
            )
        return create_record(
            Participation(
                project=project,
                municipality=municipality,
                status=status,
                since=since,
                decision=decision,
                reason=reason,
                is_example_data=project.is_example_data,
            ),
            actor=actor,
            channel=channel,
        )


def set_participation_on_decision(
    project: Project,
    municipality: Municipality,
    status: str,
    *,
    since: date,
    new_decision: Decision,
    reason: str = "",
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Participation:
    """Record the council decision a participation change rests on (`new_decision`, about
    the project's arena) and the change on it, together or not at all: the participation
    page's decision fields and the API's `decision_record`. Who may not record the
    municipality's participation is refused before its decision is recorded."""
    require_change_participation(actor, project, municipality)
    with transaction.atomic():
        decision = record_decision(
            new_decision, actor=actor, concerning=project.arena, channel=channel
        )
        return set_participation(
            project,
            municipality,
            status,
            since=since,
            decision=decision,
            reason=reason,
            actor=actor,
            channel=channel,
        )


def current_participations(project: Project) -> list[Participation]:
    """The latest record per municipality (open or not), ordered by municipality number."""
    latest: dict[int, Participation] = {}
    for p in project.participations.select_related(
        "municipality", "decision__municipality"
    ).order_by("since", "id"):
        latest[p.municipality_id] = p
    return sorted(latest.values(), key=lambda p: (p.municipality.number, p.since))


def participants_in_year(
    project: Project, year: int, successors: SuccessorMap | None = None
) -> list[Municipality]:
    """Municipalities that took part (status joined) at any time in `year`. A participant
    that merged is followed to its successor from the merger date: both appear for the
    merger year, and the successor alone afterwards. The stored history is unchanged."""
    successors = successors or SuccessorMap()
    first, last = date(year, 1, 1), date(year, 12, 31)
    ids: list[int] = []
    records = Participation.objects.filter(project=project).joined_during(year)
    for p in records.select_related("municipality"):
        start = max(p.since, first)
        end = min(p.until or last, last)
        m = p.municipality
        if m.valid_to is None or m.valid_to >= start:
            ids.append(m.pk)
        for successor_id in successors.successor_ids_on(m.pk, end):
            ids.append(successor_id)
    unique = list(dict.fromkeys(ids))
    found = Municipality.objects.in_bulk(unique)
    return sorted((found[i] for i in unique), key=lambda m: (m.number, m.valid_from or date.min))
