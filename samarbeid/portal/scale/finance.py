"""The scale data's budgets with their keys and lines, and its invoice runs (by the service)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Min

from samarbeid.accounts.models import Role, RoleAssignment
from samarbeid.arenas.models import Arena, Membership
from samarbeid.audit.models import Channel
from samarbeid.finance.invoicing import create_runs
from samarbeid.finance.models import AllocationKey, Budget, BudgetLine, Invoice
from samarbeid.portal.scale.common import BATCH, YEARS, ScaleSummary
from samarbeid.portal.scale.tables import Table
from samarbeid.portfolio.models import Participation, Project


def budget_years(today: date) -> range:
    """Ten budget years ending the year after `today`'s; each uses the population of the
    year before, which `seed_populations` has seeded."""
    return range(today.year - YEARS + 2, today.year + 2)


def seed_budgets(
    rng: random.Random, arena_ids: list[int], today: date, summary: ScaleSummary
) -> None:
    """Per arena: a key (50 % equal + 50 % per capita) and, for each budget year, a base
    contribution (when it has members that year) and up to three project lines (projects
    running that year with participants)."""
    first_joined = dict(
        Membership.objects.filter(arena_id__in=arena_ids)
        .values("arena_id")
        .annotate(first=Min("joined"))
        .values_list("arena_id", "first")
    )
    # A project line needs someone taking part that year: from its first joined participant.
    first_participant = dict(
        Participation.objects.filter(
            project__arena_id__in=arena_ids, status=Participation.Status.JOINED
        )
        .values("project_id")
        .annotate(first=Min("since"))
        .values_list("project_id", "first")
    )
    projects: dict[int, list[tuple[int, str, date, date | None]]] = {}
    for pk, arena_id, title, end in (
        Project.objects.filter(arena_id__in=arena_ids, pk__in=first_participant)
        .order_by("pk")
        .values_list("pk", "arena_id", "title", "end")
    ):
        projects.setdefault(arena_id, []).append((pk, title, first_participant[pk], end))
    keys = [
        AllocationKey(
            arena_id=arena_id,
            name="50 % likt + 50 % per innbygger",
            equal=Decimal(50),
            per_capita=Decimal(50),
            is_example_data=True,
        )
        for arena_id in arena_ids
    ]
    AllocationKey.objects.bulk_create(keys, batch_size=BATCH)
    key_by_arena = {key.arena_id: key.pk for key in keys}
    budgets = Table(Budget)
    budget_lines = Table(BudgetLine)
    for arena_id in arena_ids:
        key_id = key_by_arena[arena_id]
        for year in budget_years(today):
            first, last = date(year, 1, 1), date(year, 12, 31)
            lines: list[dict[str, Any]] = []
            joined = first_joined.get(arena_id)
            if joined is not None and joined <= last:
                lines.append(
                    {
                        "kind": BudgetLine.Kind.BASE,
                        "description": "Basisbidrag",
                        "amount": Decimal(rng.randrange(100_000, 2_000_000, 500)),
                        "key_id": key_id,
                    }
                )
            running = [
                (pk, title)
                for pk, title, start, end in projects.get(arena_id, [])
                if start <= last and (end is None or end >= first)
            ]
            for pk, title in running[:3]:
                lines.append(
                    {
                        "kind": BudgetLine.Kind.PROJECT,
                        "project_id": pk,
                        "description": title[:200],
                        "amount": Decimal(rng.randrange(20_000, 800_000, 100)),
                        "key_id": key_id,
                    }
                )
            if not lines:
                continue
            budget_id = budgets.add(
                arena_id=arena_id,
                year=year,
                administration_cost=Decimal(rng.randrange(0, 200_000, 100)),
                is_example_data=True,
            )
            for line in lines:
                budget_lines.add(budget_id=budget_id, **line)
    summary.budgets = budgets.finish()
    summary.budget_lines = budget_lines.finish()


def scale_actor() -> Any:
    """The secretariat user in whose name the scale data's invoice runs are made."""
    user, created = get_user_model().objects.get_or_create(
        username="skala-sekretariat", defaults={"first_name": "Skaladata"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=user, role=Role.SECRETARIAT, arena=None)
    return user


def seed_invoice_runs(arena_ids: list[int], today: date, summary: ScaleSummary) -> None:
    """One national invoice run per budget year except the last, through the service."""
    actor = scale_actor()
    for year in list(budget_years(today))[:-1]:
        arenas = list(Arena.objects.filter(pk__in=arena_ids, budgets__year=year).order_by("pk"))
        if not arenas:
            continue
        made = create_runs(
            arenas,
            year,
            actor=actor,
            channel=Channel.COMMAND,
            issue_date=date(year, 2, 1),
            example=True,
        )
        summary.invoice_runs += len(made)
    summary.invoices = Invoice.objects.filter(run__arena_id__in=arena_ids).count()
