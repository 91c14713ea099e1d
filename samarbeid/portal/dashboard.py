"""What the first page asks of the signed-in clerk: a coordinator's municipality's
treatments, benefits, invoices and reviews; a secretariat's drafts, late steps, ceased
members and runs to make. Each section lists a few rows, each linking to where the clerk
acts, and says how many there are. Computed in a bounded number of queries (two a list)
and cached per municipality or per served arenas until the data changes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Count, Model, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samarbeid.accounts.permissions import coordinator_municipality_ids, secretariat_arena_ids
from samarbeid.arenas.models import Membership
from samarbeid.arenas.served import memberships_due, with_sub_arenas
from samarbeid.core.stamps import cached_aggregate
from samarbeid.finance.queries import (
    budgets_without_run,
    grant_reports_due,
    invoices_to_pay,
    runs_to_issue,
)
from samarbeid.governance.queries import overdue_steps, overdue_treatments, pending_treatments
from samarbeid.registry.models import Municipality
from samarbeid.review.queries import draft_proposals, open_rounds
from samarbeid.strategy.queries import draft_plans, overdue_benefits

SHOWN = 10  # rows a section lists; the count says how many there are in all
REVIEW_HORIZON = timedelta(days=90)  # a membership's review is listed this long before it

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Row:
    text: str
    url: str
    when: date | None = None
    late: bool = False
    detail: str = ""
    amount: Decimal | None = None
    when_label: str = ""  # what the date is, where the section's heading does not say it
    soon: bool = False  # due soon (and not yet late): tagged "snart"


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    total: int
    rows: list[Row]
    empty: str
    late: int = 0  # of `total`, how many are late
    more: str = ""  # the full list, when there is one
    lead: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)


def _first(queryset: QuerySet[M], to_row: Callable[[M], Row]) -> tuple[int, list[Row]]:
    return queryset.count(), [to_row(obj) for obj in queryset[:SHOWN]]


def _listed(
    slug: str,
    title: str,
    queryset: QuerySet[M],
    to_row: Callable[[M], Row],
    *,
    empty: str,
    late: QuerySet[Any] | bool = False,
    more: str = "",
    lead: str = "",
) -> Section:
    """A section of the first rows of `queryset`, counting them all. `late`: those of them
    that are late (a queryset, counted only when there are rows), or True when all are."""
    total, rows = _first(queryset, to_row)
    if late is True:
        late_count = total
    elif isinstance(late, QuerySet) and total:
        late_count = late.count()
    else:
        late_count = 0
    return Section(
        slug=slug,
        title=title,
        total=total,
        late=late_count,
        rows=rows,
        empty=empty,
        more=more,
        lead=lead,
    )


# --- a municipality's coordinator -----------------------------------------------------------


def coordinator_sections(municipality_ids: Iterable[int], today: date) -> list[Section]:
    ids = sorted(municipality_ids)
    municipalities = list(Municipality.objects.filter(pk__in=ids).order_by("number"))
    one = municipalities[0] if len(municipalities) == 1 else None

    def treatment(decision: Any) -> Row:
        planned = decision.planned_date
        return Row(
            text=decision.case.title,
            url=reverse("governance:treatment_edit", args=[decision.pk]),
            when=planned,
            late=planned is not None and planned < today,
            detail=decision.body_label,
        )

    treatments = _listed(
        "treatments",
        _("Saker kommunen skal behandle"),
        pending_treatments(ids, today),
        treatment,
        late=overdue_treatments(ids, today),
        empty=_("Ingen saker venter på behandling i kommunen."),
        more=reverse("governance:case_list"),
    )

    def benefit(item: Any) -> Row:
        return Row(
            text=item.description[:80],
            url=reverse("strategy:benefit_detail", args=[item.pk]),
            when=item.target_date,
            late=True,
            detail=item.project.title,
        )

    benefits = _listed(
        "benefits",
        _("Gevinster som har passert måldatoen"),
        overdue_benefits(ids, today),
        benefit,
        late=True,
        empty=_("Ingen gevinster har passert måldatoen uten å være realisert."),
        more=reverse("strategy:municipality_benefits", args=[one.code]) if one else "",
    )

    def invoice(item: Any) -> Row:
        return Row(
            text=item.number,
            url=item.get_absolute_url(),
            when=item.due_date,
            late=item.due_date < today,
            detail=item.run.arena.name,
            amount=item.total,
        )

    to_pay = invoices_to_pay(ids)
    invoices = _listed(
        "invoices",
        _("Fakturaer til betaling"),
        to_pay,
        invoice,
        late=to_pay.filter(due_date__lt=today),
        empty=_("Ingen utstedte fakturaer venter på betaling."),
        more=reverse("finance:municipality", args=[one.code]) if one else "",
        lead=_("Samarbeid registrerer ikke betaling; sjekk mot regnskapet."),
    )

    def review(membership: Any) -> Row:
        return Row(
            text=membership.arena.name,
            url=membership.arena.get_absolute_url(),
            when=membership.next_review,
            late=membership.next_review < today,
            detail=membership.municipality.name if one is None else "",
        )

    due = memberships_due(ids, today, today + REVIEW_HORIZON)
    reviews = _listed(
        "reviews",
        _("Medlemskap som skal gjennomgås"),
        due,
        review,
        late=due.filter(next_review__lt=today),
        empty=_("Ingen medlemskap skal gjennomgås de neste 90 dagene."),
        more=reverse("registry:municipality_detail", args=[one.code]) if one else "",
    )
    return [treatments, benefits, invoices, reviews]


# --- a secretariat --------------------------------------------------------------------------


def secretariat_sections(roots: set[int] | None, today: date) -> list[Section]:
    arena_ids = None if roots is None else with_sub_arenas(roots)

    drafts: list[Row] = []
    total = 0
    for queryset, to_row in (
        (
            draft_plans(arena_ids),
            lambda p: Row(
                text=str(p), url=p.get_absolute_url(), detail=_("Strategisk plan, utkast")
            ),
        ),
        (
            draft_proposals(arena_ids),
            lambda p: Row(
                text=p.title, url=p.get_absolute_url(), detail=_("Samarbeidsforslag under arbeid")
            ),
        ),
        (
            open_rounds(arena_ids),
            lambda r: Row(
                text=r.title,
                url=r.get_absolute_url(),
                when=r.opened,
                detail=_("Gjennomgang under arbeid"),
            ),
        ),
    ):
        n, rows = _first(queryset, to_row)
        total += n
        drafts.extend(rows)
    draft_section = Section(
        slug="drafts",
        title=_("Utkast"),
        total=total,
        rows=drafts[:SHOWN],
        empty=_("Ingen utkast."),
    )

    def step(item: Any) -> Row:
        return Row(
            text=f"{item.plan.title}: {item.title}",
            url=item.plan.get_absolute_url(),
            when=item.due,
            late=True,
            detail=item.body,
        )

    steps = _listed(
        "steps",
        _("Forsinkede steg i prosessplaner"),
        overdue_steps(arena_ids, today),
        step,
        late=True,
        empty=_("Ingen steg er forsinket."),
        more=reverse("governance:plan_list"),
    )

    ceased = Membership.objects.open_after_cessation()
    if arena_ids is not None:
        ceased = ceased.filter(arena_id__in=arena_ids)
    grouped = (
        ceased.values("arena_id", "arena__name")
        .annotate(n=Count("id"))
        .order_by("arena__name", "arena_id")
    )
    ceased_section = Section(
        slug="ceased",
        title=_("Medlemmer som har opphørt ved kommuneendring"),
        total=grouped.count(),
        rows=[
            Row(
                text=row["arena__name"],
                url=reverse("arenas:successions", args=[row["arena_id"]]),
                detail=ngettext(
                    "%(n)s medlem å føre videre", "%(n)s medlemmer å føre videre", row["n"]
                )
                % {"n": row["n"]},
            )
            for row in grouped[:SHOWN]
        ],
        empty=_("Ingen medlemmer har opphørt."),
    )

    def run(item: Any) -> Row:
        verb = _("godkjennes") if item.status == item.Status.DRAFT else _("utstedes")
        return Row(
            text=f"{item.arena.name} {item.year}",
            url=item.get_absolute_url(),
            when=item.issue_date,
            detail=_("Fakturakjøring, %(status)s: skal %(verb)s")
            % {"status": item.get_status_display(), "verb": verb},
        )

    n_runs, run_rows = _first(runs_to_issue(arena_ids), run)
    n_budgets, budget_rows = _first(
        budgets_without_run(arena_ids, today.year),
        lambda b: Row(
            text=f"{b.arena.name} {b.year}",
            url=reverse("finance:arena", args=[b.arena_id]),
            detail=_("Budsjett uten fakturakjøring"),
        ),
    )
    runs = Section(
        slug="runs",
        title=_("Fakturering som venter"),
        total=n_runs + n_budgets,
        rows=(run_rows + budget_rows)[:SHOWN],
        empty=_("Ingen budsjetter venter på fakturering."),
        more=reverse("finance:index"),
    )
    due = grant_reports_due(arena_ids, today)
    grants = _listed(
        "grant-reports",
        _("Tilskudd som skal rapporteres"),
        due,
        lambda g: Row(
            text=f"{g.grantor_name}: {g.line.description}",
            url=g.get_absolute_url(),
            when=g.report_due,
            when_label=_("rapportfrist"),
            late=g.report_due is not None and g.report_due < today,
            soon=g.report_due is not None and g.report_due >= today,
            detail=f"{g.line.budget.arena.name} {g.line.budget.year}",
        ),
        late=due.filter(report_due__lt=today),
        empty=_("Ingen tilskudd skal rapporteres de neste 30 dagene."),
    )
    return [draft_section, steps, ceased_section, runs, grants]


# --- for the page ---------------------------------------------------------------------------


def sections_for(user: Any, today: date) -> list[Section]:
    """The sections the user's roles ask for (none for the public and readers), cached per
    municipality and per served arenas: the key holds what they depend on."""
    found: list[Section] = []
    roots = secretariat_arena_ids(user)
    if roots is None or roots:
        key = "all" if roots is None else tuple(sorted(roots))
        found += cached_aggregate(
            "home-secretariat", lambda: secretariat_sections(roots, today), key, today
        )
    municipalities = coordinator_municipality_ids(user)
    if municipalities:
        found += cached_aggregate(
            "home-coordinator",
            lambda: coordinator_sections(municipalities, today),
            tuple(sorted(municipalities)),
            today,
        )
    return found
