"""Print the account of a period for an arena: `manage.py period_account 12K 1997 2006`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samarbeid.arenas.models import Arena
from samarbeid.lib.money import format_nok
from samarbeid.strategy.services.account import period_account


class Command(BaseCommand):
    help = "Savings (estimated, realised) against costs per municipality for an arena's years."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("arena", help="The arena's short name, e.g. 12K")
        parser.add_argument("first_year", type=int)
        parser.add_argument("last_year", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        arena = Arena.objects.filter(short_name=options["arena"]).first()
        if arena is None:
            raise CommandError(f"No arena with short name {options['arena']!r}.")
        try:
            account = period_account(arena, options["first_year"], options["last_year"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"{arena.name} {account.period_label}")
        if account.is_empty:
            self.stdout.write("Ingen innsparinger eller kostnader er registrert for perioden.")
            return
        header = ("kommune", "spart estimert", "spart realisert", "kostnader", "netto realisert")
        self.stdout.write("\t".join(header))
        for row in [*account.rows, account.total]:
            name = (
                "Sum"
                if row is account.total
                else (str(row.municipality) if row.municipality else "Samlet (ikke fordelt)")
            )
            values = (row.savings_estimated, row.savings_realised, row.costs, row.net_realised)
            self.stdout.write("\t".join([name, *(format_nok(v) for v in values)]))
        for kept in account.kept_outside:
            self.stdout.write(
                f"Holdt utenfor regnskapet: {kept.project.title}: {kept.get_kind_display()} "
                f"{kept.years_label}, {format_nok(kept.amount)} ({kept.get_basis_display()}). "
                f"Begrunnelse: {kept.kept_outside_reason}"
            )
        if account.external:
            self.stdout.write(
                f"Medlemmenes bidrag: {format_nok(account.contributions)}\t"
                f"Eksterne midler: {format_nok(account.external_total)}"
            )
        for note in account.excluded:
            self.stdout.write(f"Ikke tatt med: {note}")
