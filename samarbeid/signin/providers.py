"""The identity providers configured (settings.OIDC_PROVIDERS), and their OAuth clients.

Each provider is a dict: `slug` (in the URL), `name` (on the button: "Logg inn med …"),
`issuer` (its discovery document is `<issuer>/.well-known/openid-configuration`),
`client_id`, `client_secret`, and optionally `roles`: a claim whose values grant roles,
`{"claim": "groups", "grants": {"<value>": {"role": "coordinator", "municipality": "3909"}}}`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from authlib.integrations.django_client import OAuth
from django.conf import settings


@dataclass(frozen=True)
class Provider:
    slug: str
    name: str
    issuer: str
    client_id: str
    client_secret: str = field(repr=False)  # never in a log line or a traceback's repr
    role_claim: str = ""
    grants: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def configured() -> dict[str, Provider]:
    found = {}
    for entry in settings.OIDC_PROVIDERS:
        roles: dict[str, Any] = entry.get("roles") or {}
        provider = Provider(
            slug=entry["slug"],
            name=entry["name"],
            issuer=entry["issuer"],
            client_id=entry["client_id"],
            client_secret=entry["client_secret"],
            role_claim=roles.get("claim", ""),
            grants=dict(roles.get("grants") or {}),
        )
        found[provider.slug] = provider
    return found


_clients: dict[tuple[str, str, str, str], Any] = {}


def client_for(provider: Provider) -> Any:
    """Authlib's client for the provider: discovery, state, nonce, PKCE and the ID token's
    signature and claims (issuer, audience, expiry, nonce) are its work."""
    key = (provider.slug, provider.issuer, provider.client_id, provider.client_secret)
    if key not in _clients:
        oauth = OAuth()
        oauth.register(
            name=provider.slug,
            server_metadata_url=provider.metadata_url,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
        )
        _clients[key] = oauth.create_client(provider.slug)
    return _clients[key]
