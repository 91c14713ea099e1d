"""Personal API tokens and role assignments."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.models import ApiToken, Role, RoleAssignment
from samarbeid.accounts.permissions import can_manage_roles, require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record, delete_record, update_record

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


def remove_role(assignment: RoleAssignment, *, actor: Actor, channel: str = Channel.PAGE) -> None:
    require(can_manage_roles(actor))
    if assignment.user_id == getattr(actor, "pk", None) and assignment.role == Role.SECRETARIAT:
        raise ValidationError(_("Du kan ikke fjerne din egen sekretariatsrolle."))
    delete_record(assignment, actor=actor, channel=channel)


CONTACT_FIELDS = ("first_name", "last_name", "email")


def may_edit_contact(actor: Any, user: Any) -> bool:
    """A user's name and e-mail address: the user themself, or who may manage roles."""
    if not getattr(actor, "is_authenticated", False):
        return False
    return bool(user.pk == actor.pk or can_manage_roles(actor))


def set_contact(
    user: Any, changes: dict[str, str], *, actor: Actor, channel: str = Channel.PAGE
) -> Any:
    """Set `user`'s name and/or e-mail address (validated, audited); only CONTACT_FIELDS."""
    require(may_edit_contact(actor, user))
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError(_("Bare navn og e-postadresse kan endres her."))
    cleaned = {field: value.strip() for field, value in changes.items()}
    if cleaned.get("email"):
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            raise ValidationError({"email": _("Skriv inn en gyldig e-postadresse.")}) from None
    return update_record(user, cleaned, expected_version=None, actor=actor, channel=channel)
