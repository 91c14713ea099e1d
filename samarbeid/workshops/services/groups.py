"""Groups and participants of a workshop. A group answers through its own unguessable
link: the link is its permission (`group_for_token`); renewing it stops the old one."""

from __future__ import annotations

import hmac
import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_edit_arena, require
from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.audit.services import Actor, record
from samarbeid.core.services import create_record, delete_record
from samarbeid.workshops.models import Group, Participant, Workshop


def _new_nonce() -> tuple[str, str]:
    nonce = secrets.token_urlsafe(32)
    return nonce, Group.hash_token(Group.token_for(nonce))


def add_group(workshop: Workshop, name: str, *, actor: Actor, channel: str = Channel.PAGE) -> Group:
    """Add a group with a fresh unguessable link."""
    require(can_edit_arena(actor, workshop.arena))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Gi gruppen et navn.")})
    if workshop.groups.filter(name=name).exists():
        raise ValidationError({"name": _("Samlingen har allerede en gruppe med dette navnet.")})
    nonce, token_hash = _new_nonce()
    return create_record(
        Group(workshop=workshop, name=name, nonce=nonce, token_hash=token_hash),
        actor=actor,
        channel=channel,
    )


def renew_group_link(group: Group, *, actor: Actor, channel: str = Channel.PAGE) -> Group:
    """Give the group a new link; the old one stops working at once."""
    require(can_edit_arena(actor, group.workshop.arena))
    nonce, token_hash = _new_nonce()
    with transaction.atomic():
        Group.objects.filter(pk=group.pk).update(
            nonce=nonce, token_hash=token_hash, version=models.F("version") + 1
        )
        group.nonce, group.token_hash = nonce, token_hash
        group.refresh_from_db(fields=["version"])
        record(group, AuditEntry.Action.UPDATE, actor=actor, channel=channel, before={})
    return group


def delete_group(
    group: Group,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    expected_version: int | None = None,
) -> None:
    """Delete a group that has not answered; with `expected_version`, not one changed since
    it was read (its link renewed: 409)."""
    require(can_edit_arena(actor, group.workshop.arena))
    if group.answers.exists():
        raise ValidationError(_("Gruppen har levert svar og kan ikke slettes."))
    delete_record(group, actor=actor, channel=channel, expected_version=expected_version)


def add_participant(
    participant: Participant, *, actor: Actor, channel: str = Channel.PAGE
) -> Participant:
    require(can_edit_arena(actor, participant.workshop.arena))
    if participant.group is not None and participant.group.workshop_id != participant.workshop.pk:
        raise ValidationError({"group": _("Gruppen hører til en annen samling.")})
    return create_record(participant, actor=actor, channel=channel)


def remove_participant(
    participant: Participant,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    expected_version: int | None = None,
) -> None:
    require(can_edit_arena(actor, participant.workshop.arena))
    delete_record(participant, actor=actor, channel=channel, expected_version=expected_version)


def group_for_token(token: str, *, today: date | None = None) -> Group | None:
    """The group this link belongs to, or None for a wrong, renewed or expired token.
    The lookup is by the token's hash; the final comparison runs in constant time."""
    if not token or len(token) > 100:
        return None
    group = (
        Group.objects.select_related("workshop__arena")
        .filter(token_hash=Group.hash_token(token))
        .first()
    )
    if group is None or not hmac.compare_digest(group.token, token):
        return None
    if not group.workshop.links_valid_on(today or timezone.localdate()):
        return None
    return group
