"""Open data: what is published, as plain tables (JSON and CSV) and as Popolo.

Each dataset runs a fixed number of queries whatever the data size. Only published records
are included: published arenas, their memberships, published projects of published arenas,
their participations, decisions that belong to nothing unpublished, and invoice totals per
arena, year and municipality when the finance app has invoices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldError
from django.db.models import Case, DecimalField, F, Q, Sum, When
from django.utils.translation import gettext_lazy as _

from samarbeid.arenas.models import Arena, Membership
from samarbeid.finance.external import external_funding
from samarbeid.finance.models import FIRST_YEAR, LAST_YEAR
from samarbeid.governance.models import Decision

Row = dict[str, Any]


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Any
    description: Any
    columns: list[str]
    rows: Callable[[], list[Row]]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def published_arenas() -> Any:
    return Arena.objects.filter(published=True)


def arenas() -> list[Row]:
    return [
        {
            "id": a.pk,
            "name": a.name,
            "short_name": a.short_name,
            "kind": a.kind,
            "legal_form": a.legal_form,
            "organisation_number": a.organisation_number,
            "status": a.status,
            "host_municipality": a.host_municipality.number if a.host_municipality else None,
            "parent_id": a.parent_id if a.parent and a.parent.published else None,
            "established": _iso(a.established),
            "ended": _iso(a.ended),
            "purpose": a.purpose,
            "is_example_data": a.is_example_data,
        }
        for a in published_arenas().select_related("host_municipality", "parent").order_by("pk")
    ]


def memberships() -> list[Row]:
    return [
        {
            "id": m.pk,
            "arena_id": m.arena_id,
            "arena": m.arena.name,
            "municipality": m.municipality.number,
            "municipality_name": m.municipality.name,
            "joined": _iso(m.joined),
            "left": _iso(m.left),
            "decision_id": m.decision_id,
            "leave_decision_id": m.leave_decision_id,
            "is_example_data": m.is_example_data,
        }
        for m in Membership.objects.filter(arena__published=True)
        .select_related("arena", "municipality")
        .order_by("pk")
    ]


def published_decisions() -> Any:
    return Decision.objects.filter(
        Q(case__isnull=True) | Q(case__published=True),
        Q(arena__isnull=True) | Q(arena__published=True),
    )


def decisions() -> list[Row]:
    return [
        {
            "id": d.pk,
            "body": d.body,
            "body_label": d.body_label,
            "municipality": d.municipality.number if d.municipality else None,
            "arena_id": d.arena_id,
            "case_id": d.case_id,
            "case_number": d.case_number,
            "meeting_date": _iso(d.meeting_date),
            "outcome": d.outcome,
            "text": d.text,
            "minutes_url": d.minutes_url,
            "is_example_data": d.is_example_data,
        }
        for d in published_decisions().select_related("municipality", "arena").order_by("pk")
    ]


def _project_model() -> Any:
    return (
        apps.get_model("portfolio", "Project") if apps.is_installed("samarbeid.portfolio") else None
    )


def projects() -> list[Row]:
    Project = _project_model()
    if Project is None:
        return []
    return [
        {
            "id": p.pk,
            "arena_id": p.arena_id,
            "code": p.code,
            "title": p.title,
            "status": getattr(p, "status", ""),
            "lead_municipality": p.lead_municipality.number if p.lead_municipality else None,
            "budget": str(p.budget) if p.budget is not None else None,
            "start": _iso(p.start),
            "end": _iso(p.end),
            "is_example_data": p.is_example_data,
        }
        for p in Project.objects.filter(published=True, arena__published=True)
        .select_related("lead_municipality")
        .order_by("pk")
    ]


def participations() -> list[Row]:
    if _project_model() is None:
        return []
    Participation = apps.get_model("portfolio", "Participation")
    return [
        {
            "id": p.pk,
            "project_id": p.project_id,
            "project": p.project.title,
            "municipality": p.municipality.number,
            "municipality_name": p.municipality.name,
            "status": p.status,
            "since": _iso(p.since),
            "until": _iso(p.until),
            "decision_id": p.decision_id,
            "is_example_data": p.is_example_data,
        }
        for p in Participation.objects.filter(
            project__published=True, project__arena__published=True
        )
        .select_related("project", "municipality")
        .order_by("pk")
    ]


def _invoice_model() -> Any:
    if not apps.is_installed("samarbeid.finance"):
        return None
    try:
        model = apps.get_model("finance", "Invoice")
    except LookupError:
        return None
    names = {f.name for f in model._meta.get_fields()}
    return model if {"total", "buyer", "issue_date", "run"} <= names else None


def invoice_totals() -> list[Row]:
    """Invoiced amounts per arena, year and municipality (issued invoices and credit notes)."""
    Invoice = _invoice_model()
    if Invoice is None:
        return []
    queryset = Invoice.objects.filter(run__arena__published=True)
    if any(f.name == "issued_at" for f in Invoice._meta.get_fields()):
        queryset = queryset.filter(issued_at__isnull=False)
    # a credit note (whole or partial) counts against what was invoiced
    amount = Case(
        When(kind="credit_note", then=-F("total")),
        default=F("total"),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
    try:
        grouped = (
            # the run's budget year: a 2008 run may be issued in a later year
            queryset.annotate(year=F("run__year"))
            .values("run__arena_id", "run__arena__name", "year", "buyer__number", "buyer__name")
            .annotate(total=Sum(amount))
            .order_by("run__arena_id", "year", "buyer__number")
        )
        return [
            {
                "arena_id": row["run__arena_id"],
                "arena": row["run__arena__name"],
                "year": row["year"],
                "municipality": row["buyer__number"],
                "municipality_name": row["buyer__name"],
                "total": str((row["total"] or Decimal(0)).quantize(Decimal("0.01"))),
            }
            for row in grouped
        ]
    except FieldError:
        return []


def external_funding_rows() -> list[Row]:
    """Grants and other external funding of published arenas' budget lines, as each
    budget counts them (received or granted): what the members did not pay."""
    names = dict(published_arenas().values_list("pk", "name"))
    return [
        {
            "arena_id": e.arena_id,
            "arena": names[e.arena_id],
            "year": e.year,
            "line": e.line,
            "grantor": e.grantor,
            "grantor_kind": e.grantor_kind,
            "amount": str(e.amount),
            "is_example_data": e.is_example_data,
        }
        for e in external_funding(set(names), FIRST_YEAR, LAST_YEAR)
    ]


DATASETS: list[Dataset] = [
    Dataset(
        "arenaer",
        _("Arenaer"),
        _("Publiserte samarbeidsarenaer med type, organisasjonsform og status."),
        [
            "id",
            "name",
            "short_name",
            "kind",
            "legal_form",
            "organisation_number",
            "status",
            "host_municipality",
            "parent_id",
            "established",
            "ended",
            "purpose",
            "is_example_data",
        ],
        arenas,
    ),
    Dataset(
        "medlemskap",
        _("Medlemskap"),
        _("Kommuners medlemskap i arenaene over tid, med vedtakene de bygger på."),
        [
            "id",
            "arena_id",
            "arena",
            "municipality",
            "municipality_name",
            "joined",
            "left",
            "decision_id",
            "leave_decision_id",
            "is_example_data",
        ],
        memberships,
    ),
    Dataset(
        "prosjekter",
        _("Prosjekter"),
        _("Publiserte prosjekter i publiserte arenaer."),
        [
            "id",
            "arena_id",
            "code",
            "title",
            "status",
            "lead_municipality",
            "budget",
            "start",
            "end",
            "is_example_data",
        ],
        projects,
    ),
    Dataset(
        "deltakelse",
        _("Deltakelse i prosjekter"),
        _("Hver kommunes deltakelse i prosjektene, med vedtak."),
        [
            "id",
            "project_id",
            "project",
            "municipality",
            "municipality_name",
            "status",
            "since",
            "until",
            "decision_id",
            "is_example_data",
        ],
        participations,
    ),
    Dataset(
        "vedtak",
        _("Vedtak"),
        _("Vedtak i kommunestyrer, formannskap og arenaenes egne organer."),
        [
            "id",
            "body",
            "body_label",
            "municipality",
            "arena_id",
            "case_id",
            "case_number",
            "meeting_date",
            "outcome",
            "text",
            "minutes_url",
            "is_example_data",
        ],
        decisions,
    ),
    Dataset(
        "fakturert",
        _("Fakturerte beløp"),
        _("Sum fakturert per arena, år og kommune (utstedte fakturaer og kreditnotaer)."),
        ["arena_id", "arena", "year", "municipality", "municipality_name", "total"],
        invoice_totals,
    ),
    Dataset(
        "eksterne-midler",
        _("Eksterne midler"),
        _(
            "Tilskudd og andre eksterne midler til arenaenes budsjettlinjer per år, slik "
            "budsjettet regner dem (mottatt eller innvilget): det kommunene ikke betalte."
        ),
        [
            "arena_id",
            "arena",
            "year",
            "line",
            "grantor",
            "grantor_kind",
            "amount",
            "is_example_data",
        ],
        external_funding_rows,
    ),
]
DATASET_BY_SLUG = {d.slug: d for d in DATASETS}


def popolo() -> dict[str, Any]:
    """Organisations and memberships in the Popolo format: arenas and municipalities are
    organizations; a membership is an organization member of an organization."""
    arena_rows = list(
        published_arenas().select_related("parent", "host_municipality").order_by("pk")
    )
    membership_rows = list(
        Membership.objects.filter(arena__published=True)
        .select_related("municipality")
        .order_by("pk")
    )
    organizations: list[dict[str, Any]] = []
    for arena in arena_rows:
        org: dict[str, Any] = {
            "id": f"arena/{arena.pk}",
            "name": arena.name,
            "other_names": [{"name": arena.short_name, "note": "short name"}],
            "classification": arena.kind,
            "identifiers": (
                [{"scheme": "no-orgnr", "identifier": arena.organisation_number}]
                if arena.organisation_number
                else []
            ),
            "founding_date": _iso(arena.established),
            "dissolution_date": _iso(arena.ended),
        }
        if arena.parent and arena.parent.published:
            org["parent_id"] = f"arena/{arena.parent_id}"
        organizations.append({k: v for k, v in org.items() if v is not None})
    municipalities = {}
    for m in membership_rows:
        municipalities[m.municipality.pk] = m.municipality
    for municipality in sorted(municipalities.values(), key=lambda m: (m.number, m.code)):
        identifiers = [{"scheme": "no-kommunenummer", "identifier": municipality.number}]
        if municipality.organisation_number:
            identifiers.append(
                {"scheme": "no-orgnr", "identifier": municipality.organisation_number}
            )
        org = {
            "id": f"municipality/{municipality.code}",
            "name": municipality.name,
            "classification": "municipality",
            "identifiers": identifiers,
            "founding_date": _iso(municipality.valid_from),
            "dissolution_date": _iso(municipality.valid_to),
        }
        organizations.append({k: v for k, v in org.items() if v is not None})
    memberships_out = []
    for m in membership_rows:
        item = {
            "id": f"membership/{m.pk}",
            "organization_id": f"arena/{m.arena_id}",
            "member": {"@type": "Organization", "id": f"municipality/{m.municipality.code}"},
            "role": "member",
            "start_date": _iso(m.joined),
            "end_date": _iso(m.left),
        }
        memberships_out.append({k: v for k, v in item.items() if v is not None})
    return {"organizations": organizations, "memberships": memberships_out}
