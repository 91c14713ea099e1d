"""Write an approved or issued invoice run's files, or preview a year's invoicing.

python manage.py invoice_run 12K 2008 --out DIR       # DIR/<number>.xml, .pdf, summary.csv

An invoice's files are named by its buyer's municipality number; a credit note's and a
corrected invoice's by their own invoice number.
python manage.py invoice_run 12K 2008 --preview   # totals to stdout only, writes nothing
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samarbeid.arenas.models import Arena
from samarbeid.finance import outputs
from samarbeid.finance.invoice_fields import line_text
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
        """The rows the run's summary.csv has (or would have: planned from the budget when
        there is no run yet), in English: one line per municipality with its kind, the
        host's own share marked as such (not invoiced), the total and how it is split, and
        each line's external funding with the line's gross cost and what is shared of it."""
        if run is not None:
            rows = outputs.summary_lines(run)
            # the status by its value: the output is English throughout (a clerk's trial read
            # "run utstedt")
            self.stdout.write(f"{arena.short_name} {year}: run {run.status}")
        else:
            rows = self._planned(arena, year)
            self.stdout.write(f"{arena.short_name} {year}: no run yet, planned from the budget")
        shared = [r for r in rows if r[3] != outputs.EXTERNAL]
        funding = [r for r in rows if r[3] == outputs.EXTERNAL]
        for number, name, amount, kind, _gross in shared:
            self.stdout.write(f"{number};{name};{amount:.2f};{KINDS[kind]}")
        # what was split: the invoiced rows are after credit notes, the credited rows add
        # them back and the corrected ones take the corrected invoices out
        total = sum((r[2] for r in shared), Decimal("0.00"))
        invoiced = sum(1 for r in shared if r[3] == outputs.INVOICED)
        payers = sum(1 for r in shared if r[3] in (outputs.INVOICED, outputs.OWN_SHARE))
        split = f"shared over {payers} municipalities: {invoiced} invoiced"
        if any(r[3] == outputs.OWN_SHARE for r in shared):
            split += " + the host's own share"
        self.stdout.write(f"Total: {format_nok(total)} ({split})")
        if funding:
            for _number, name, amount, _kind, gross in funding:
                assert gross is not None  # an external row always has its line's gross
                self.stdout.write(
                    f"External funding;{name};{amount:.2f};gross {gross:.2f};"
                    f"shared {gross - amount:.2f}"
                )
            external = sum((r[2] for r in funding), Decimal("0.00"))
            self.stdout.write(f"External funding: {format_nok(external)}")
            self.stdout.write(f"Gross cost: {format_nok(total + external)}")
        self.stdout.write("Preview only: nothing was written.")

    def _planned(self, arena: Arena, year: int) -> list[outputs.SummaryLine]:
        """summary_lines as the run would have them, from the year's budget: the host
        municipality's charges as its own share, the rest invoiced, then each line's
        external funding."""
        budgets = list(Budget.objects.filter(arena=arena, year=year))
        if not budgets:
            raise CommandError(f"{arena.short_name} has no budget for {year}.")
        try:
            planner, charges = plan(budgets)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        totals: dict[int, Decimal] = {}
        funded: dict[int, tuple[str, Decimal, Decimal]] = {}
        for charge in charges:
            totals[charge.payer_id] = totals.get(charge.payer_id, Decimal(0)) + charge.amount
            if charge.external:
                # the line's text as the run's invoice lines (and so the CSV) will have it
                text = line_text(charge.kind, charge.description, arena.short_name, year)
                funded.setdefault(charge.line_id, (text, charge.external, charge.gross))
        if not totals:
            raise CommandError(f"{arena.short_name} has nothing to invoice for {year}.")
        people: dict[int, Municipality] = planner.municipalities
        # the host as the run would make it the seller: its successor after a merger
        host = arena.host_municipality_id
        if host in people:
            host = planner.successor_on(people[host], date(year, 12, 31)).pk
        ordered = sorted(totals.items(), key=lambda kv: (kv[0] == host, people[kv[0]].code))
        rows: list[outputs.SummaryLine] = [
            (
                people[m].number,
                people[m].name,
                amount,
                outputs.OWN_SHARE if m == host else outputs.INVOICED,
                None,
            )
            for m, amount in ordered
        ]
        rows.extend(
            ("", text, external, outputs.EXTERNAL, gross)
            for text, external, gross in funded.values()
        )
        return rows


# how each kind of row reads in the preview (the CSV's kinds, in words)
KINDS = {
    outputs.INVOICED: "invoiced",
    outputs.OWN_SHARE: "own share (host)",
    outputs.CREDITED: "credited (taken off the invoiced amount)",
    outputs.CORRECTED: "corrected invoice (in the invoiced amount)",
}
