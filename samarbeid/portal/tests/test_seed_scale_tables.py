"""seed_scale writes the bulk of its rows straight to the tables (`Table`, executemany)
instead of through bulk_create: the rows are what bulk_create would write, and the data is
the same as before (pinned below by a digest of the old code's data)."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import pytest
from django.db.models import F, Max

from samarbeid.finance.models import BudgetLine
from samarbeid.governance.models import Decision
from samarbeid.portal.scale.common import ScaleSize
from samarbeid.portal.scale.seeding import seed_scale
from samarbeid.portal.scale.tables import Table
from samarbeid.portfolio.models import Participation, Project
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db

SMALL = ScaleSize(arenas=10, projects=12, participations=48)
# A digest of the data the old seed_scale (bulk_create, model instances) wrote for SMALL
# with seed 3; the new writing must give the same rows.
OLD_DIGEST = "4b296ad98d9fade94ce9"


def _values(obj: Any) -> dict[str, Any]:
    return {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key
    }


def test_a_row_written_to_the_table_is_what_bulk_create_writes() -> None:
    larvik = Municipality.objects.current().get(number="3909")
    values = {
        "body": Decision.Body.COUNCIL,
        "municipality_id": larvik.pk,
        "case_number": "24/17",
        "meeting_date": date(2024, 3, 1),
        "outcome": Decision.Outcome.ADOPTED,
        "is_example_data": True,
    }
    (through_orm,) = Decision.objects.bulk_create([Decision(**values)])
    table = Table(Decision)
    pk = table.add(**values)
    assert pk == through_orm.pk + 1  # the next key, as the database would give it
    assert table.finish() == 1
    written = Decision.objects.get(pk=pk)
    assert _values(written) == _values(Decision.objects.get(pk=through_orm.pk))
    assert Decision.objects.aggregate(top=Max("pk"))["top"] == pk


def test_rows_may_name_rows_written_after_them_in_one_transaction() -> None:
    """A participation names its decision, written by another table in batches of its own."""
    seed_scale(SMALL, seed=3, prefix="T-")
    decided = Participation.objects.filter(
        project__arena__short_name__startswith="T-",
        status__in=["joined", "declined", "withdrawn"],
    )
    assert decided.count() > 0
    assert not decided.filter(decision__isnull=True).exists()
    assert not decided.exclude(decision__municipality=F("municipality")).exists()


def digest(prefix: str) -> str:
    """The seeded data by what it says (no keys): projects, participations with their
    decisions, budgets' lines."""
    rows: list[Any] = []
    for project in Project.objects.filter(arena__short_name__startswith=prefix).order_by("pk"):
        rows.append(
            (
                project.code,
                project.title,
                project.arena.short_name,
                project.lead_municipality.code,
                str(project.budget),
                project.start,
                project.end,
                project.status,
                project.published,
                project.is_example_data,
                project.version,
                project.description,
            )
        )
    for p in (
        Participation.objects.filter(project__arena__short_name__startswith=prefix)
        .select_related("project", "municipality", "decision")
        .order_by("pk")
    ):
        decision = p.decision
        rows.append(
            (
                p.project.code,
                p.municipality.code,
                p.status,
                p.since,
                p.until,
                p.version,
                p.is_example_data,
                None
                if decision is None
                else (
                    decision.municipality_id == p.municipality_id,
                    decision.body,
                    decision.case_number,
                    decision.meeting_date,
                    decision.outcome,
                    decision.text,
                    decision.is_example_data,
                    decision.version,
                ),
            )
        )
    for line in (
        BudgetLine.objects.filter(budget__arena__short_name__startswith=prefix)
        .select_related("budget__arena", "project", "key")
        .order_by("pk")
    ):
        rows.append(
            (
                line.budget.arena.short_name,
                line.budget.year,
                str(line.budget.administration_cost),
                line.budget.is_example_data,
                line.kind,
                line.project.code if line.project else None,
                line.description,
                str(line.amount),
                line.actual,
                line.key.name,
                line.version,
            )
        )
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:20]


def test_the_seeded_data_is_what_the_old_writing_gave() -> None:
    seed_scale(SMALL, seed=3, prefix="DIG-")
    assert digest("DIG-") == OLD_DIGEST
