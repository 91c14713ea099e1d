"""The scale dataset written in one transaction, domain by domain (what `seed_scale` runs)."""

from __future__ import annotations

import random
import time
from datetime import date

from django.core.management.base import CommandError
from django.db import connection, transaction

from samarbeid.arenas.models import Arena
from samarbeid.core.stamps import bulk_write
from samarbeid.portal.scale.arenas import seed_arenas, seed_populations, seed_projects
from samarbeid.portal.scale.common import REFERENCE_DAY, ScaleSize, ScaleSummary
from samarbeid.portal.scale.finance import seed_budgets, seed_invoice_runs
from samarbeid.portal.scale.meetings import seed_meetings
from samarbeid.registry.models import Municipality
from samarbeid.registry.services import import_municipalities

SHORT_NAME_PREFIX = "SKALA-"
SQLITE_CACHE_KIB = 512 * 1024


class AlreadySeeded(CommandError):
    """The database already holds scale data with this prefix."""


def seed_scale(
    size: ScaleSize,
    *,
    seed: int = 1,
    today: date | None = None,
    prefix: str = SHORT_NAME_PREFIX,
    runs: bool = True,
) -> ScaleSummary:
    """Write the dataset. Deterministic: the same size and seed give the same records.
    `prefix` starts every arena's short name (tests add a second batch with another one).
    `runs`: also make invoice runs for the budget years before the last one (through the
    finance service, which writes its own audit entries); the last year is left without
    runs, so that a national invoice run can be timed on it."""
    if size.arenas < 1 or size.projects < 0 or size.participations < 0:
        raise ValueError("sizes must be positive")
    if Arena.objects.filter(short_name__startswith=prefix).exists():
        raise AlreadySeeded(
            "This database already holds scale data; seed a fresh database instead."
        )
    started = time.perf_counter()
    if not Municipality.objects.exists():
        import_municipalities()
    rng = random.Random(seed)
    today = today or REFERENCE_DAY
    summary = ScaleSummary()
    # Bulk writes send no signals: the stamps are raised for them once (and before the
    # invoice runs read the splits).
    if connection.vendor == "sqlite":
        # SQLite's own page cache is 2 MB by default: at factor 16 (0.6 GB) every insert into
        # an index would go to the file for its pages. This connection only, for the seeding.
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    with transaction.atomic():
        with bulk_write():
            municipalities = list(Municipality.objects.current().order_by("number"))
            summary.municipalities = len(municipalities)
            with summary.step("populations"):
                summary.populations = seed_populations(rng, municipalities, today)
            with summary.step("arenas"):
                windows = seed_arenas(rng, size, municipalities, today, summary, prefix)
            with summary.step("projects"):
                seed_projects(rng, size, windows, today, summary)
            if runs:
                arena_ids = [arena.pk for arena, _window in windows]
                with summary.step("budgets"):
                    seed_budgets(rng, arena_ids, today, summary)
                with summary.step("invoice runs"):
                    seed_invoice_runs(arena_ids, today, summary)
            # after the budgets, whose draws it leaves as they were (the same seed gives the
            # same projects and budgets with or without the meetings)
            with summary.step("meetings"):
                seed_meetings(rng, windows, today, summary)
            stamps_raised = time.perf_counter()
        summary.steps["stamps"] = time.perf_counter() - stamps_raised
    summary.seconds = time.perf_counter() - started
    return summary
