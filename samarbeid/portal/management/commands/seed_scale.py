"""`seed_scale --factor N`: a deterministic synthetic national dataset for benchmarks.

At factor 1: population for 10 years for every current municipality, 400 arenas with
memberships anchored in council decisions, 5,000 projects and 60,000 participations, and
per arena its board with a seat per member, about four meetings a year over the last five
years (minutes approved, with attendance) and two planned, each with 5–8 agenda items;
factor N multiplies arenas, projects and participations (and so the meetings).

This is synthetic benchmark data, not user input: it is written in bulk (`bulk_create`, and
for the bulk of the rows straight to the tables with `executemany`, see `portal.scale.tables`) and
bypasses the services (and so the per-record audit trail) on purpose, because a national
dataset built record by record through `create_record` would take hours; the invoice runs
alone go through the finance service. `-v 2` prints each step's time. Every record is
marked `is_example_data=True`, so pages show "(eksempel)". Never run it against a
production database.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samarbeid.portal.scale.common import ScaleSize
from samarbeid.portal.scale.seeding import seed_scale


class Command(BaseCommand):
    help = (
        "Seed a deterministic synthetic national dataset for benchmarks (factor 1: every "
        "current municipality, 400 arenas, 5,000 projects, 60,000 participations). "
        "Bulk-written without audit entries; marked as example data. Use a fresh database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--factor", type=int, default=1, help="Multiplies arenas etc.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1)")
        parser.add_argument(
            "--no-runs",
            action="store_true",
            help="Budgets only: make no invoice runs (faster)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        factor: int = options["factor"]
        if factor < 1 or factor > 1000:
            raise CommandError("--factor must be between 1 and 1000.")
        summary = seed_scale(
            ScaleSize.for_factor(factor), seed=options["seed"], runs=not options["no_runs"]
        )
        self.stdout.write(
            f"Seeded factor {factor} in {summary.seconds:.1f} s: "
            f"{summary.municipalities} municipalities, {summary.populations} population rows, "
            f"{summary.arenas} arenas, {summary.memberships} memberships, "
            f"{summary.projects} projects, {summary.participations} participations, "
            f"{summary.decisions} decisions, {summary.budgets} budgets with "
            f"{summary.budget_lines} lines, {summary.invoice_runs} invoice runs with "
            f"{summary.invoices} invoices, {summary.bodies} bodies with {summary.members} "
            f"members, {summary.meetings} meetings with {summary.agenda_items} agenda items "
            f"and {summary.attendance} attendance rows."
        )
        if options["verbosity"] >= 2:
            self.stdout.write(
                "Steps: " + ", ".join(f"{name} {sec:.1f} s" for name, sec in summary.steps.items())
            )
