"""Review rounds, overlap, cooperation proposals, the legal-form advisor, model comparison and
exit analysis. Every change goes through a typed function with `actor` and `channel`."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samarbeid.accounts.permissions import can_edit_arena, can_link, require
from samarbeid.arenas.models import Arena, Membership
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record, update_record
from samarbeid.governance.models import Case, Decision
from samarbeid.lib import comparison as cmp
from samarbeid.lib import legal_forms
from samarbeid.lib.overlap import (
    ArenaProfile,
    MemberRelation,
    OverlapKind,
    OverlapPair,
    load_per_municipality,
    overlap_pairs,
)
from samarbeid.portfolio import lifecycle
from samarbeid.portfolio.models import Participation, Project
from samarbeid.registry.models import Municipality
from samarbeid.registry.services import SuccessorMap
from samarbeid.review.models import (
    Alternative,
    ComparisonCriterion,
    ComparisonParticipant,
    CooperationProposal,
    Criterion,
    ModelComparison,
    ProposalCriterion,
    ReviewItem,
    ReviewRound,
    Score,
)


def _fmt(day: date) -> str:
    return day.strftime("%d.%m.%Y")


# --- finance, where it exists ---------------------------------------------------------------------


def _arena_costs_function() -> Callable[..., Iterable[Any]] | None:
    """`samarbeid.finance.services.arena_costs` once the finance domain provides it."""
    try:
        module = importlib.import_module("samarbeid.finance.services")
    except ModuleNotFoundError:
        return None
    function = getattr(module, "arena_costs", None)
    return function if callable(function) else None


def yearly_costs(
    arena: Arena,
    first_year: int,
    last_year: int,
    municipality: Municipality | None = None,
    *,
    lineage: Iterable[int] = (),
) -> dict[int, Decimal] | None:
    """Administration plus project costs per year (for one municipality, or all), or None
    when the finance domain has no cost data to offer. `lineage`: the municipality's
    predecessors, whose costs count as its own."""
    function = _arena_costs_function()
    if function is None:
        return None
    wanted = {municipality.pk, *lineage} if municipality is not None else set()
    totals: dict[int, Decimal] = {}
    for row in function(arena, first_year, last_year):
        if municipality is not None and row.municipality_id not in wanted:
            continue
        totals[row.year] = totals.get(row.year, Decimal("0")) + row.administration + row.projects
    return dict(sorted(totals.items())) if totals else None


# --- review rounds ---


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


def _check_item(item: ReviewItem) -> None:
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
    _check_item(item)
    return create_record(item, actor=actor, channel=channel)


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
    allowed = {"serves_primary_task", "recommendation", "target_arena", "reason"}
    update_record(
        item,
        {k: v for k, v in changes.items() if k in allowed},
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_item,
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
    from samarbeid.governance.services.cases import open_case
    from samarbeid.governance.services.decisions import record_decision

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
                % {"d": _fmt(review.opened)}
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
            % {"d": _fmt(review.applied_on)}
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
    from samarbeid.arenas.services import update_arena
    from samarbeid.portfolio.services import change_status

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
            return str(_("Avviklet %(d)s") % {"d": _fmt(day)})
        return str(_("Overført til %(a)s %(d)s") % {"a": item.target_arena, "d": _fmt(day)})
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
        return str(_("Avbrutt %(d)s") % {"d": _fmt(day)})
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
    return str(_("Overført til %(a)s %(d)s") % {"a": item.target_arena, "d": _fmt(day)})


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


def _initiator(arena: Arena) -> str:
    if arena.initiator == Arena.Initiator.MUNICIPALITY and arena.initiator_municipality:
        text = str(arena.initiator_municipality)
    else:
        text = str(arena.get_initiator_display()) if arena.initiator else ""
    if arena.initiator_other:
        text = f"{text} ({arena.initiator_other})" if text else arena.initiator_other
    return text or str(_("ukjent"))


def round_facts(review: ReviewRound, user: object = None) -> list[ItemFacts]:
    """The computed columns of a review: initiator, participants (today), last meeting or
    decision, yearly cost where finance has it, overlaps with other active arenas. A fixed
    number of queries, whatever the number of items."""
    today = timezone.localdate()
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
            project_id__in=project_ids, status=Participation.Status.JOINED, until__isnull=True
        )
        .select_related("municipality")
        .order_by("municipality__number")
    ):
        joined.setdefault(p.project_id, []).append(p.municipality.name)
    arena_activity = dict(
        Decision.objects.filter(meeting_date__isnull=False)
        .exclude(outcome="")
        .filter(Q(arena_id__in=arena_ids) | Q(case__arena_id__in=arena_ids))
        .order_by()
        .values_list("arena_id")
        .annotate(last=Max("meeting_date"))
    )
    case_activity = dict(
        Decision.objects.filter(meeting_date__isnull=False, case__arena_id__in=arena_ids)
        .exclude(outcome="")
        .order_by()
        .values_list("case__arena_id")
        .annotate(last=Max("meeting_date"))
    )
    project_activity = dict(
        Decision.objects.filter(meeting_date__isnull=False, case__project_id__in=project_ids)
        .exclude(outcome="")
        .order_by()
        .values_list("case__project_id")
        .annotate(last=Max("meeting_date"))
    )
    from samarbeid.portfolio.models import ProjectStatusChange

    for project_id, last in (
        ProjectStatusChange.objects.filter(project_id__in=project_ids)
        .order_by()
        .values_list("project_id")
        .annotate(last=Max("changed_on"))
    ):
        current = project_activity.get(project_id)
        project_activity[project_id] = max(last, current) if current else last
    overlaps = overlaps_by_arena(min_score=0.2)
    year = today.year
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
                    costs=yearly_costs(arena, year - 2, year),
                    budget=None,
                    overlaps=overlaps.get(arena.pk, [])[:3],
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
                    costs=None,
                    budget=project.budget,
                    overlaps=[],
                )
            )
    return facts


# --- overlap ---


@dataclass(frozen=True)
class OverlapScope:
    """Which arenas and memberships are compared: those active on a day, those active at some
    time in a period (first and last day included), or, with neither, every arena over its
    whole life."""

    day: date | None = None
    first: date | None = None
    last: date | None = None

    @property
    def whole_life(self) -> bool:
        return self.day is None and self.first is None and self.last is None


def check_overlap_scope(day: date | None, first: date | None, last: date | None) -> OverlapScope:
    """Field errors for a scope a user typed: a date or a period, not both; a whole period."""
    errors: dict[str, str] = {}
    if day is not None and (first is not None or last is not None):
        errors["on"] = _("Velg enten en dato eller en periode, ikke begge.")
    if (first is None) != (last is None):
        errors["start" if first is None else "end"] = _("Oppgi både første og siste dag.")
    if first is not None and last is not None and last < first:
        errors["end"] = _("Siste dag kan ikke være før første dag.")
    if errors:
        raise ValidationError(errors)
    return OverlapScope(day=day, first=first, last=last)


def _arenas_in_scope(arenas: Iterable[Arena], scope: OverlapScope) -> list[Arena]:
    """An arena counts on a day when it was established by then and had not ended; one that is
    closed or transferred without an end date is known active on no particular day."""
    if scope.whole_life:
        return list(arenas)
    first = scope.day or scope.first
    last = scope.day or scope.last
    assert first is not None
    assert last is not None
    return [
        a
        for a in arenas
        if (a.established is None or a.established <= last)
        and (a.ended is None or a.ended >= first)
        and (a.ended is not None or a.is_open)
    ]


def _memberships_in_scope(arena_ids: Iterable[int], scope: OverlapScope) -> Any:
    memberships = Membership.objects.filter(arena_id__in=list(arena_ids))
    if scope.day is not None:
        return memberships.active_on(scope.day)
    if scope.first is not None and scope.last is not None:
        return memberships.filter(
            Q(left__isnull=True) | Q(left__gte=scope.first),
            Q(municipality__valid_to__isnull=True) | Q(municipality__valid_to__gte=scope.first),
            joined__lte=scope.last,
        )
    return memberships


def arena_profiles(
    arenas: Iterable[Arena],
    day: date | None = None,
    *,
    scope: OverlapScope | None = None,
    names: dict[str, Municipality] | None = None,
) -> list[ArenaProfile]:
    """Each arena's members (municipality codes) in the scope (`day` alone: active that day),
    with its purpose, mandate and primary task. `names` collects the municipalities by code."""
    scope = scope or OverlapScope(day=day)
    arena_list = list(arenas)
    codes: dict[int, set[str]] = {a.pk: set() for a in arena_list}
    for membership in _memberships_in_scope(codes, scope).select_related("municipality").order_by():
        codes[membership.arena_id].add(membership.municipality.code)
        if names is not None:
            names[membership.municipality.code] = membership.municipality
    return [
        ArenaProfile(
            id=a.pk,
            name=a.name,
            members=frozenset(codes[a.pk]),
            text=" ".join(t for t in (a.name, a.purpose, a.mandate, a.primary_task) if t),
            continued_in=a.transferred_to_id,
        )
        for a in arena_list
    ]


def successor_codes() -> dict[str, list[str]]:
    """Every municipality change as code → the codes that took it over (one query)."""
    from samarbeid.registry.models import MunicipalityChange

    found: dict[str, list[str]] = {}
    for before, after in MunicipalityChange.objects.values_list(
        "predecessor__code", "successor__code"
    ).order_by("predecessor__code", "successor__code"):
        found.setdefault(before, []).append(after)
    return found


@dataclass
class OverlapRow:
    a: Arena
    b: Arena
    pair: OverlapPair
    reason: str
    # Each shared member by name; a group joined by a merger or renumbering reads
    # "Nøtterøy / Tjøme / Færder"
    shared_names: list[str] = field(default_factory=list)
    shared_numbers: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(self.pair.score * 100)

    @property
    def shared_count(self) -> int:
        return len(self.pair.shared_groups) or len(self.pair.shared_members)


def overlap_reason(pair: OverlapPair, a: Arena, b: Arena) -> str:
    """The reason for an overlap, in Norwegian."""
    shared = len(pair.shared_groups) or len(pair.shared_members)
    relation = pair.reason.member_relation
    if relation == MemberRelation.IDENTICAL:
        members = _("samme %(n)d medlemmer") % {"n": shared}
    elif relation == MemberRelation.A_WITHIN_B:
        members = _("alle medlemmene i %(a)s er også med i %(b)s") % {
            "a": a.short_name,
            "b": b.short_name,
        }
    elif relation == MemberRelation.B_WITHIN_A:
        members = _("alle medlemmene i %(b)s er også med i %(a)s") % {
            "a": a.short_name,
            "b": b.short_name,
        }
    elif relation == MemberRelation.PARTIAL:
        members = _("%(n)d felles medlemmer") % {"n": shared}
    else:
        members = _("ingen felles medlemmer")
    jaccard = f"{pair.members_jaccard:.2f}".replace(".", ",")
    parts = [f"{members[:1].upper()}{members[1:]} (Jaccard {jaccard})"]
    if pair.reason.continued:
        earlier, later = (a, b) if pair.reason.continued == "a_in_b" else (b, a)
        parts.append(
            _("%(a)s ble videreført i %(b)s (samme formål)")
            % {"a": earlier.short_name, "b": later.short_name}
        )
    elif pair.reason.kind in (OverlapKind.MEMBERS_AND_TEXT, OverlapKind.TEXT_ONLY):
        terms = ", ".join(pair.shared_terms)
        parts.append(
            _("lignende formål og mandat (likhet %(c)s): %(t)s")
            % {"c": f"{pair.text_cosine:.2f}".replace(".", ","), "t": terms}
        )
    else:
        parts.append(_("ulikt formål"))
    return "; ".join(parts) + "."


def _group_name(group: tuple[str, ...], names: dict[str, Municipality]) -> str:
    places = sorted((names[c] for c in group if c in names), key=lambda m: (m.number, m.code))
    distinct: list[str] = []
    for place in places:
        if place.name not in distinct:
            distinct.append(place.name)
    return " / ".join(distinct)


def overlap_list(
    arenas: Iterable[Arena] | None = None,
    *,
    min_score: float = 0.15,
    day: date | None = None,
    scope: OverlapScope | None = None,
) -> list[OverlapRow]:
    """Pairs of arenas, most overlapping first, with the reason and the shared members by
    name. `scope`: the arenas active on a day or in a period, or every arena over its whole
    life (members through history: a member counts as what it became, see lib.overlap);
    without it, the arenas active on `day` (today)."""
    if scope is None:
        scope = OverlapScope(day=day or timezone.localdate())
    pool = _arenas_in_scope(arenas if arenas is not None else Arena.objects.all(), scope)
    by_id = {a.pk: a for a in pool}
    names: dict[str, Municipality] = {}
    profiles = arena_profiles(pool, scope=scope, names=names)
    pairs = overlap_pairs(
        profiles, min_score=min_score, successors=None if scope.day else successor_codes()
    )
    rows = []
    for p in pairs:
        groups = p.shared_groups or tuple((m,) for m in p.shared_members)
        ordered = sorted(groups, key=lambda g: min(names[c].number for c in g if c in names))
        rows.append(
            OverlapRow(
                by_id[p.a],
                by_id[p.b],
                p,
                overlap_reason(p, by_id[p.a], by_id[p.b]),
                shared_names=[_group_name(g, names) for g in ordered],
                shared_numbers=sorted({names[c].number for c in p.shared_members if c in names}),
            )
        )
    return rows


def overlaps_by_arena(min_score: float = 0.2) -> dict[int, list[tuple[Arena, float, str]]]:
    found: dict[int, list[tuple[Arena, float, str]]] = {}
    for row in overlap_list(Arena.objects.active(), min_score=min_score):
        found.setdefault(row.a.pk, []).append((row.b, row.pair.score, row.reason))
        found.setdefault(row.b.pk, []).append((row.a, row.pair.score, row.reason))
    return found


@dataclass
class LoadRow:
    municipality: Municipality
    arenas: int
    meetings: int


def municipality_load(
    arenas: Iterable[Arena] | None = None, day: date | None = None
) -> list[LoadRow]:
    """How many active arenas each municipality sits in, and how many meetings those arenas'
    own bodies held in the last 12 months (each dated board decision counts its meeting once)."""
    day = day or timezone.localdate()
    pool = list(arenas) if arenas is not None else list(Arena.objects.active())
    ids = [a.pk for a in pool]
    pairs = list(
        Membership.objects.active_on(day)
        .filter(arena_id__in=ids)
        .values_list("municipality_id", "arena_id")
    )
    counts = load_per_municipality((str(m), a) for m, a in pairs)
    since = day - timedelta(days=365)
    meetings_per_arena: dict[int, int] = {}
    for arena_id, _meeting in (
        Decision.objects.filter(
            body=Decision.Body.ARENA_BOARD,
            arena_id__in=ids,
            meeting_date__gt=since,
            meeting_date__lte=day,
        )
        .order_by()
        .values_list("arena_id", "meeting_date")
        .distinct()
    ):
        meetings_per_arena[arena_id] = meetings_per_arena.get(arena_id, 0) + 1
    arenas_of: dict[int, set[int]] = {}
    for m, a in pairs:
        arenas_of.setdefault(m, set()).add(a)
    municipalities = Municipality.objects.in_bulk([int(m) for m in counts])
    return [
        LoadRow(
            municipality=municipalities[int(m)],
            arenas=n,
            meetings=sum(meetings_per_arena.get(a, 0) for a in arenas_of[int(m)]),
        )
        for m, n in counts.items()
    ]


# --- cooperation proposals ---


def _check_proposal(proposal: CooperationProposal) -> None:
    errors: dict[str, str] = {}
    if not proposal.title.strip():
        errors["title"] = _("Skriv en tittel.")
    if not proposal.need.strip():
        errors["need"] = _("Beskriv behovet samarbeidet skal dekke.")
    if proposal.partners_asked_on and proposal.partners_asked_on > timezone.localdate():
        errors["partners_asked_on"] = _("Datoen kan ikke være fram i tid.")
    if proposal.partners_asked_on and not proposal.partners_asked.strip():
        errors["partners_asked"] = _("Skriv hvem som ble spurt.")
    unknown = [n for n in proposal.needs or [] if n not in {x.value for x in legal_forms.Need}]
    if unknown:
        errors["needs"] = _("Ukjent krav: %(n)s.") % {"n": ", ".join(map(str, unknown))}
    if errors:
        raise ValidationError(errors)


def create_proposal(
    proposal: CooperationProposal, *, actor: Actor, channel: str = Channel.PAGE
) -> CooperationProposal:
    """Register a cooperation proposal (the secretariat may; of its arena when one is set)
    with the eight criteria of seed 002, all open. Always starts as a draft."""
    require(can_edit_arena(actor, proposal.arena))
    proposal.status = CooperationProposal.Status.DRAFT
    proposal.ready_on = None
    _check_proposal(proposal)
    with transaction.atomic():
        create_record(proposal, actor=actor, channel=channel)
        for key in Criterion.values:
            create_record(
                ProposalCriterion(proposal=proposal, key=key), actor=actor, channel=channel
            )
    return proposal


def update_proposal(
    proposal: CooperationProposal,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> CooperationProposal:
    require(can_edit_arena(actor, proposal.arena))
    if "arena" in changes:
        require(can_edit_arena(actor, changes["arena"]))
    blocked = {"status", "ready_on", "override_reason"}
    update_record(
        proposal,
        {k: v for k, v in changes.items() if k not in blocked},
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_proposal,
    )
    return proposal


def _check_criterion(criterion: ProposalCriterion) -> None:
    if criterion.state == ProposalCriterion.State.MET and not criterion.evidence.strip():
        raise ValidationError(
            {
                "evidence": _(
                    "Et oppfylt kriterium må ha dokumentasjon (hva viser at det er oppfylt?)."
                )
            }
        )


def update_criterion(
    criterion: ProposalCriterion,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> ProposalCriterion:
    require(can_edit_arena(actor, criterion.proposal.arena))
    if criterion.proposal.status != CooperationProposal.Status.DRAFT:
        raise ValidationError(_("Forslaget er ikke under arbeid; kriteriene er låst."))
    update_record(
        criterion,
        {k: v for k, v in changes.items() if k in ("state", "evidence")},
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_criterion,
    )
    return criterion


def mark_ready(
    proposal: CooperationProposal,
    *,
    override_reason: str = "",
    actor: Actor,
    channel: str = Channel.PAGE,
    expected_version: int | None = None,
) -> CooperationProposal:
    """Mark a proposal ready for decision. Refused while a criterion is open, unless the
    secretariat overrides it with a reason."""
    require(can_edit_arena(actor, proposal.arena))
    if proposal.status != CooperationProposal.Status.DRAFT:
        raise ValidationError(
            {"status": _("Bare forslag under arbeid kan meldes klare til vedtak.")}
        )
    open_criteria = [
        str(c.get_key_display())
        for c in proposal.criteria.all()
        if c.state == ProposalCriterion.State.OPEN
    ]
    if open_criteria and not override_reason.strip():
        raise ValidationError(
            {
                "override_reason": _(
                    "Forslaget har åpne kriterier: %(c)s. Oppfyll eller begynn på dem, eller "
                    "skriv hvorfor sekretariatet likevel sender forslaget til vedtak."
                )
                % {"c": "; ".join(open_criteria)}
            }
        )
    update_record(
        proposal,
        {
            "status": CooperationProposal.Status.READY,
            "ready_on": timezone.localdate(),
            "override_reason": override_reason.strip() if open_criteria else "",
        },
        expected_version=expected_version,
        actor=actor,
        channel=channel,
    )
    return proposal


def reopen_proposal(
    proposal: CooperationProposal,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    expected_version: int | None = None,
) -> CooperationProposal:
    require(can_edit_arena(actor, proposal.arena))
    if proposal.status != CooperationProposal.Status.READY:
        raise ValidationError(
            {"status": _("Bare forslag som er klare til vedtak kan åpnes igjen.")}
        )
    update_record(
        proposal,
        {"status": CooperationProposal.Status.DRAFT, "ready_on": None, "override_reason": ""},
        expected_version=expected_version,
        actor=actor,
        channel=channel,
    )
    return proposal


# --- legal-form advisor ---

NEED_LABELS: dict[str, Any] = {
    legal_forms.Need.PRODUCE_SERVICES: gettext_lazy("Må kunne produsere tjenester"),
    legal_forms.Need.INDIVIDUAL_DECISIONS: gettext_lazy("Må kunne treffe enkeltvedtak"),
    legal_forms.Need.OWN_LEGAL_ENTITY: gettext_lazy("Må være et eget rettssubjekt"),
    legal_forms.Need.NO_NEW_LEGAL_ENTITY: gettext_lazy("Skal ikke være et nytt rettssubjekt"),
    legal_forms.Need.POLITICAL_FORUM_ONLY: gettext_lazy("Bare et politisk samarbeidsforum"),
}


def need_choices() -> list[tuple[str, str]]:
    return [(need.value, str(NEED_LABELS[need])) for need in legal_forms.Need]


def reason_text(reason: tuple[str, ...]) -> str:
    """A reason code of `samarbeid.lib.legal_forms` in Norwegian."""
    code, *params = reason
    texts = {
        "cannot_produce_services": _("kan ikke produsere tjenester (et politisk forum)"),
        "cannot_make_individual_decisions": _(
            "kan ikke treffe enkeltvedtak; bare vertskommunesamarbeid (kommuneloven kap. 20) "
            "gir generell adgang til å delegere dem"
        ),
        "not_own_legal_entity": _("er ikke et eget rettssubjekt; vertskommunen handler"),
        "is_own_legal_entity": _("er alltid et eget rettssubjekt"),
        "political_forum_must_be_ipr": _(
            "et rent politisk samarbeid skal organiseres som interkommunalt politisk råd"
        ),
        "services_produced_by_host": _("tjenestene ytes av vertskommunen"),
        "decision_authority_delegated_to_host": _(
            "myndighet til å treffe vedtak må delegeres til vertskommunen"
        ),
        "agreement_must_make_it_own_legal_entity": _(
            "avtalen må gjøre det til et eget rettssubjekt"
        ),
        "agreement_must_not_make_it_own_legal_entity": _(
            "avtalen må ikke gjøre det til et eget rettssubjekt"
        ),
    }
    if code == "abolished":
        abolished = date.fromisoformat(params[0]) if params and params[0] else None
        wound_up = date.fromisoformat(params[1]) if len(params) > 1 and params[1] else None
        return _("opphevet av Stortinget %(a)s, avviklet innen %(w)s") % {
            "a": _fmt(abolished) if abolished else "?",
            "w": _fmt(wound_up) if wound_up else "?",
        }
    if code == "name_must_contain":
        return _("navnet må inneholde «%(n)s»") % {"n": params[0] if params else ""}
    return texts.get(code, code)


@dataclass
class FormAdvice:
    form: legal_forms.LegalForm
    suitable: bool
    reasons: list[str]
    conditions: list[str]


def advise(needs: Iterable[str]) -> list[FormAdvice]:
    """Which legal forms can serve these needs; those that cannot, with the reason."""
    try:
        assessments = legal_forms.assess_forms(list(needs))
    except ValueError as exc:
        raise ValidationError({"needs": _("Ukjent krav.")}) from exc
    return [
        FormAdvice(
            form=a.form,
            suitable=a.suitable,
            reasons=[reason_text(r) for r in a.reasons],
            conditions=[reason_text(c) for c in a.conditions],
        )
        for a in assessments
    ]


# --- model comparison ---


def create_comparison(
    comparison: ModelComparison, *, actor: Actor, channel: str = Channel.PAGE
) -> ModelComparison:
    require(can_edit_arena(actor, comparison.arena))
    if comparison.proposal is not None:
        require(can_edit_arena(actor, comparison.proposal.arena))
    if comparison.scale_max != cmp.MAX_SCORE:
        raise ValidationError({"scale_max": _("Poengskalaen er 0–10.")})
    return create_record(comparison, actor=actor, channel=channel)


def add_alternative(
    alternative: Alternative, *, actor: Actor, channel: str = Channel.PAGE
) -> Alternative:
    require(can_edit_arena(actor, alternative.comparison.arena))
    if alternative.kind == Alternative.Kind.LEGAL_FORM and not alternative.form:
        raise ValidationError({"form": _("Velg organisasjonsformen alternativet gjelder.")})
    if alternative.form:
        advice = {a.form.code: a for a in _comparison_advice(alternative.comparison)}
        found = advice.get(alternative.form)
        if found is not None and not found.suitable:
            raise ValidationError(
                {
                    "form": _("%(f)s er utelukket for dette forslaget: %(r)s.")
                    % {"f": found.form.name_nb, "r": "; ".join(found.reasons)}
                }
            )
    if alternative.comparison.alternatives.filter(name=alternative.name).exists():
        raise ValidationError({"name": _("Et alternativ med dette navnet finnes allerede.")})
    return create_record(alternative, actor=actor, channel=channel)


def _comparison_advice(comparison: ModelComparison) -> list[FormAdvice]:
    proposal = comparison.proposal
    return advise(proposal.needs if proposal else [])


def update_alternative(
    alternative: Alternative,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Alternative:
    require(can_edit_arena(actor, alternative.comparison.arena))
    update_record(
        alternative,
        {k: v for k, v in changes.items() if k in ("name", "pros", "cons")},
        expected_version=expected_version,
        actor=actor,
        channel=channel,
    )
    return alternative


def _check_weight(weight: Any) -> None:
    if not isinstance(weight, int) or isinstance(weight, bool) or not 0 <= weight <= 100:
        raise ValidationError({"weight": _("Vekten må være et helt tall fra 0 til 100.")})


def add_criterion(
    criterion: ComparisonCriterion, *, actor: Actor, channel: str = Channel.PAGE
) -> ComparisonCriterion:
    require(can_edit_arena(actor, criterion.comparison.arena))
    _check_weight(criterion.weight)
    if criterion.comparison.criteria.filter(name=criterion.name).exists():
        raise ValidationError({"name": _("Et kriterium med dette navnet finnes allerede.")})
    return create_record(criterion, actor=actor, channel=channel)


def set_weight(
    criterion: ComparisonCriterion,
    weight: int,
    *,
    expected_version: int | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> ComparisonCriterion:
    require(can_edit_arena(actor, criterion.comparison.arena))
    _check_weight(weight)
    update_record(
        criterion,
        {"weight": weight},
        expected_version=expected_version,
        actor=actor,
        channel=channel,
    )
    return criterion


def add_participant(
    participant: ComparisonParticipant, *, actor: Actor, channel: str = Channel.PAGE
) -> ComparisonParticipant:
    require(can_edit_arena(actor, participant.comparison.arena))
    if participant.comparison.participants.filter(name=participant.name).exists():
        raise ValidationError({"name": _("En deltaker med dette navnet finnes allerede.")})
    return create_record(participant, actor=actor, channel=channel)


def set_score(
    alternative: Alternative,
    criterion: ComparisonCriterion,
    participant: ComparisonParticipant,
    value: int,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    is_example_data: bool = False,
) -> Score:
    """Record (or change) one participant's score 0–10 for an alternative on a criterion.
    A score from someone not in the comparison, or for an alternative or criterion of
    another comparison, is refused."""
    comparison = alternative.comparison
    require(can_edit_arena(actor, comparison.arena))
    errors: dict[str, str] = {}
    if participant.comparison_id != comparison.pk:
        errors["participant"] = _("%(p)s er ikke deltaker i sammenligningen «%(c)s».") % {
            "p": participant,
            "c": comparison,
        }
    if criterion.comparison_id != comparison.pk:
        errors["criterion"] = _("Kriteriet hører ikke til sammenligningen «%(c)s».") % {
            "c": comparison
        }
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= cmp.MAX_SCORE:
        errors["value"] = _("Poengene må være et helt tall fra 0 til %(m)d.") % {"m": cmp.MAX_SCORE}
    if errors:
        raise ValidationError(errors)
    existing = Score.objects.filter(
        alternative=alternative, criterion=criterion, participant=participant
    ).first()
    if existing is not None:
        update_record(
            existing, {"value": value}, expected_version=None, actor=actor, channel=channel
        )
        return existing
    return create_record(
        Score(
            alternative=alternative,
            criterion=criterion,
            participant=participant,
            value=value,
            is_example_data=is_example_data,
        ),
        actor=actor,
        channel=channel,
    )


def set_scores(
    comparison: ModelComparison,
    participant: ComparisonParticipant,
    cells: Iterable[tuple[str, Alternative, ComparisonCriterion, int]],
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> list[Score]:
    """Record one participant's scores, all or none. Each cell is (key, alternative,
    criterion, value); a refused cell's message is keyed by its `key` (the form field, or
    the position in the API body)."""
    require(can_edit_arena(actor, comparison.arena))
    if participant.comparison_id != comparison.pk:
        raise ValidationError(
            {
                "participant": _("%(p)s er ikke deltaker i sammenligningen «%(c)s».")
                % {"p": participant, "c": comparison}
            }
        )
    saved: list[Score] = []
    with transaction.atomic():
        for key, alternative, criterion, value in cells:
            if alternative.comparison_id != comparison.pk:
                raise ValidationError(
                    {
                        key: _("Alternativet hører ikke til sammenligningen «%(c)s».")
                        % {"c": comparison}
                    }
                )
            try:
                saved.append(
                    set_score(
                        alternative, criterion, participant, value, actor=actor, channel=channel
                    )
                )
            except ValidationError as exc:
                raise ValidationError({key: exc.messages}) from exc
    return saved


@dataclass
class RankRow:
    alternative: Alternative
    total: Fraction
    position: int

    @property
    def total_display(self) -> str:
        # Exact, half up as every figure in the product: 7,225 reads 7,23 (a float read 7,22).
        exact = Decimal(self.total.numerator) / Decimal(self.total.denominator)
        return f"{exact.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}".replace(".", ",")


@dataclass
class SensitivityRow:
    criterion: ComparisonCriterion
    direction: str
    weight: int
    winners: list[Alternative]
    changed: bool


@dataclass
class ComparisonResult:
    ranking: list[RankRow]
    sensitivity: list[SensitivityRow]
    robust: bool | None
    missing: list[str]
    means: dict[tuple[int, int], str]


def comparison_result(comparison: ModelComparison) -> ComparisonResult:
    """The ranking and its sensitivity (each weight ±10 points), or what is missing for it."""
    alternatives = list(comparison.alternatives.all())
    criteria = list(comparison.criteria.all())
    scores = list(Score.objects.filter(alternative__comparison=comparison))
    by_alt = {str(a.pk): a for a in alternatives}
    by_crit = {str(c.pk): c for c in criteria}
    missing: list[str] = []
    if not alternatives:
        missing.append(str(_("Legg til alternativer.")))
    if not criteria:
        missing.append(str(_("Legg til kriterier.")))
    elif not any(c.weight for c in criteria):
        missing.append(str(_("Minst ett kriterium må ha vekt over 0.")))
    scored = {(s.alternative_id, s.criterion_id) for s in scores}
    for alternative in alternatives:
        for criterion in criteria:
            if (alternative.pk, criterion.pk) not in scored:
                missing.append(
                    _("Ingen poeng for «%(a)s» på «%(c)s».")
                    % {"a": alternative.name, "c": criterion.name}
                )
    if missing:
        return ComparisonResult([], [], None, missing, {})
    keys = list(by_alt)
    lib_criteria = [cmp.Criterion(str(c.pk), c.weight) for c in criteria]
    lib_scores = {
        (str(s.participant_id), str(s.alternative_id), str(s.criterion_id)): s.value for s in scores
    }
    means = cmp.mean_scores(keys, lib_criteria, lib_scores)
    ranked = cmp.rank(keys, lib_criteria, lib_scores)
    cases = cmp.sensitivity(keys, lib_criteria, lib_scores, delta=10)
    return ComparisonResult(
        ranking=[RankRow(by_alt[r.alternative], r.total, r.position) for r in ranked],
        sensitivity=[
            SensitivityRow(
                by_crit[c.criterion],
                str(_("+10")) if c.direction == cmp.Direction.UP else str(_("−10")),
                c.weight,
                [by_alt[w] for w in c.new_winners],
                c.changed,
            )
            for c in cases
        ],
        robust=not any(c.changed for c in cases),
        missing=[],
        means={
            (int(a), int(c)): f"{float(v):.1f}".replace(".", ",") for (a, c), v in means.items()
        },
    )


# --- periodic reviews and exit analysis ---


@dataclass
class DueReviews:
    overdue_arenas: list[Arena]
    due_arenas: list[Arena]
    overdue_memberships: list[Membership]
    due_memberships: list[Membership]
    # With a `limit`: how many arenas and memberships are due in all (the lists hold the
    # earliest `limit` of each).
    arena_count: int = 0
    membership_count: int = 0

    @property
    def shown_arenas(self) -> int:
        return len(self.overdue_arenas) + len(self.due_arenas)

    @property
    def shown_memberships(self) -> int:
        return len(self.overdue_memberships) + len(self.due_memberships)


def due_reviews(
    user: object, *, day: date | None = None, horizon_days: int = 90, limit: int | None = None
) -> DueReviews:
    """Arenas and memberships whose next review is passed (overdue) or within the horizon,
    earliest first; with `limit`, at most that many arenas and that many memberships (a
    national service has thousands due)."""
    day = day or timezone.localdate()
    last = day + timedelta(days=horizon_days)
    arena_query = (
        Arena.objects.visible_to(user)
        .active()
        .filter(next_review__isnull=False, next_review__lte=last)
        .order_by("next_review", "name")
    )
    visible_ids = Arena.objects.visible_to(user).active().values("pk")
    membership_query = (
        Membership.objects.active_on(day)
        .filter(arena_id__in=visible_ids, next_review__isnull=False, next_review__lte=last)
        .select_related("arena", "municipality")
        .order_by("next_review", "arena__name")
    )
    arenas = list(arena_query[:limit] if limit else arena_query)
    memberships = list(membership_query[:limit] if limit else membership_query)
    return DueReviews(
        overdue_arenas=[a for a in arenas if a.next_review and a.next_review < day],
        due_arenas=[a for a in arenas if a.next_review and a.next_review >= day],
        overdue_memberships=[m for m in memberships if m.next_review and m.next_review < day],
        due_memberships=[m for m in memberships if m.next_review and m.next_review >= day],
        # counted whenever limited, so the page's number of queries never varies
        arena_count=arena_query.count() if limit else len(arenas),
        membership_count=membership_query.count() if limit else len(memberships),
    )


@dataclass
class ExitAnalysis:
    membership: Membership
    costs: dict[int, Decimal] | None
    projects: list[Project]
    notice: str
    decision_needed: str
    legal_basis: str
    # The membership and those of its predecessors it carries on, earliest first
    # (Larvik 3909 ← 3805 ← 0712 ← 0709 Larvik and 0728 Lardal in 12K)
    chain: list[Membership] = field(default_factory=list)
    # The decisions by which the chain's first members joined (not "Kommuneendring")
    joined_by: list[Decision] = field(default_factory=list)
    # Projects the municipality takes part in only through a predecessor: project id → them
    taken_part_as: dict[int, list[Municipality]] = field(default_factory=dict)

    @property
    def member_since(self) -> date:
        return min(m.joined for m in self.chain) if self.chain else self.membership.joined

    @property
    def project_rows(self) -> list[tuple[Project, list[Municipality]]]:
        """Each project with the predecessors it is taken part in through (empty: itself)."""
        return [(p, self.taken_part_as.get(p.pk, [])) for p in self.projects]


NOTICE_BY_FORM: dict[str, Any] = {
    Arena.LegalForm.IKS: gettext_lazy(
        "Ett års skriftlig varsel; kommunen kan kreve seg utløst og hefter "
        "for sin andel av selskapets forpliktelser (IKS-loven § 30)."
    ),
    Arena.LegalForm.HOST: gettext_lazy(
        "Etter samarbeidsavtalen; uttreden fra vertskommunesamarbeid "
        "(kommuneloven kap. 20) følger avtalens regler om oppsigelse."
    ),
    Arena.LegalForm.KO: gettext_lazy(
        "Etter samarbeidsavtalen for oppgavefellesskapet (kommuneloven kap. 19)."
    ),
    Arena.LegalForm.IPR: gettext_lazy(
        "Etter samarbeidsavtalen for det politiske rådet (kommuneloven kap. 18)."
    ),
    Arena.LegalForm.AS: gettext_lazy("Salg av aksjene etter aksjeloven og vedtektene."),
    Arena.LegalForm.ASSOCIATION: gettext_lazy("Etter foreningens vedtekter."),
    Arena.LegalForm.COOPERATIVE: gettext_lazy("Etter samvirkeforetakets vedtekter (samvirkelova)."),
    Arena.LegalForm.AGREEMENT: gettext_lazy("Etter samarbeidsavtalen."),
}


def membership_chain(membership: Membership, lineage: Iterable[int]) -> list[Membership]:
    """The membership and the memberships of its municipality's predecessors (`lineage`) in
    the same arena that ran until the predecessor ceased, so that the change carried them on,
    earliest first. A predecessor that left by its own decision before it ceased is not part of
    it."""
    earlier = [
        m
        for m in Membership.objects.filter(
            arena_id=membership.arena_id, municipality_id__in=lineage
        )
        .exclude(pk=membership.pk)
        .select_related("municipality", "decision__municipality", "decision__arena")
        if m.municipality.valid_to is not None
        and (m.left is None or m.left >= m.municipality.valid_to)
        and m.joined <= membership.joined
    ]
    return sorted([*earlier, membership], key=lambda m: (m.joined, m.municipality.number))


# How the body that took the joining decision is named as the one that decides to leave
LEAVING_BODY: dict[str, Any] = {
    Decision.Body.COUNCIL: gettext_lazy("kommunestyret"),
    Decision.Body.EXECUTIVE_COMMITTEE: gettext_lazy("formannskapet"),
}


def _decision_needed(
    membership: Membership, joined_by: list[Decision], municipality: Municipality
) -> str:
    bodies = [d.body for d in joined_by if d.body in LEAVING_BODY]
    if bodies and joined_by != [membership.decision]:
        # Joined before a merger or renumbering: the successor's own body decides now.
        body = Decision.Body.COUNCIL if Decision.Body.COUNCIL in bodies else bodies[0]
        return _(
            "Uttreden vedtas av %(body)s i %(m)s, som tok over deltakelsen vedtatt av %(d)s. "
            "Vedtaket registreres som vedtak om uttreden på medlemskapet."
        ) % {
            "body": LEAVING_BODY[body],
            "m": municipality.name,
            "d": "; ".join(str(d) for d in joined_by),
        }
    return _(
        "Uttreden vedtas av samme organ som vedtok deltakelsen: %(d)s. Vedtaket registreres "
        "som vedtak om uttreden på medlemskapet."
    ) % {"d": membership.decision}


def exit_analysis(membership: Membership, *, day: date | None = None) -> ExitAnalysis:
    """What leaving would mean for the municipality: what it pays per year (from finance
    where it exists), the projects it takes part in under the arena and would lose, the
    notice period and the decision needed. A municipality that came through a merger or a
    renumbering carries its predecessors' membership, projects and costs (Larvik in 12K:
    member since 2006, Lardal's projects are Larvik's), and its own council decides."""
    day = day or timezone.localdate()
    arena = membership.arena
    municipality = membership.municipality
    lineage = SuccessorMap().predecessor_ids(municipality.pk)
    chain = membership_chain(membership, lineage)
    first = chain[0].joined
    joined_by: list[Decision] = []
    for m in chain:
        if m.joined == first and m.decision not in joined_by:
            joined_by.append(m.decision)
    arena_ids = [arena.pk, *arena.children.values_list("pk", flat=True)]
    taking_part = list(
        Participation.objects.filter(
            project__arena_id__in=arena_ids,
            project__status__in=lifecycle.OPEN,
            municipality_id__in=[municipality.pk, *lineage],
            status=Participation.Status.JOINED,
            until__isnull=True,
        ).select_related("project", "municipality")
    )
    found: dict[int, Project] = {}
    own: set[int] = set()
    through: dict[int, list[Municipality]] = {}
    for participation in taking_part:
        found[participation.project_id] = participation.project
        if participation.municipality_id == municipality.pk:
            own.add(participation.project_id)
        else:
            through.setdefault(participation.project_id, []).append(participation.municipality)
    projects = sorted(found.values(), key=lambda p: p.code)
    taken_part_as = {
        pk: sorted(names, key=lambda m: m.number) for pk, names in through.items() if pk not in own
    }
    notice = str(
        NOTICE_BY_FORM.get(
            arena.legal_form, _("Ingen registrert oppsigelsesfrist; se samarbeidsavtalen.")
        )
    )
    decision_needed = _decision_needed(membership, joined_by, municipality)
    if arena.legal_form == Arena.LegalForm.IKS:
        decision_needed = _("Kommunestyret i %(m)s må selv vedta uttreden (IKS-loven § 30).") % {
            "m": municipality.name
        }
    return ExitAnalysis(
        membership=membership,
        costs=yearly_costs(arena, day.year - 2, day.year, municipality, lineage=lineage),
        projects=projects,
        notice=notice,
        decision_needed=decision_needed,
        legal_basis=arena.legal_basis or str(arena.get_legal_form_display()),
        chain=chain,
        joined_by=joined_by,
        taken_part_as=taken_part_as,
    )
