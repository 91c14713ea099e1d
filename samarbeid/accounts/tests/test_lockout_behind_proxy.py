"""Behind the reverse proxy the lock-out cannot be turned against users (issue 23, point 7):
the client's address is the one the trusted proxy wrote, not what the client wrote, and
five bad passwords lock only that address and user name together."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from samarbeid.accounts.client_address import client_address

PROXY = "10.0.0.1"  # every request reaches the app from the proxy


def seen(forwarded: str | None, remote: str = PROXY) -> str | None:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_spoofed_leftmost_forwarded_address_does_not_change_the_address_used() -> None:
    assert seen("203.0.113.5") == "203.0.113.5"
    assert seen("6.6.6.6, 203.0.113.5") == "203.0.113.5"
    assert seen("1.2.3.4, 9.9.9.9,203.0.113.5") == "203.0.113.5"
    assert seen("not-an-address, 203.0.113.5") == "203.0.113.5"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_with_two_proxies_the_address_the_outer_proxy_wrote() -> None:
    assert seen("6.6.6.6, 203.0.113.5, 10.0.0.7") == "203.0.113.5"
    assert seen("10.0.0.7") == PROXY  # not through both proxies: the connection's address


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_garbage_from_the_proxy_falls_back_to_the_connection() -> None:
    assert seen(None) == PROXY
    assert seen("") == PROXY
    assert seen("6.6.6.6, garbage") == PROXY


def test_without_a_trusted_proxy_the_header_is_ignored() -> None:
    assert seen("6.6.6.6", remote="198.51.100.2") == "198.51.100.2"


def log_in(client: Client, address: str, password: str, spoof: str = "") -> int:
    """A log-in through the proxy for a client at `address`, which may put anything in
    front of it in X-Forwarded-For."""
    forwarded = f"{spoof}, {address}" if spoof else address
    response = client.post(
        reverse("login"),
        {"username": "sekretariat", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    return response.status_code


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_five_failures_lock_only_that_address_and_user(secretariat: Any) -> None:
    attacker = Client()
    for attempt in range(4):
        assert log_in(attacker, "203.0.113.66", "feil", spoof=f"198.51.100.{attempt}") == 200
    assert log_in(attacker, "203.0.113.66", "feil", spoof="198.51.100.99") == 429
    # The attacker's address is locked for this user, whatever it writes in front.
    assert log_in(Client(), "203.0.113.66", "test-pass-123", spoof="203.0.113.10") == 429
    # The real user, from the office, behind the same proxy, still logs in.
    office = Client()
    assert log_in(office, "203.0.113.10", "test-pass-123") == 302
    assert "_auth_user_id" in office.session
