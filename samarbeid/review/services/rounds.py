"""Review rounds: an arena's secretariat reviews its sub-arenas and projects against the
primary task, the reviewing body confirms the recommendations, and they are carried out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_edit_arena, can_link, require
from samarbeid.arenas.models import Arena, Membership
from samarbeid.arenas.services import update_arena
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.dates import shown
from samarbeid.core.services import create_record, update_record
from samarbeid.governance.models import Case, Decision
from samarbeid.governance.services.cases import open_case
from samarbeid.governance.services.decisions import record_decision
from samarbeid.portfolio import lifecycle
from samarbeid.portfolio.models import Participation, Project, ProjectStatusChange
from samarbeid.portfolio.services import change_status
from samarbeid.review.models import (
    ReviewItem,
    ReviewRound,
)
from samarbeid.review.services.activity import (
    Activity,
    Cost,
    ItemRecords,
    Period,
    period_records,
    round_period,
)
from samarbeid.review.services.overlap import overlaps_by_arena


def _check_round_open(review: ReviewRound) -> None:
    if review.decision_id is not None:
        raise ValidationError(
            _("Gjennomgangen er allerede vedtatt; anbefalingene kan ikke endres lenger.")
        )


def create_round(
    review: ReviewRound,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    include_children: bool = True,
    include_projects: bool = True,
) -> ReviewRound:
    """Start a review of the reviewing arena's sub-arenas and projects (those still open).
    The reviewing arena's secretariat may."""
    require(can_edit_arena(actor, review.arena))
    if not review.primary_task.strip():
        raise ValidationError({"primary_task": _("Skriv primæroppgaven det vurderes mot.")})
    if review.opened > timezone.localdate():
        raise ValidationError({"opened": _("En gjennomgang kan ikke startes fram i tid.")})
    with transaction.atomic():
        create_record(review, actor=actor, channel=channel)
        if include_children:
            for child in review.arena.children.filter(
                status__in=[Arena.Status.ACTIVE, Arena.Status.UNDER_REVIEW, Arena.Status.CLOSING]
            ).order_by("name"):
                create_record(
                    ReviewItem(round=review, arena=child, is_example_data=review.is_example_data),
                    actor=actor,
                    channel=channel,
                )
        if include_projects:
            for project in review.arena.projects.filter(status__in=lifecycle.OPEN).order_by("code"):
                create_record(
                    ReviewItem(
                        round=review, project=project, is_example_data=review.is_example_data
                    ),
                    actor=actor,
                    channel=channel,
                )
    return review


def check_item(item: ReviewItem) -> None:
    """The rules of an item's answer and recommendation, as field errors (the page's form and the
    service both apply them)."""
    errors: dict[str, str] = {}
    if item.needs_target and item.target_arena is None:
        errors["target_arena"] = _(
            "Velg arenaen som skal overta: en anbefaling om å overføre eller slå sammen "
            "må ha en mottakende arena."
        )
    elif item.target_arena is not None:
        if not item.needs_target:
            errors["target_arena"] = _(
                "Bare anbefalinger om å overføre eller slå sammen har en mottakende arena."
            )
        elif item.arena_id is not None and item.target_arena.pk == item.arena_id:
            errors["target_arena"] = _("En arena kan ikke overføres til seg selv.")
        elif item.project is not None and item.target_arena.pk == item.project.arena_id:
            errors["target_arena"] = _("Prosjektet ligger allerede under den arenaen.")
        elif not item.target_arena.is_open:
            errors["target_arena"] = _("Den mottakende arenaen er ikke lenger aktiv.")
    if item.recommendation == ReviewItem.Recommendation.MERGE and item.project_id is not None:
        errors["recommendation"] = _(
            "Et prosjekt slås ikke sammen; velg «overføre» til en annen arena."
        )
    if (
        item.recommendation in (ReviewItem.Recommendation.CLOSE, ReviewItem.Recommendation.TRANSFER)
        or item.recommendation == ReviewItem.Recommendation.MERGE
    ) and not item.reason.strip():
        errors["reason"] = _("Skriv begrunnelsen for anbefalingen.")
    if (item.arena_id is None) == (item.project_id is None):
        errors["arena"] = _("Et punkt gjelder enten en arena eller et prosjekt.")
    if item.cost_override is not None and item.cost_override < 0:
        # the database's constraint says it too, but names no field
        errors["cost_override"] = _("Kostnaden kan ikke være negativ.")
    if errors:
        raise ValidationError(errors)


def _item_links(item: ReviewItem) -> list[Arena | None]:
    """The arenas an item links to: the arena or the project's arena it is about, and the
    arena it would be transferred to; all must be within the actor's rights."""
    links: list[Arena | None] = []
    if item.arena is not None:
        links.append(item.arena)
    if item.project is not None:
        links.append(item.project.arena)
    if item.target_arena is not None:
        links.append(item.target_arena)
    return links


def add_item(item: ReviewItem, *, actor: Actor, channel: str = Channel.PAGE) -> ReviewItem:
    require(can_edit_arena(actor, item.round.arena))
    require(can_link(actor, *_item_links(item)))
    _check_round_open(item.round)
    duplicate = ReviewItem.objects.filter(round=item.round).filter(
        Q(arena=item.arena) if item.arena_id else Q(project=item.project)
    )
    if duplicate.exists():
        raise ValidationError(_("Dette er allerede med i gjennomgangen."))
    check_item(item)
    return create_record(item, actor=actor, channel=channel)


# what is written about an item (the page's and the API's form, and all `update_item` changes)
ITEM_ANSWER = (
    "serves_primary_task",
    "recommendation",
    "target_arena",
    "reason",
    "activity_note",
    "cost_override",
)


def update_item(
    item: ReviewItem,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> ReviewItem:
    """Record the answer and the recommendation for one item. A transfer or merge needs a
    target arena; closing or moving needs a reason."""
    require(can_edit_arena(actor, item.round.arena))
    if changes.get("target_arena") is not None and changes["target_arena"] != item.target_arena:
        require(can_link(actor, changes["target_arena"]))
    _check_round_open(item.round)
    update_record(
        item,
        {k: v for k, v in changes.items() if k in ITEM_ANSWER},
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=check_item,
    )
    return item


def confirm_round(
    review: ReviewRound,
    *,
    meeting_date: date,
    case_number: str = "",
    text: str = "",
    body_name: str = "",
    actor: Actor,
    channel: str = Channel.PAGE,
    expected_version: int | None = None,
) -> Decision:
    """The reviewing body's decision confirming the recommendations: a case with its
    adopted decision. Every item must have a recommendation."""
    require(can_edit_arena(actor, review.arena))
    _check_round_open(review)
    missing = [str(item) for item in review.items.all() if not item.recommendation]
    if missing:
        raise ValidationError(
            _("Disse punktene mangler anbefaling: %(items)s.") % {"items": ", ".join(missing)}
        )
    if not review.items.exists():
        raise ValidationError(_("Gjennomgangen har ingen punkter å vedta."))
    if meeting_date > timezone.localdate():
        raise ValidationError({"meeting_date": _("Møtedatoen kan ikke være fram i tid.")})
    if meeting_date < review.opened:
        raise ValidationError(
            {
                "meeting_date": _("Vedtaket kan ikke være før gjennomgangen startet (%(d)s).")
                % {"d": shown(review.opened)}
            }
        )
    with transaction.atomic():
        case = review.case or open_case(
            Case(
                title=_("Gjennomgang: %(t)s") % {"t": review.title},
                description=_("Primæroppgave: %(p)s") % {"p": review.primary_task},
                arena=review.arena,
                opened=review.opened,
                subject=Case.Subject.ARENA,
                published=review.published,
                is_example_data=review.is_example_data,
            ),
            actor=actor,
            channel=channel,
        )
        decision = record_decision(
            Decision(
                case=case,
                body=Decision.Body.ARENA_BOARD,
                arena=review.arena,
                body_name=body_name,
                case_number=case_number,
                meeting_date=meeting_date,
                outcome=Decision.Outcome.ADOPTED,
                text=text
                or _("Anbefalingene i gjennomgangen «%(t)s» vedtas.") % {"t": review.title},
                is_example_data=review.is_example_data,
            ),
            actor=actor,
            channel=channel,
        )
        update_record(
            review,
            {"case": case, "decision": decision},
            expected_version=expected_version,
            actor=actor,
            channel=channel,
        )
    return decision


def apply_round(
    review: ReviewRound,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    on: date | None = None,
    expected_version: int | None = None,
) -> ReviewRound:
    """Carry out the adopted recommendations: close or transfer the arenas and projects,
    with the reason and the decision's date. Their history stays (audit trail, project
    status history). Applying twice is refused."""
    require(can_edit_arena(actor, review.arena))
    if review.applied_on is not None:
        raise ValidationError(
            _("Vedtaket er allerede gjennomført %(d)s; det kan ikke gjennomføres to ganger.")
            % {"d": shown(review.applied_on)}
        )
    decision = review.decision
    if decision is None or not decision.is_positive or decision.meeting_date is None:
        raise ValidationError(_("Gjennomgangen må være vedtatt før den kan gjennomføres."))
    day = on or decision.meeting_date
    if day < decision.meeting_date:
        raise ValidationError({"applied_on": _("Kan ikke gjennomføres før vedtaksdatoen.")})
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=review.pk)
        if locked.applied_on is not None:
            raise ValidationError(_("Vedtaket er allerede gjennomført."))
        items = review.items.select_related("arena", "project__arena", "target_arena")
        for item in items:
            outcome = _apply_item(item, decision, day, actor=actor, channel=channel)
            update_record(
                item, {"outcome": outcome}, expected_version=None, actor=actor, channel=channel
            )
        update_record(
            review,
            {"applied_on": day},
            expected_version=expected_version,
            actor=actor,
            channel=channel,
        )
    return review


def _reason_text(item: ReviewItem, decision: Decision) -> str:
    return _("%(rec)s etter gjennomgangen «%(round)s» (%(decision)s). %(reason)s") % {
        "rec": str(item.get_recommendation_display()).capitalize(),
        "round": item.round.title,
        "decision": decision,
        "reason": item.reason,
    }


def _apply_item(
    item: ReviewItem, decision: Decision, day: date, *, actor: Actor, channel: str
) -> str:

    rec = item.recommendation
    reason = _reason_text(item, decision).strip()
    if rec == ReviewItem.Recommendation.CONTINUE:
        return str(_("Videreført"))
    if item.arena is not None:
        arena = item.arena
        if arena.status in (Arena.Status.CLOSED, Arena.Status.TRANSFERRED):
            return str(_("Uendret: arenaen var allerede %(s)s") % {"s": arena.get_status_display()})
        changes: dict[str, Any] = {"ended": day, "status_reason": reason}
        if rec == ReviewItem.Recommendation.CLOSE:
            changes["status"] = Arena.Status.CLOSED
        else:
            changes["status"] = Arena.Status.TRANSFERRED
            changes["transferred_to"] = item.target_arena
        update_arena(arena, changes, expected_version=None, actor=actor, channel=channel)
        if rec == ReviewItem.Recommendation.CLOSE:
            return str(_("Avviklet %(d)s") % {"d": shown(day)})
        return str(_("Overført til %(a)s %(d)s") % {"a": item.target_arena, "d": shown(day)})
    project = item.project
    assert project is not None
    if lifecycle.is_final(project.status):
        return str(
            _("Uendret: prosjektet var allerede %(s)s") % {"s": project.get_status_display()}
        )
    if rec == ReviewItem.Recommendation.CLOSE:
        change_status(
            project,
            Project.Status.DISCONTINUED,
            changed_on=day,
            reason=reason,
            decision=decision,
            actor=actor,
            channel=channel,
        )
        return str(_("Avbrutt %(d)s") % {"d": shown(day)})
    change_status(
        project,
        Project.Status.TRANSFERRED,
        changed_on=day,
        reason=reason,
        decision=decision,
        transferred_to=item.target_arena,
        actor=actor,
        channel=channel,
    )
    return str(_("Overført til %(a)s %(d)s") % {"a": item.target_arena, "d": shown(day)})


# --- what each item looks like ---


@dataclass
class ItemFacts:
    item: ReviewItem
    initiator: str
    participants: list[str]
    participants_inherited_from: Arena | None
    last_activity: date | None
    costs: dict[int, Decimal] | None
    budget: Decimal | None
    overlaps: list[tuple[Arena, float, str]] = field(default_factory=list)
    records: ItemRecords = field(default_factory=ItemRecords)
    period: Period | None = None

    @property
    def activity(self) -> Activity:
        """What the records show in the round's period."""
        return self.records.activity

    @property
    def cost(self) -> Cost | None:
        """What the records show the item cost in the round's period (None: nothing)."""
        return self.records.cost

    @property
    def cost_in_period(self) -> Decimal | None:
        """The cost a clerk reads: what they typed, else what the records show."""
        if self.item.cost_override is not None:
            return self.item.cost_override
        return self.cost.total if self.cost is not None else None


def _initiator(arena: Arena) -> str:
    if arena.initiator == Arena.Initiator.MUNICIPALITY and arena.initiator_municipality:
        text = str(arena.initiator_municipality)
    else:
        text = str(arena.get_initiator_display()) if arena.initiator else ""
    if arena.initiator_other:
        text = f"{text} ({arena.initiator_other})" if text else arena.initiator_other
    return text or str(_("ukjent"))


def _last_decisions(by: str, where: Q) -> dict[Any, date]:
    """The date of the last decision with an outcome, by `by` (an arena's or a project's id),
    among the decisions `where` selects."""
    return dict(
        Decision.objects.filter(where, meeting_date__isnull=False)
        .exclude(outcome="")
        .order_by()
        .values_list(by)
        .annotate(last=Max("meeting_date"))
    )


def _yearly(records: ItemRecords) -> dict[int, Decimal] | None:
    return dict(sorted(records.cost.by_year.items())) if records.cost else None


def round_facts(review: ReviewRound, user: object = None) -> list[ItemFacts]:
    """The computed columns of a review: initiator, participants, last meeting or decision,
    activity and cost over the round's period (review.services.activity), overlaps with
    other active arenas. Participants are as of the day the round was opened (a round
    "ajour pr 01.01.04" lists the members of 2004, not today's), or today for a round opened
    ahead. A fixed number of queries, whatever the number of items."""
    today = min(review.opened, timezone.localdate())
    items = list(
        review.items.select_related(
            "arena__initiator_municipality",
            "arena__parent",
            "project__arena__initiator_municipality",
            "project__lead_municipality",
            "target_arena",
        ).order_by("id")
    )
    arena_ids = {i.arena_id for i in items if i.arena_id} | {
        i.project.arena.parent_id for i in items if i.project and i.project.arena.parent_id
    }
    arena_ids |= {i.arena.parent_id for i in items if i.arena and i.arena.parent_id}
    arena_ids |= {i.project.arena_id for i in items if i.project}
    members: dict[int, list[str]] = {}
    for m in (
        Membership.objects.active_on(today)
        .filter(arena_id__in=arena_ids)
        .select_related("municipality")
        .order_by("municipality__number")
    ):
        members.setdefault(m.arena_id, []).append(m.municipality.name)
    project_ids = [i.project_id for i in items if i.project_id]
    joined: dict[int, list[str]] = {}
    for p in (
        Participation.objects.filter(
            Q(until__isnull=True) | Q(until__gte=today),
            project_id__in=project_ids,
            status=Participation.Status.JOINED,
            since__lte=today,
        )
        .select_related("municipality")
        .order_by("municipality__number")
    ):
        joined.setdefault(p.project_id, []).append(p.municipality.name)
    arena_activity = _last_decisions(
        "arena_id", Q(arena_id__in=arena_ids) | Q(case__arena_id__in=arena_ids)
    )
    case_activity = _last_decisions("case__arena_id", Q(case__arena_id__in=arena_ids))
    project_activity = _last_decisions("case__project_id", Q(case__project_id__in=project_ids))
    for project_id, last in (
        ProjectStatusChange.objects.filter(project_id__in=project_ids)
        .order_by()
        .values_list("project_id")
        .annotate(last=Max("changed_on"))
    ):
        current = project_activity.get(project_id)
        project_activity[project_id] = max(last, current) if current else last
    overlaps = overlaps_by_arena(min_score=0.2)
    period = round_period(review)
    records = period_records(items, period)
    facts: list[ItemFacts] = []
    for item in items:
        if item.arena is not None:
            arena = item.arena
            own = members.get(arena.pk, [])
            inherited = None
            if not own and arena.parent_id:
                own = members.get(arena.parent_id, [])
                inherited = arena.parent if own else None
            candidates = [arena_activity.get(arena.pk), case_activity.get(arena.pk)]
            last = max((d for d in candidates if d), default=None)
            facts.append(
                ItemFacts(
                    item=item,
                    initiator=_initiator(arena),
                    participants=own,
                    participants_inherited_from=inherited,
                    last_activity=last,
                    costs=_yearly(records[item.pk]),
                    budget=None,
                    overlaps=overlaps.get(arena.pk, [])[:3],
                    records=records[item.pk],
                    period=period,
                )
            )
        else:
            project = item.project
            assert project is not None
            lead = project.lead_municipality
            facts.append(
                ItemFacts(
                    item=item,
                    initiator=str(lead) if lead else _initiator(project.arena),
                    participants=joined.get(project.pk, []),
                    participants_inherited_from=None,
                    last_activity=project_activity.get(project.pk),
                    costs=_yearly(records[item.pk]),
                    budget=project.budget,
                    overlaps=[],
                    records=records[item.pk],
                    period=period,
                )
            )
    return facts
