"""Carry memberships on to the successor municipality in every arena, after a municipal
change has been imported into the register (import_municipalities).

python manage.py follow_successors --user kari --dry-run     # what would be carried on
python manage.py follow_successors --user kari               # every arena with such members
python manage.py follow_successors --user kari --arena 12K   # one arena (repeatable)
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Q

from samarbeid.accounts.permissions import can_edit_arena
from samarbeid.arenas.models import Arena
from samarbeid.arenas.services import (
    arenas_with_ceased_members,
    follow_successors,
    pending_successions,
)
from samarbeid.audit.models import Channel
from samarbeid.core.stamps import bulk_write
from samarbeid.governance.services.treatments import arena_ids_with_lapsing_treatments


class Command(BaseCommand):
    help = (
        "End memberships of municipalities that ceased in a merger or a renumbering and "
        "make the successor a member from the day of the change, in every arena (or those "
        "named with --arena), as USER (who must be the secretariat of each); the ceased "
        "municipalities' open treatments of the arenas' cases lapse. All or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="Username the changes are made as")
        parser.add_argument(
            "--arena",
            action="append",
            default=[],
            help="Arena id or short name; repeat for several (default: every arena)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be carried on; write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['user']!r}.")
        arenas = self._arenas(options["arena"])
        if not arenas:
            self.stdout.write("No arena has members that ceased; nothing to do.")
            return
        refused = [a.short_name for a in arenas if not can_edit_arena(user, a)]
        if refused:
            raise CommandError(
                f"{user.get_username()} is not the secretariat of {', '.join(refused)}; "
                "nothing was changed."
            )
        for arena in arenas:
            for succession in pending_successions(arena):
                heirs = ", ".join(str(m) for m in succession.successors) or "no successor"
                self.stdout.write(
                    f"{arena.short_name}: {succession.membership.municipality} "
                    f"(ceased {succession.ceased:%Y-%m-%d}) -> {heirs}"
                )
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was changed.")
            return
        created = 0
        try:
            with transaction.atomic(), bulk_write(arenas=[arena.pk for arena in arenas]):
                for arena in arenas:
                    created += follow_successors(arena, actor=user, channel=Channel.COMMAND)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(f"Nothing was changed: {exc}") from exc
        self.stdout.write(
            f"{len(arenas)} arena(s) carried on; {created} new membership(s) for successors."
        )

    def _arenas(self, refs: list[str]) -> list[Arena]:
        # members to carry on, or treatments of cases that lapsed with a change
        pending = Arena.objects.filter(
            Q(pk__in=arenas_with_ceased_members().values("pk"))
            | Q(pk__in=arena_ids_with_lapsing_treatments())
        )
        if not refs:
            return list(pending.order_by("short_name"))
        chosen: list[Arena] = []
        for ref in refs:
            arena = Arena.objects.by_reference(ref)
            if arena is None:
                raise CommandError(f"No arena with id or short name {ref!r}; nothing was changed.")
            chosen.append(arena)
        with_members = set(
            pending.filter(pk__in=[a.pk for a in chosen]).values_list("pk", flat=True)
        )
        return [a for a in chosen if a.pk in with_members]
