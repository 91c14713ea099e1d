"""Make a user as the new user page does (`NewUserForm`, `create_user`): no password, an
e-mail with the link to choose one (not with --no-invite; the role list sends it later).

python manage.py create_user nina.ny --email nina.ny@larvik.kommune.no \\
    --first-name Nina --last-name Ny --user kari
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samarbeid.accounts.forms import NewUserForm
from samarbeid.accounts.permissions import can_manage_roles
from samarbeid.accounts.services import create_user
from samarbeid.audit.models import Channel


def _said(exc: ValidationError) -> str:
    """A refusal as one line per field: «email: Skriv inn en gyldig e-postadresse.»"""
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = (
        "Create a user, as USER (who must manage roles: a secretariat for every arena, or a "
        "superuser), and e-mail them the link to choose a password. The user gets no role."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="What the new user signs in with")
        parser.add_argument("--email", required=True, help="Where the link is sent")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--user", required=True, help="Username the user is made as")
        parser.add_argument(
            "--no-invite",
            action="store_true",
            help="Send no e-mail now (the role list's «Send invitasjonen på nytt» sends it)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {options['user']!r}.")
        if not can_manage_roles(actor):
            raise CommandError(f"{actor.get_username()} may not make users; nothing was made.")
        form = NewUserForm(
            data={
                "username": options["username"],
                "first_name": options["first_name"],
                "last_name": options["last_name"],
                "email": options["email"],
            }
        )
        try:
            if not form.is_valid():
                raise ValidationError(
                    {field: [str(m) for m in messages] for field, messages in form.errors.items()}
                )
            new = create_user(
                **form.cleaned_data,
                actor=actor,
                channel=Channel.COMMAND,
                invite=not options["no_invite"],
            )
        except ValidationError as exc:
            raise CommandError(f"{_said(exc)} Nothing was made.") from exc
        except PermissionDenied as exc:
            raise CommandError(f"{actor.get_username()} may not make users.") from exc
        user = new.user
        self.stdout.write(f"Created user {user.get_username()} (id {user.pk}, {user.email}).")
        if options["no_invite"]:
            self.stdout.write("No e-mail was sent (--no-invite).")
        elif new.mailed:
            self.stdout.write(f"The link to choose a password was sent to {user.email}.")
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"The e-mail to {user.email} could not be sent; send it again from the "
                    "role list."
                )
            )
