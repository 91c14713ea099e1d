"""A page's address asked with a method it does not take (a POST-only action opened by
hand or from a bookmark) answers 405 with a page in the product's look saying what the
address is for and a way back, not Django's blank 405 (a clerk's trial). The API's 405
(django-ninja answers it as text/html "Method not allowed") is said in the API's format."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

API_PREFIX = "/api/"


def api_problem(request: HttpRequest, status: int, title: str, detail: str) -> HttpResponse:
    """An API error answered before the API itself (middleware, the 404 handler), in the
    API's format: application/problem+json (RFC 9457)."""
    response = JsonResponse(
        {
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": detail,
            "instance": request.path,
        },
        status=status,
    )
    response["Content-Type"] = "application/problem+json"
    return response


def _back(request: HttpRequest) -> str | None:
    """The page the clerk came from, when it is on this site."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return None


class NotAllowedPageMiddleware:
    """An empty 405 from a page (`require_POST` and the like) becomes the 405 page, and the
    API's 405 a problem description; the `Allow` header stays."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        if request.path.startswith(API_PREFIX):
            said = gettext("Adressen tar ikke imot %(method)s, bare %(allow)s.") % {
                "method": request.method,
                "allow": response["Allow"],
            }
            problem = api_problem(request, 405, "Method not allowed", said)
            problem["Allow"] = response["Allow"]
            return problem
        if response.content:
            return response
        page = render(request, "405.html", {"back": _back(request)}, status=405)
        page["Allow"] = response["Allow"]
        return page
