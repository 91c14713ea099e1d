"""Signing in through a real OpenID Connect provider on loopback (oidc-provider-mock speaks
the protocol: discovery, authorization code, token endpoint, signed ID tokens with nonce).

The browser's part (the provider's consent form) is played here by an HTTP POST to the
provider; tests/browser/test_oidc_sign_in.py does it in Chromium."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import oidc_provider_mock
import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from samarbeid.accounts.models import Role, RoleAssignment
from samarbeid.registry.models import Municipality
from samarbeid.signin.models import ExternalIdentity

pytestmark = pytest.mark.django_db

SECRET = "klienthemmelighet-9f2e7"  # the test provider's client secret


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    # the provider on loopback speaks plain HTTP; production providers speak HTTPS only
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")
    with oidc_provider_mock.run_server_in_thread(require_nonce=True) as server:
        issuer = f"http://localhost:{server.server_port}"
        configured = [
            {
                "slug": "larvik",
                "name": "Larvik kommune",
                "issuer": issuer,
                "client_id": "samarbeid",
                "client_secret": SECRET,
                "roles": {
                    "claim": "groups",
                    "grants": {
                        "samarbeid-koordinator": {"role": "coordinator", "municipality": "3909"}
                    },
                },
            }
        ]
        with override_settings(OIDC_PROVIDERS=configured):
            yield issuer


def _person(issuer: str, sub: str, **claims: Any) -> None:
    response = httpx.put(f"{issuer}/users/{quote(sub)}", json=claims)
    assert response.status_code == 204


def _to_provider(client: Client, path: str = "/logg-inn/oidc/larvik/") -> str:
    start = client.get(path)
    assert start.status_code == 302
    return str(start["Location"])


def _consent(authorize_url: str, sub: str) -> str:
    """What the person does at the provider: names themselves and authorizes. Returns the
    path (with code and state) the provider sends the browser back to."""
    answer = httpx.post(authorize_url, data={"sub": sub})
    assert answer.status_code in (302, 303), answer.text
    back = urlsplit(answer.headers["location"])
    assert back.path == "/logg-inn/oidc/larvik/svar/"
    return f"{back.path}?{back.query}"


def test_a_first_sign_in_makes_a_user_with_no_role_named_by_the_claims(
    provider: str, client: Client
) -> None:
    _person(provider, "kari-123", email="kari.nordmann@larvik.kommune.no", name="Kari Nordmann")
    assert "Logg inn med Larvik kommune" in client.get("/logg-inn/").content.decode()
    back = _consent(_to_provider(client), "kari-123")
    done = client.get(back)
    assert done.status_code == 302
    assert done["Location"] == "/"
    user = get_user_model().objects.get(external_identities__subject="kari-123")
    assert (user.email, user.first_name, user.last_name) == (
        "kari.nordmann@larvik.kommune.no",
        "Kari",
        "Nordmann",
    )
    assert not user.has_usable_password()
    assert not RoleAssignment.objects.filter(user=user).exists()
    # signed in, with no role: the public's pages, not the internal ones
    assert client.get("/konto/").status_code == 200
    assert client.get("/okonomi/fakturareferanser/").status_code == 404  # internal: not shown

    # the secretariat grants a role: the internal pages open
    RoleAssignment.objects.create(user=user, role=Role.READER)
    assert client.get("/okonomi/fakturareferanser/").status_code == 200

    # the second sign-in finds the same user
    client.logout()
    client.get(_consent(_to_provider(client), "kari-123"))
    assert get_user_model().objects.filter(external_identities__provider="larvik").count() == 1
    assert ExternalIdentity.objects.count() == 1


def test_an_address_another_user_has_is_not_taken_from_the_claims(
    provider: str, client: Client
) -> None:
    """One e-mail address a user (the contact page's rule): a first sign-in whose claims
    carry an address a local user has (in another case) signs in without it."""
    get_user_model().objects.create_user("kari", email="Kari.Nordmann@larvik.kommune.no")
    _person(provider, "kari-123", email="kari.nordmann@larvik.kommune.no", name="Kari Nordmann")
    assert client.get(_consent(_to_provider(client), "kari-123")).status_code == 302
    user = get_user_model().objects.get(external_identities__subject="kari-123")
    assert (user.email, user.first_name) == ("", "Kari")
    assert (
        get_user_model().objects.filter(email__iexact="kari.nordmann@larvik.kommune.no").count()
        == 1
    )


def test_the_providers_groups_grant_roles_by_the_mapping(
    provider: str, client: Client, larvik: Municipality
) -> None:
    _person(provider, "ola-7", email="ola@larvik.kommune.no", groups=["samarbeid-koordinator", "x"])
    client.get(_consent(_to_provider(client), "ola-7"))
    user = get_user_model().objects.get(external_identities__subject="ola-7")
    roles = list(RoleAssignment.objects.filter(user=user).values_list("role", "municipality"))
    assert roles == [(Role.COORDINATOR, larvik.pk)]


def test_a_wrong_state_is_refused(provider: str, client: Client) -> None:
    _person(provider, "kari-123", email="kari@larvik.kommune.no")
    back = _consent(_to_provider(client), "kari-123")
    forged = back.replace("state=", "state=x")
    refused = client.get(forged)
    assert refused.status_code == 400
    assert "Innloggingen ble avvist" in refused.content.decode()
    assert client.get("/konto/").status_code == 302  # not signed in
    assert not get_user_model().objects.exists()


def test_a_wrong_nonce_is_refused(provider: str, client: Client) -> None:
    _person(provider, "kari-123", email="kari@larvik.kommune.no")
    back = _consent(_to_provider(client), "kari-123")
    session = client.session
    states = [k for k in session.keys() if k.startswith("_state_larvik_")]  # noqa: SIM118 — a session is not iterable
    assert states
    for key in states:
        stored = session[key]
        stored["data"]["nonce"] = "not-the-nonce-sent"
        session[key] = stored
    session.save()
    refused = client.get(back)
    assert refused.status_code == 400
    assert client.get("/konto/").status_code == 302
    assert not get_user_model().objects.exists()


def test_a_code_used_twice_is_refused(provider: str, client: Client) -> None:
    _person(provider, "kari-123", email="kari@larvik.kommune.no")
    back = _consent(_to_provider(client), "kari-123")
    assert client.get(back).status_code == 302
    other = Client()
    assert other.get(back).status_code == 400  # the state is not in this browser's session


def test_an_unknown_provider_is_not_found_and_local_log_in_stays(client: Client) -> None:
    assert client.get("/logg-inn/oidc/ukjent/").status_code == 404
    page = client.get("/logg-inn/").content.decode()
    assert "Logg inn med" not in page  # none configured
    assert 'name="password"' in page


def test_sign_out_ends_the_session_here_and_at_the_provider(provider: str, client: Client) -> None:
    _person(provider, "kari-123", email="kari@larvik.kommune.no")
    client.get(_consent(_to_provider(client), "kari-123"))
    out = client.post("/logg-ut/")
    assert out.status_code == 200
    page = out.content.decode()
    assert "Du er logget ut" in page
    metadata = httpx.get(f"{provider}/.well-known/openid-configuration").json()
    if metadata.get("end_session_endpoint"):  # the page moves on to the provider's sign-out
        assert f'content="0;url={metadata["end_session_endpoint"]}' in page
    assert client.get("/konto/").status_code == 302
    # a local account's sign-out goes home, as before
    assert client.post("/logg-ut/")["Location"] == "/"


def test_tokens_and_secrets_never_reach_the_logs(
    provider: str, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    _person(provider, "kari-123", email="kari@larvik.kommune.no")
    with caplog.at_level(logging.DEBUG):
        back = _consent(_to_provider(client), "kari-123")
        client.get(back)
        id_token = client.session.get("oidc_id_token")
    assert id_token
    code = dict(part.split("=", 1) for part in back.split("?", 1)[1].split("&"))["code"]
    # the app's logs and its libraries' (not the test's own HTTP client, nor the provider's)
    ours = ("samarbeid", "django", "authlib", "requests", "urllib3", "axes")
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith(ours))
    assert "oidc_signed_in provider=larvik" in logged
    for secret in (SECRET, id_token, code):
        assert secret not in logged
