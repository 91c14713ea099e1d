"""Signing in with the municipality's account in Chromium, through a real OpenID Connect
provider on loopback (oidc-provider-mock): a new user without a role sees the public pages
only; once the secretariat grants a role, the internal pages open."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import oidc_provider_mock
import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from samarbeid.accounts.models import Role, RoleAssignment

pytestmark = pytest.mark.browser


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # loopback speaks plain HTTP
    with oidc_provider_mock.run_server_in_thread(require_nonce=True) as server:
        issuer = f"http://localhost:{server.server_port}"
        entry = {
            "slug": "larvik",
            "name": "Larvik kommune",
            "issuer": issuer,
            "client_id": "samarbeid",
            "client_secret": "nettleser-hemmelighet-3",
        }
        with override_settings(OIDC_PROVIDERS=[entry]):
            yield issuer


def test_sign_in_through_the_provider_then_a_role_opens_the_internal_pages(
    page: Any, provider: str
) -> None:
    claims = {"email": "kari.nordmann@larvik.kommune.no", "name": "Kari Nordmann"}
    assert httpx.put(f"{provider}/users/{quote('kari-123')}", json=claims).status_code == 204

    page.goto("/logg-inn/")
    page.get_by_role("link", name="Logg inn med Larvik kommune").click()
    # at the provider: the person names themselves and authorizes
    page.get_by_placeholder("sub").fill("kari-123")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url("**/")
    assert page.get_by_role("button", name="Logg ut").is_visible()

    user = get_user_model().objects.get(external_identities__subject="kari-123")
    assert user.email == "kari.nordmann@larvik.kommune.no"
    assert not RoleAssignment.objects.filter(user=user).exists()
    response = page.goto("/okonomi/fakturareferanser/")
    assert response.status == 404  # internal: a user without a role sees the public's pages

    RoleAssignment.objects.create(user=user, role=Role.READER)
    response = page.goto("/okonomi/fakturareferanser/")
    assert response.status == 200

    page.get_by_role("button", name="Logg ut").click()
    # the signed-out page moves on to the provider's sign-out by itself: let it, then look
    page.wait_for_function("() => !document.querySelector('meta[http-equiv=refresh]')")
    page.wait_for_load_state()
    page.goto("/okonomi/fakturareferanser/")
    assert "/logg-inn/" in page.url or page.get_by_text("Logg inn").first.is_visible()
