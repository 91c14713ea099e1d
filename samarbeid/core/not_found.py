"""An address that is not there: the product's 404 page, but under /api/ a problem+json
answer as every other API error (a client that mistyped a path got an HTML page)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.defaults import page_not_found

from samarbeid.core.not_allowed import API_PREFIX, api_problem


def not_found(
    request: HttpRequest, exception: Exception | None = None, **kwargs: Any
) -> HttpResponse:
    if not request.path.startswith(API_PREFIX):
        return page_not_found(request, exception)
    return api_problem(
        request, 404, "Not Found", "Ingen del av API-et har denne adressen; se /api/v1/docs."
    )
