"""python manage.py send_reminders [--dry-run]: each person's digest by e-mail."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from samarbeid.reminders.models import KINDS
from samarbeid.reminders.sending import send_reminders

# The report is in English, as the other commands' are (each e-mail is in its reader's
# language); a late row is "delayed", the word the e-mail uses ("forsinket" in bokmål).
LATE = " (delayed)"


def kind_names() -> dict[str, str]:
    """Each kind's name in English, for the report's headings."""
    with translation.override("en"):
        return {slug: str(label) for slug, label in KINDS}


class Command(BaseCommand):
    help = (
        "E-mail each coordinator and secretariat one digest of what waits on them (pending "
        "and overdue treatments, benefits past their date, overdue steps, reviews due, members "
        "that ceased, runs to approve), never the same reminder twice in the same state. The "
        "worker runs it daily (see schedule_reminders); cron or a systemd timer may run it "
        "instead. Each person's settings say daily or weekly."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        outcome = send_reminders(dry_run=dry_run)
        verb = "Would send" if dry_run else "Sent"
        names = kind_names()
        for digest in outcome.sent:
            self.stdout.write(f"{verb} {digest.count} reminder(s) to {digest.user.email}:")
            for part in digest.parts:
                for row in part.rows:
                    late = LATE if row.late else ""
                    when = f" {row.when:%d.%m.%Y}" if row.when else ""
                    heading = names.get(part.section.slug, part.section.slug)
                    self.stdout.write(f"  - {heading}: {row.text}{when}{late}")
        for name in outcome.no_address_names:
            self.stdout.write(f"Skipped {name}: no e-mail address")
        for user, error in outcome.failed:
            self.stderr.write(f"Could not send to {user.email}: {error}")
        self.stdout.write(
            f"{verb} {len(outcome.sent)} e-mail(s); {outcome.nothing_new} with nothing new, "
            f"{outcome.not_due} not due by their settings, "
            f"{len(outcome.no_address)} skipped for lack of an address."
        )
        if outcome.failed:
            raise CommandError(f"{len(outcome.failed)} e-mail(s) could not be sent")
