"""The first request after a write to what the busiest municipality pays (not a test: a
measurement, see docs/benchmarks.md).

    python bench/after_write.py var/bench/factor-16.sqlite3 [--rounds 5]

Use a copy of a bench database (`bench/run.py` seeds them): the writes are rolled back at
the end, but migrations are applied first. With Django's test client and DEBUG off, in one
process: the page with an empty cache, then, `--rounds` times, the page after renaming an
arena the municipality has nothing to do with, and after changing the amount of a budget
line in one of its arenas (a year without an issued run), each through the services as a
user would. Prints each time and the SQL queries of each request, and the medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{args.database.resolve()}",
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "AXES_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "samarbeid.settings",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Static files straight from the apps: no collectstatic (its manifest) needed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    measure(args.rounds)


def measure(rounds: int) -> None:
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from samarbeid.arenas.models import Arena
    from samarbeid.audit.models import Channel
    from samarbeid.core.services import update_record
    from samarbeid.finance.figures import arenas_taken_part_in
    from samarbeid.finance.models import BudgetLine, InvoiceRun
    from samarbeid.registry.models import Municipality

    # The busiest municipality as bench/run.py picks it.
    municipality = (
        Municipality.objects.current().annotate(n=Count("memberships")).order_by("-n").first()
    )
    assert municipality is not None
    url = f"/okonomi/kommune/{municipality.code}/"
    client = Client()
    client.get("/")  # imports, templates
    ours = arenas_taken_part_in([municipality.pk])
    issued = set(
        InvoiceRun.objects.filter(status=InvoiceRun.Status.ISSUED, arena_id__in=ours).values_list(
            "arena_id", "year"
        )
    )
    lines = [
        line
        for line in BudgetLine.objects.filter(budget__arena_id__in=ours)
        .select_related("budget")
        .order_by("pk")[:1000]
        if (line.budget.arena_id, line.budget.year) not in issued
    ][:rounds]
    others = list(Arena.objects.exclude(pk__in=ours).order_by("pk")[:rounds])
    print(f"{municipality.code} {municipality.name}: {len(ours)} arenas, {url}")

    def timed(label: str) -> float:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            ms = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        print(f"  {label:45} {ms:8.1f} ms {len(queries):3} queries")
        return ms

    results: dict[str, list[float]] = {"unrelated arena renamed": [], "own arena's line": []}
    command: dict[str, Any] = {"expected_version": None, "actor": None, "channel": Channel.COMMAND}
    with transaction.atomic():
        timed("empty cache")
        timed("cached")
        for arena, line in zip(others, lines, strict=False):
            update_record(arena, {"name": arena.name + " (endret)"}, **command)
            results["unrelated arena renamed"].append(timed(f"after renaming arena {arena.pk}"))
            update_record(line, {"amount": line.amount + 1}, **command)
            results["own arena's line"].append(
                timed(f"after a line in its arena {line.budget.arena_id}")
            )
        transaction.set_rollback(True)
    for name, values in results.items():
        print(f"  {name}: median {statistics.median(values):.0f} ms of {len(values)}")


if __name__ == "__main__":
    main()
