"""Periodic reviews that are due, and what leaving an arena would mean for a member."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samarbeid.arenas.models import Arena, Membership
from samarbeid.governance.models import Decision
from samarbeid.portfolio import lifecycle
from samarbeid.portfolio.models import Participation, Project
from samarbeid.registry.models import Municipality
from samarbeid.registry.services import SuccessorMap
from samarbeid.review.services.costs import yearly_costs


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
