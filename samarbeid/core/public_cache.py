"""Whole public responses, cached until the data changes.

The public list and detail pages and the API lists cost 10–30 ms of CPU each to build; with
many anonymous readers at once, most of that is the same page built again. `public_cache`
keeps the whole response of an anonymous GET in the "pages" cache (Redis when REDIS_URL is
set, so every app server shares it), keyed by the host, the path with its query string, the
language, today's date (pages say who is a member *now*) and the data version
(core.stamps): every write through the write path raises the version, so the next read
builds the page afresh, on every server. Entries of old versions expire (stamps.TIMEOUT),
which also bounds what a write outside the write path leaves stale.

What is never served from the cache, nor put in it (the view answers as before):

* a request from a signed-in user or with an API token, a request that is not GET, an htmx
  request (it may get a part of the page), and a request carrying any cookie but the
  language's and the CSRF cookie (a session, messages waiting);
* a response that is not 200, streams, sets a cookie, used the CSRF token (a form with a
  token bound to the reader's cookie), wrote the session, queued a message or used a CSP
  nonce.

Responses of both kinds vary on Cookie for caches on the way; a cached response carries an
ETag, so a browser asking again with it gets 304 (Django's conditional GET).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.translation import get_language

from samarbeid.core.stamps import TIMEOUT, read_once

PAGES = "pages"  # the cache alias (settings.CACHES)

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def _allowed_cookies() -> set[str]:
    return {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}


def anonymous_read(request: HttpRequest) -> bool:
    """Whether the request is an anonymous reader's GET that the cache may answer."""
    if request.method != "GET" or "HX-Request" in request.headers:
        return False
    if "Authorization" in request.headers or set(request.COOKIES) - _allowed_cookies():
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def page_key(request: HttpRequest, version: int) -> str:
    """The cache key of the request's response under the data version `version`."""
    described = repr(
        (
            request.get_host(),
            request.get_full_path(),
            get_language() or "",
            timezone.localdate().isoformat(),
        )
    ).encode()
    return f"page:{version}:{hashlib.sha256(described).hexdigest()}"


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or getattr(request, "_csp_nonce", None):
        return False  # the page holds a token or nonce of this request
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    return not (messages is not None and len(messages))


def _answer(request: HttpRequest, response: HttpResponse) -> HttpResponseBase:
    patch_vary_headers(response, ("Cookie",))
    answer = get_conditional_response(request, etag=response.get("ETag"), response=response)
    return cast(HttpResponseBase, answer)


def public_cache(view: View) -> View:
    """Answer anonymous reads of `view` from the shared cache of public responses (see the
    module's text); everyone else gets the view's own answer."""

    @wraps(view)
    def cached_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not anonymous_read(request):
            return view(request, *args, **kwargs)
        pages = caches[PAGES]
        # the version read once (one query), for the key and for the figures the view reads
        with read_once() as version:
            key = page_key(request, version)
            found = pages.get(key)
            if found is not None:
                status, headers, content = found
                return _answer(request, HttpResponse(content, status=status, headers=headers))
            response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponse) or not _storable(request, response):
            return response
        set_response_etag(response)
        pages.set(key, (response.status_code, dict(response.items()), response.content), TIMEOUT)
        return _answer(request, response)

    return cast(View, cached_view)
