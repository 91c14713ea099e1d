"""The national invoice run on a seeded database, measured and summed up (issue 20).

    DATABASE_URL=sqlite:////tmp/f1.sqlite3 python bench/invoice_run_digest.py [--profile F]

runs `finance.invoicing.create_runs` for every arena with a budget in the last budget year
(as `bench/run.py`'s invoice run and the "invoice_task" target do), inside a transaction
that is rolled back, so the database stays as seeded and the run can be repeated by other
code on the same file. It prints one JSON line: the wall-clock and CPU time of the run
itself, its SQL queries, the counts of runs, invoices, lines, host share lines and audit
entries, the sum of the invoices, and a digest of each: every invoice's number, KID, total,
buyer, parties, dates and kind; every line and host share line with its text, amounts and
note; every run's audit entry (its snapshot without the creation time). Two versions of
the code that give the same digests on the same seeded database made the same invoices to
the øre, with the same numbers and KIDs. `--profile F` writes cProfile's statistics to F.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _digest(rows: list[Any]) -> str:
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", help="Write cProfile's statistics of the run to this file")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samarbeid.settings")
    django.setup()

    from django.db import connection, transaction

    from samarbeid.arenas.models import Arena
    from samarbeid.audit.models import AuditEntry, Channel
    from samarbeid.finance.invoicing import create_runs
    from samarbeid.finance.models import HostShareLine, Invoice, InvoiceLine
    from samarbeid.portal.scale.common import REFERENCE_DAY
    from samarbeid.portal.scale.finance import budget_years, scale_actor

    year = list(budget_years(REFERENCE_DAY))[-1]
    arenas = list(Arena.objects.filter(budgets__year=year).order_by("pk"))
    actor = scale_actor()
    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    profile = cProfile.Profile() if args.profile else None
    with transaction.atomic():
        with connection.execute_wrapper(count):
            started, cpu = time.perf_counter(), time.process_time()
            if profile is not None:
                profile.enable()
            runs = create_runs(arenas, year, actor=actor, channel=Channel.COMMAND)
            if profile is not None:
                profile.disable()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        invoices = list(
            Invoice.objects.filter(run__in=runs)
            .order_by("number")
            .values_list(
                "number",
                "kid",
                "total",
                "buyer_id",
                "buyer_name",
                "buyer_reference",
                "seller_name",
                "buyer_street",
                "seller_street",
                "issue_date",
                "due_date",
                "kind",
                "run__arena_id",
            )
        )
        lines = list(
            InvoiceLine.objects.filter(invoice__run__in=runs)
            .order_by("invoice__number", "position")
            .values_list(
                "invoice__number",
                "position",
                "kind",
                "budget_line_id",
                "project_id",
                "share_of_id",
                "description",
                "amount",
                "note",
                "gross",
                "external",
            )
        )
        hosts = list(
            HostShareLine.objects.filter(run__in=runs)
            .order_by("run__arena_id", "position")
            .values_list(
                "run__arena_id",
                "position",
                "municipality_id",
                "kind",
                "budget_line_id",
                "project_id",
                "share_of_id",
                "description",
                "amount",
                "note",
                "gross",
                "external",
            )
        )
        audits = [
            (*entry[:6], *({k: v for k, v in d.items() if k != "created_at"} for d in entry[6:]))
            for entry in AuditEntry.objects.filter(
                content_type__model="invoicerun", object_id__in=[str(run.pk) for run in runs]
            )
            .order_by("object_id")
            .values_list(
                "actor_id",
                "channel",
                "action",
                "content_type_id",
                "object_id",
                "object_repr",
                "changes",
                "snapshot",
            )
        ]
        transaction.set_rollback(True)  # measure only; leave the database as seeded
    if profile is not None:
        profile.dump_stats(args.profile)
    print(
        json.dumps(
            {
                "year": year,
                "arenas": len(arenas),
                "runs": len(runs),
                "invoices": len(invoices),
                "lines": len(lines),
                "host_share_lines": len(hosts),
                "audit_entries": len(audits),
                "sum": str(sum(invoice[2] for invoice in invoices)),
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu, 2),
                "queries": queries,
                "digest_invoices": _digest(invoices),
                "digest_lines": _digest(lines),
                "digest_host_share_lines": _digest(hosts),
                "digest_audit": _digest(audits),
                "load_average": os.getloadavg(),
            }
        )
    )


if __name__ == "__main__":
    main()
