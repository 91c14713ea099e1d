"""Whole public responses cached per data version (core.public_cache, issue 20 point 4): a
write through a service shows on the next anonymous read; a signed-in user, an API token and
each language get their own answer; a cached hit costs at most two queries; a response
bound to its reader (a CSRF token, a cookie, a session write) is never kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from conftest import bearer, login
from samarbeid.arenas.models import Arena
from samarbeid.arenas.services import update_arena
from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.core import stamps
from samarbeid.core.public_cache import public_cache

pytestmark = pytest.mark.django_db


def _rename(arena: Arena, name: str, actor: Any) -> None:
    arena.refresh_from_db()
    update_arena(arena, {"name": name}, expected_version=arena.version, actor=actor)


@pytest.mark.parametrize("page", ["/arenaer/", "/arenaer/{pk}/", "/api/v1/arenas"])
def test_a_write_through_the_service_shows_on_the_next_anonymous_read(
    client: Client, secretariat: Any, page: str
) -> None:
    arena = ArenaFactory(name="Gammelt arenanavn")
    path = page.format(pk=arena.pk)
    assert "Gammelt arenanavn" in client.get(path).content.decode()
    assert "Gammelt arenanavn" in client.get(path).content.decode()  # from the cache

    _rename(arena, "Nytt arenanavn", secretariat)

    text = client.get(path).content.decode()
    assert "Nytt arenanavn" in text
    assert "Gammelt arenanavn" not in text


@pytest.mark.parametrize("page", ["/arenaer/", "/arenaer/{pk}/", "/api/v1/arenas"])
def test_a_cached_hit_costs_at_most_two_queries(
    client: Client, django_assert_max_num_queries: Any, page: str
) -> None:
    path = page.format(pk=ArenaFactory().pk)
    first = client.get(path)
    assert first.status_code == 200
    with django_assert_max_num_queries(2):
        again = client.get(path)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert "Cookie" in again["Vary"]
    # the browser asking with the ETag: 304, no body
    assert client.get(path, headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_a_signed_in_user_never_gets_the_anonymous_page(client: Client, secretariat: Any) -> None:
    anonymous = client.get("/arenaer/").content.decode()
    assert "Logg inn" in anonymous

    signed_in = login(client, secretariat).get("/arenaer/").content.decode()
    assert "Logg ut (sekretariat)" in signed_in
    assert "Min side" in signed_in

    client.logout()
    assert "Min side" not in client.get("/arenaer/").content.decode()


def test_an_anonymous_reader_never_gets_a_signed_in_users_page(secretariat: Any) -> None:
    ArenaFactory(name="Intern arena under vurdering", published=False)
    signed_in = login(Client(), secretariat).get("/arenaer/").content.decode()
    assert "Intern arena under vurdering" in signed_in
    anonymous = Client().get("/arenaer/").content.decode()
    assert "Intern arena under vurdering" not in anonymous
    assert "Min side" not in anonymous


def test_an_api_token_is_answered_for_its_user_not_from_the_cache(
    client: Client, secretariat: Any
) -> None:
    ArenaFactory(name="Intern arena under vurdering", published=False)
    assert "Intern arena under vurdering" not in client.get("/api/v1/arenas").content.decode()
    with_token = client.get("/api/v1/arenas", headers=bearer(secretariat)).content.decode()
    assert "Intern arena under vurdering" in with_token


def test_english_and_bokmal_are_cached_apart(client: Client) -> None:
    ArenaFactory()
    assert '<html lang="nb"' in client.get("/arenaer/").content.decode()
    assert '<html lang="en"' in client.get("/arenaer/?lang=en").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/arenaer/")
    assert '<html lang="en"' in english.content.decode()
    assert english["Content-Language"] == "en"
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert '<html lang="nb"' in client.get("/arenaer/").content.decode()


def test_a_public_page_holds_no_token_and_sets_no_cookie(client: Client) -> None:
    ArenaFactory()
    for _ in range(2):  # built, then from the cache
        response = client.get("/arenaer/")
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert not response.cookies


def test_the_language_switch_takes_no_token_but_refuses_another_site() -> None:
    client = Client(enforce_csrf_checks=True)
    chosen = client.post("/i18n/setlang/", {"language": "en", "next": "/arenaer/"})
    assert chosen.status_code == 302
    assert chosen.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    same_site = client.post(
        "/i18n/setlang/",
        {"language": "nb", "next": "/"},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    assert same_site.status_code == 302
    for headers in ({"Origin": "https://angriper.example"}, {"Sec-Fetch-Site": "cross-site"}):
        refused = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, headers=headers)
        assert refused.status_code == 403
        assert settings.LANGUAGE_COOKIE_NAME not in refused.cookies


# What is never kept: the view is asked again each time.


def _counting(answer: Any) -> tuple[Any, list[int]]:
    calls: list[int] = []

    @public_cache
    def view(request: HttpRequest) -> HttpResponse:
        calls.append(1)
        response: HttpResponse = answer(request)
        return response

    return view, calls


def _get(view: Any, **cookies: str) -> HttpResponse:
    request = RequestFactory().get("/offentlig/")
    request.user = AnonymousUser()
    request.COOKIES.update(cookies)
    response: HttpResponse = view(request)
    return response


def _with_token(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<input name='csrfmiddlewaretoken' value='{get_token(request)}'>")


def _with_cookie(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("side")
    response.set_cookie("valgt", "1")
    return response


@pytest.mark.parametrize(
    "answer",
    [
        _with_token,
        _with_cookie,
        lambda request: HttpResponse("finnes ikke", status=404),
        lambda request: HttpResponse("flyttet", status=302),
    ],
    ids=["csrf-token", "cookie", "404", "302"],
)
def test_a_response_bound_to_its_reader_or_not_200_is_never_kept(answer: Any) -> None:
    view, calls = _counting(answer)
    _get(view)
    _get(view)
    assert len(calls) == 2


def test_a_plain_public_response_is_kept_and_a_session_is_answered_by_the_view() -> None:
    view, calls = _counting(lambda request: HttpResponse("offentlig side"))
    assert _get(view).content == b"offentlig side"
    assert _get(view).content == b"offentlig side"
    assert len(calls) == 1  # the second from the cache
    _get(view, **{settings.SESSION_COOKIE_NAME: "noe"})
    _get(view, messages="noe")
    assert len(calls) == 3


def test_the_version_read_once_is_read_afresh_after_a_write(
    secretariat: Any, django_assert_num_queries: Any
) -> None:
    arena = ArenaFactory()
    with stamps.read_once() as version:
        with django_assert_num_queries(0):
            assert stamps.current_version() == version
        _rename(arena, "Omdøpt arena", secretariat)
        assert stamps.current_version() != version
