"""Write a Noark 5 archive extract of one arena's cases over a period into a directory.

python manage.py archive_extract --arena ISK --from 2007-01-01 --to 2007-12-31 --out /tmp/uttrekk

Reads only. With --user (one of the arena's secretariat) the meetings' notices and minutes
are printed as PDFs as that user reads them (closed items too) and go in with the uploads.
The directory gets `arkivstruktur.xml` (validated against the shipped
arkivstruktur.xsd before anything is written) and the documents under `dokumenter/`.
Cases still under treatment are left out and listed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samarbeid.accounts.permissions import is_secretariat
from samarbeid.archive.documents import case_summary_pdf
from samarbeid.archive.forms import ExtractForm
from samarbeid.archive.meetings import arena_extract, meeting_pdfs
from samarbeid.lib.noark5_xml import InvalidExtract, write_extract


class Command(BaseCommand):
    help = (
        "Write the Noark 5 archive extract (arkivstruktur.xml and the documents) of an "
        "arena's concluded cases opened, treated or on an agenda in a period (and its meetings "
        "with approved minutes) into DIR."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--arena", required=True, help="Arena id or short name")
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="Directory to write (made if missing)")
        parser.add_argument(
            "--user", help="Username of the arena's secretariat: print notices and minutes"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        form = ExtractForm({k: options[k] for k in ("arena", "start", "end")})
        if not form.is_valid():
            problems = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in form.errors.items())
            raise CommandError(problems)
        arena, start, end = (form.cleaned_data[k] for k in ("arena", "start", "end"))
        out = Path(options["out"])
        if out.exists() and any(out.iterdir()):
            raise CommandError(f"{out} is not empty; nothing was written.")
        pdfs = None
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None or not is_secretariat(user, arena):
                raise CommandError(f"{options['user']} is not the arena's secretariat.")
            pdfs = meeting_pdfs(user)
        extract = arena_extract(
            arena, start, end, by="Samarbeid", summary=case_summary_pdf, pdfs=pdfs
        )
        try:
            written = write_extract(extract.archive, out)
        except InvalidExtract as exc:
            raise CommandError(f"The extract does not validate: {exc}") from exc
        self.stdout.write(
            f"{arena.short_name}: {len(extract.cases)} case(s), {len(written)} file(s) in {out}"
        )
        for case in extract.left_out:
            self.stdout.write(f"Left out (still under treatment): {case.pk} {case.title}")
