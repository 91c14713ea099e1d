"""Who a signed-in person is here: found by the provider's subject, or made on first sign-in
with no role (the secretariat grants roles, or the provider's claims do by its mapping)."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from samarbeid.accounts.addresses import hold_address
from samarbeid.accounts.models import Role, RoleAssignment
from samarbeid.accounts.services import email_taken
from samarbeid.arenas.models import Arena
from samarbeid.registry.models import Municipality
from samarbeid.signin.models import ExternalIdentity
from samarbeid.signin.providers import Provider

log = logging.getLogger(__name__)


class SignInRefused(Exception):
    """The provider's answer cannot sign anyone in (no subject, a deactivated user)."""


def _username(provider: Provider, claims: dict[str, Any]) -> str:
    base = str(claims.get("preferred_username") or claims.get("email") or claims["sub"])
    name = f"{provider.slug}:{base}"[:150]
    taken = get_user_model().objects.filter(username=name).exists()
    return f"{provider.slug}:{claims['sub']}"[:150] if taken else name


@transaction.atomic
def user_for_claims(provider: Provider, claims: dict[str, Any]) -> Any:
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SignInRefused("the provider named no subject")
    identity = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=provider.slug, subject=subject)
        .first()
    )
    users = get_user_model().objects
    if identity is None:
        user = users.create_user(username=_username(provider, claims))
        user.set_unusable_password()  # signs in through the provider only
        identity = ExternalIdentity.objects.create(
            user=user, provider=provider.slug, subject=subject
        )
        log.info("oidc_user_created provider=%s user=%s", provider.slug, user.pk)
    else:
        user = identity.user
        identity.save()  # the last sign-in
    if not user.is_active:
        raise SignInRefused("the user is deactivated here")
    # name and e-mail follow the provider's claims; an address another user here has is
    # not taken (one address a user, as the contact page keeps it): sign-in goes on
    claimed = str(claims.get("email") or "")
    hold_address(claimed)
    if claimed and email_taken(claimed, user=user):
        log.warning("oidc_email_taken provider=%s user=%s", provider.slug, user.pk)
    elif claimed:
        user.email = claimed
    user.first_name = str(claims.get("given_name") or user.first_name)[:150]
    user.last_name = str(claims.get("family_name") or user.last_name)[:150]
    if not (claims.get("given_name") or claims.get("family_name")) and claims.get("name"):
        first, _sep, last = str(claims["name"]).partition(" ")
        user.first_name, user.last_name = first[:150], last[:150]
    user.save()
    _grant_from_claims(provider, claims, user)
    return user


def _grant_from_claims(provider: Provider, claims: dict[str, Any], user: Any) -> None:
    """Roles the provider's mapping grants for the values of its role claim (added, never
    taken away: a role the secretariat granted stays)."""
    if not provider.role_claim:
        return
    values = claims.get(provider.role_claim) or []
    if isinstance(values, str):
        values = [values]
    for value in values:
        grant = provider.grants.get(str(value))
        if not grant or grant.get("role") not in Role.values:
            continue
        scope: dict[str, Any] = {}
        if grant.get("municipality"):
            municipality = Municipality.objects.filter(
                number=grant["municipality"], valid_to__isnull=True
            ).first()
            if municipality is None:
                log.warning("oidc_grant_unknown_municipality provider=%s", provider.slug)
                continue
            scope["municipality"] = municipality
        if grant.get("arena"):
            arena = Arena.objects.filter(short_name=grant["arena"]).first()
            if arena is None:
                log.warning("oidc_grant_unknown_arena provider=%s", provider.slug)
                continue
            scope["arena"] = arena
        RoleAssignment.objects.get_or_create(user=user, role=grant["role"], **scope)
