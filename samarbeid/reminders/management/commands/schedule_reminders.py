"""python manage.py schedule_reminders: queue the daily reminders' next run on the worker
if none is waiting (idempotent; `make run` runs it before the worker starts)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from samarbeid.reminders.daily import ensure_scheduled, run_at


class Command(BaseCommand):
    help = (
        "Queue the daily reminders (send_reminders) on the background worker if no run is "
        "waiting. Each run queues the next day's; run this at every start (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = ensure_scheduled()
        self.stdout.write(f"Reminders run at {run_at(run.day):%Y-%m-%d %H:%M} (task {run.job_id}).")
