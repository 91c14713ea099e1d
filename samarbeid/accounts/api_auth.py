"""API authentication: a personal token (`Authorization: Bearer smb_…`) or, for the
browser, the signed-in session with its CSRF token. Write endpoints use `WRITE_AUTH`;
read endpoints are open and show what the caller may see."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from samarbeid.accounts.models import ApiToken


def user_for_token(key: str) -> Any | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    return token.user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in session; ninja checks the CSRF token for unsafe methods."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        # A caller without a signed-in session is simply not authenticated (401); the CSRF
        # check (403 on failure) only matters for a session that could be abused.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = getattr(request, "user", AnonymousUser())
        return user if user.is_authenticated else None


WRITE_AUTH = [TokenAuth(), SessionAuth(csrf=True)]


def optional_token_user(request: HttpRequest) -> None:
    """For read endpoints: a valid bearer token makes the caller that user (to see internal
    records); anything else leaves the caller as they are."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = user_for_token(header[7:].strip())
        if user is not None:
            request.user = user
