"""Personal API tokens and role assignments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samarbeid.accounts.addresses import address, hold_address, users_with_address
from samarbeid.accounts.models import ApiToken, Role, RoleAssignment
from samarbeid.accounts.passwords import MAIL_INTERVAL, invitation_key, send_password_mail
from samarbeid.accounts.permissions import can_manage_roles, require
from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.audit.services import Actor, record, snapshot
from samarbeid.core.services import create_record, delete_record, update_record
from samarbeid.core.versioning import VersionConflict

MAX_ACTIVE_TOKENS = 20


def create_token(user: Any, name: str) -> tuple[ApiToken, str]:
    """A new personal token for `user`. Returns the record and the key, which is shown once
    and never stored (only its hash is)."""
    if not getattr(user, "is_authenticated", False):
        raise ValidationError(_("Du må være logget inn."))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Gi nøkkelen et navn, f.eks. hva den skal brukes til.")})
    active = ApiToken.objects.filter(user=user, revoked__isnull=True).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            {"name": _("Du har allerede %(n)d aktive nøkler.") % {"n": MAX_ACTIVE_TOKENS}}
        )
    key = ApiToken.generate_key()
    token = ApiToken(user=user, name=name, prefix=key[4:12], key_hash=ApiToken.hash_key(key))
    token.full_clean()
    token.save()
    return token, key


def revoke_token(token: ApiToken, *, actor: Any) -> ApiToken:
    """Revoke a token: its owner may (a superuser too). Revoking twice changes nothing."""
    require(token.user_id == getattr(actor, "pk", None) or getattr(actor, "is_superuser", False))
    if token.revoked is None:
        token.revoked = timezone.now()
        token.save(update_fields=["revoked"])
    return token


def _check_role(assignment: RoleAssignment) -> None:
    errors: dict[str, str] = {}
    if assignment.role == Role.COORDINATOR:
        if assignment.municipality is None:
            errors["municipality"] = _("En kommunekoordinator må ha en kommune.")
        if assignment.arena is not None:
            errors["arena"] = _("En kommunekoordinator gjelder en kommune, ikke en arena.")
    elif assignment.role == Role.SECRETARIAT:
        if assignment.municipality is not None:
            errors["municipality"] = _("Sekretariatet gjelder arenaer, ikke en kommune.")
    elif assignment.role == Role.READER and (assignment.arena or assignment.municipality):
        errors["role"] = _("En leser ser alt internt; velg verken arena eller kommune.")
    duplicate = RoleAssignment.objects.filter(
        user=assignment.user,
        role=assignment.role,
        arena=assignment.arena,
        municipality=assignment.municipality,
    ).exclude(pk=assignment.pk)
    if not errors and duplicate.exists():
        errors["role"] = _("Brukeren har allerede denne rollen.")
    if errors:
        raise ValidationError(errors)


def assign_role(
    assignment: RoleAssignment, *, actor: Actor, channel: str = Channel.PAGE
) -> RoleAssignment:
    """Give a user a role. A superuser or a global secretariat may."""
    require(can_manage_roles(actor))
    _check_role(assignment)
    return create_record(assignment, actor=actor, channel=channel)


ALREADY_REMOVED = gettext_lazy("Rollen var allerede fjernet.")


def removal_refused(assignment: RoleAssignment, *, actor: Actor) -> str | None:
    """Why `actor` may not take this role away, though they manage roles (their own
    secretariat role), or None: what the confirmation page says instead of its button."""
    if assignment.user_id == getattr(actor, "pk", None) and assignment.role == Role.SECRETARIAT:
        return _("Du kan ikke fjerne din egen sekretariatsrolle.")
    return None


def remove_role(assignment: RoleAssignment, *, actor: Actor, channel: str = Channel.PAGE) -> None:
    """Take a role from a user. A role someone removed since it was read (a second tab, a
    double click) is refused with ALREADY_REMOVED, not removed (and audited) twice."""
    require(can_manage_roles(actor))
    if refusal := removal_refused(assignment, actor=actor):
        raise ValidationError(refusal)
    with transaction.atomic():
        if not RoleAssignment.objects.select_for_update().filter(pk=assignment.pk).exists():
            raise ValidationError(ALREADY_REMOVED, code="gone")
        delete_record(assignment, actor=actor, channel=channel)


def was_removed(pk: int) -> bool:
    """Whether a role with this id existed and was removed (the audit trail has its
    removal), as against an id that never was one."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(RoleAssignment),
        object_id=str(pk),
        action=AuditEntry.Action.DELETE,
    ).exists()


CONTACT_FIELDS = ("first_name", "last_name", "email")


def may_edit_contact(actor: Any, user: Any) -> bool:
    """A user's name and e-mail address: the user themself, or who may manage roles."""
    if not getattr(actor, "is_authenticated", False):
        return False
    return bool(user.pk == actor.pk or can_manage_roles(actor))


DUPLICATE_EMAIL = gettext_lazy("En annen bruker har allerede denne e-postadressen.")


def email_taken(email: str | None, *, user: Any = None) -> bool:
    """Whether a user other than `user` (None: any user, for a user not yet made) has the
    address `email` (the same address: `addresses.address`). An empty address is
    nobody's."""
    wanted = address(email)
    if not wanted or (user is not None and wanted == address(user.email)):
        return False  # nobody's; or the user's own, kept (a duplicate from before the rule)
    others = users_with_address(wanted)
    if user is not None and user.pk is not None:
        others = others.exclude(pk=user.pk)
    return bool(others.exists())


def check_email_free(email: str | None, *, user: Any = None) -> None:
    """Refuse, on the field `email`, an address another user already has (`email_taken`).
    There is no unique constraint: databases may hold duplicates from before the rule, and
    those users keep their addresses until one of them is changed."""
    if email_taken(email, user=user):
        raise ValidationError({"email": str(DUPLICATE_EMAIL)})


def contact_of(user: Any) -> dict[str, str]:
    """`user`'s name and e-mail address as stored (CONTACT_FIELDS; nothing is "")."""
    return {field: getattr(user, field) or "" for field in CONTACT_FIELDS}


def set_contact(
    user: Any,
    changes: Mapping[str, str],
    *,
    expected: Mapping[str, str] | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Any:
    """Set `user`'s name and/or e-mail address (validated, audited); only CONTACT_FIELDS.

    The user record has no version: `expected` is what the caller read (`contact_of`, or
    some of its fields), and the change is refused with VersionConflict (the user as stored
    now) when the stored values differ from it, so that of two people editing at once the
    second does not silently overwrite the first. None skips the check (for commands).
    An e-mail address another user has is refused (`check_email_free`).
    Returns the user as saved."""
    require(may_edit_contact(actor, user))
    unknown = (set(changes) | set(expected or {})) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError(_("Bare navn og e-postadresse kan endres her."))
    cleaned = {field: value.strip() for field, value in changes.items()}
    if cleaned.get("email"):
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            raise ValidationError({"email": _("Skriv inn en gyldig e-postadresse.")}) from None
    with transaction.atomic():
        # read under a row lock: of two saves at once, the second sees the first's values
        stored = type(user)._default_manager.select_for_update().get(pk=user.pk)
        if expected is not None:
            now = contact_of(stored)
            if any(now[field] != (value or "") for field, value in expected.items()):
                raise VersionConflict(stored)
        if "email" in cleaned:
            hold_address(cleaned["email"])
            check_email_free(cleaned["email"], user=stored)
        return update_record(stored, cleaned, expected_version=None, actor=actor, channel=channel)


@dataclass(frozen=True)
class NewUser:
    user: Any
    mailed: bool  # the invitation was sent (False: the mail server refused it, logged; or
    # none was asked for, `create_user(invite=False)`)


def create_user(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    actor: Actor,
    channel: str = Channel.PAGE,
    invite: bool = True,
) -> NewUser:
    """A new user, made by who may manage roles (audited), with no usable password: they are
    sent an e-mail with a link to choose one (`accounts.passwords`; not with `invite=False`,
    the command's --no-invite: the role list sends it later). The e-mail address is
    required and may be no other user's (`check_email_free`); the user name is nobody
    else's either, in any case."""
    require(can_manage_roles(actor))
    username, email = username.strip(), email.strip()
    errors: dict[str, str] = {}
    if not email:
        errors["email"] = _("Skriv inn e-postadressen: lenken for å velge passord sendes dit.")
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Skriv inn en gyldig e-postadresse.")
    if username_taken(username):
        errors["username"] = str(USERNAME_TAKEN)
    if errors:
        raise ValidationError(errors)
    user = get_user_model()(
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        # no password until the user chooses one by the link (nothing of it in the trail)
        password=UNUSABLE_PASSWORD_PREFIX,
    )
    with transaction.atomic():
        hold_address(email)
        check_email_free(email)
        create_record(user, actor=actor, channel=channel)
    return NewUser(user, invite and send_password_mail(user, invitation=True))


USERNAME_TAKEN = gettext_lazy("Brukernavnet er allerede i bruk.")


def username_taken(username: str) -> bool:
    """Whether another user has `username`, in any case (the log-in finds it so)."""
    name = username.strip()
    return bool(name) and get_user_model()._default_manager.filter(username__iexact=name).exists()


def awaits_password(user: Any) -> bool:
    """Whether `user` was invited and has not chosen a password yet: active, no usable
    password and never signed in (a user who signs in through a provider has signed in)."""
    return bool(user.is_active and not user.has_usable_password() and user.last_login is None)


def invited_users() -> Any:
    """The users who await a password (`awaits_password`), newest first."""
    return (
        get_user_model()
        ._default_manager.filter(
            is_active=True, last_login__isnull=True, password__startswith=UNUSABLE_PASSWORD_PREFIX
        )
        .order_by("-date_joined", "-pk")
    )


INVITED_LATELY = gettext_lazy("En invitasjon ble sendt til %(email)s for under 15 minutter siden.")


def resend_invitation(user: Any, *, actor: Actor, channel: str = Channel.PAGE) -> None:
    """Send `user` the invitation again (`send_password_mail(user, invitation=True)`): only
    to a user who has not chosen a password (`awaits_password`) and has an e-mail address,
    at most once in MAIL_INTERVAL (the invitation sent on creating the user counts).
    Audited as a change of the user that changes no field (who sent it, when, how; the
    address it went to in the entry's snapshot). A mail server that refuses is a refusal
    too, and the interval is not taken up by it."""
    require(can_manage_roles(actor))
    if user.has_usable_password() or user.last_login is not None:
        raise ValidationError(
            _(
                "Brukeren har allerede logget inn eller valgt passord; det er ingen invitasjon å "
                "sende. Brukeren kan få ny lenke med «Glemt passord?» på innloggingssiden."
            )
        )
    if not user.is_active:
        raise ValidationError(_("Brukeren er deaktivert og kan ikke inviteres."))
    if not (user.email or "").strip():
        raise ValidationError(
            _(
                "Brukeren har ingen e-postadresse. Legg inn adressen under «Navn og "
                "e-postadresse» først, så kan invitasjonen sendes."
            )
        )
    if not cache.add(invitation_key(user), True, MAIL_INTERVAL):  # a double click too
        raise ValidationError(str(INVITED_LATELY) % {"email": user.email.strip()}, code="throttled")
    if not send_password_mail(user, invitation=True):
        cache.delete(invitation_key(user))
        raise ValidationError(
            _("E-posten til %(email)s kunne ikke sendes. Prøv igjen senere.")
            % {"email": user.email}
        )
    with transaction.atomic():
        record(user, AuditEntry.Action.UPDATE, actor=actor, channel=channel, before=snapshot(user))
