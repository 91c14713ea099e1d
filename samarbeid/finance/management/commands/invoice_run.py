"""Write an approved or issued invoice run's files, or preview a year's invoicing.

python manage.py invoice_run 12K 2008 --out DIR       # DIR/<number>.xml, .pdf, summary.csv

An invoice's files are named by its buyer's municipality number; a credit note's and a
corrected invoice's by their own invoice number.
python manage.py invoice_run 12K 2008 --preview   # totals to stdout only, writes nothing
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samarbeid.arenas.models import Arena
from samarbeid.finance import outputs
from samarbeid.finance.models import Budget, InvoiceRun
from samarbeid.finance.planning import plan
from samarbeid.lib.money import format_nok
from samarbeid.registry.models import Municipality


class Command(BaseCommand):
    help = (
        "Write EHF (XML) and PDF per invoice and summary.csv for an approved or issued "
        "invoice run of ARENA (id or short name) and YEAR; --preview prints the totals only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("arena", help="Arena id or short name, e.g. 12K")
        parser.add_argument("year", type=int)
        parser.add_argument(
            "--out", type=Path, help="Directory for the files (not needed with --preview)"
        )
        parser.add_argument(
            "--preview", action="store_true", help="Print the totals to stdout; write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ref: str = options["arena"]
        year: int = options["year"]
        arena = Arena.objects.by_reference(ref)
        if arena is None:
            raise CommandError(f"No arena with id or short name {ref!r}.")
        run = InvoiceRun.objects.filter(arena=arena, year=year).select_related("arena").first()
        if options["preview"]:
            self._preview(arena, year, run)
            return
        if options["out"] is None:
            raise CommandError("--out DIR is required (or --preview to print the totals).")
        if run is None:
            raise CommandError(f"{arena.short_name} has no invoice run for {year}.")
        if run.status == InvoiceRun.Status.DRAFT:
            raise CommandError(f"The {arena.short_name} {year} run is a draft; approve it first.")
        problems = []
        invoices = list(run.invoices.select_related("buyer", "credited").prefetch_related("lines"))
        files: list[tuple[str, bytes]] = []
        for invoice in invoices:
            # credit notes and corrected invoices by their number: they must not overwrite
            # the buyer's first invoice
            first = not invoice.is_credit_note and invoice.replaces_id is None
            name = invoice.buyer.number if first else invoice.number
            try:
                xml = outputs.render_ehf(invoice)
            except ValueError as exc:
                problems.append(f"{invoice.number}: {exc}")
                continue
            files.append((f"{name}.xml", xml))
            files.append((f"{name}.pdf", outputs.render_pdf(invoice)))
        if problems:
            raise CommandError("Cannot write EHF: " + "; ".join(problems))
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        for name, content in files:
            (out / name).write_bytes(content)
        (out / "summary.csv").write_text(outputs.summary_csv(run), encoding="utf-8")
        self.stdout.write(
            f"Wrote {len(invoices)} invoices ({len(files)} files) and summary.csv to {out}"
        )

    def _preview(self, arena: Arena, year: int, run: InvoiceRun | None) -> None:
        funding: list[tuple[str, Decimal]] = []
        if run is not None:
            # the host's own share (not invoiced) is listed too, so the total is what the
            # members share; a line's external funding is no municipality's and comes after
            rows = []
            for number, name, amount, kind in outputs.summary_all_rows(run):
                if kind == outputs.EXTERNAL:
                    funding.append((name, amount))
                else:
                    rows.append((number, name, amount))
            # the status by its value: the output is English throughout (a clerk's trial read
            # "run utstedt")
            self.stdout.write(f"{arena.short_name} {year}: run {run.status}")
        else:
            budgets = list(Budget.objects.filter(arena=arena, year=year))
            if not budgets:
                raise CommandError(f"{arena.short_name} has no budget for {year}.")
            try:
                planner, charges = plan(budgets)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from None
            totals: dict[int, Decimal] = {}
            for charge in charges:
                totals[charge.payer_id] = totals.get(charge.payer_id, Decimal(0)) + charge.amount
            if not totals:
                raise CommandError(f"{arena.short_name} has nothing to invoice for {year}.")
            people: dict[int, Municipality] = planner.municipalities
            rows = [
                (people[m].number, people[m].name, amount)
                for m, amount in sorted(totals.items(), key=lambda kv: people[kv[0]].code)
            ]
            self.stdout.write(f"{arena.short_name} {year}: no run yet, planned from the budget")
        for number, name, amount in rows:
            self.stdout.write(f"{number};{name};{amount:.2f}")
        total = sum((r[2] for r in rows), Decimal("0.00"))
        self.stdout.write(f"Total: {format_nok(total)} ({len(rows)} municipalities)")
        if funding:
            for name, amount in funding:
                self.stdout.write(f"External funding;{name};{amount:.2f}")
            external = sum((amount for _name, amount in funding), Decimal("0.00"))
            self.stdout.write(f"External funding: {format_nok(external)}")
            self.stdout.write(f"Gross cost: {format_nok(total + external)}")
        self.stdout.write("Preview only: nothing was written.")
