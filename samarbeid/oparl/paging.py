"""OParl's answers: JSON in bokmål, a list's filters and paging read from the request."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from samarbeid.oparl import queries
from samarbeid.oparl.objects import Urls

PAGE_SIZE = 100  # the standard recommends paging lists longer than 100
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")
View = Callable[..., HttpResponse]


class BadRequest(Exception):
    pass


def json_response(data: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # the standard requires CORS
    return response


def not_found() -> JsonResponse:
    """OParl's answer for what is not there (or not public): 404 with its JSON error."""
    return json_response({"error": "not found"}, status=404)


def oparl_view(view: View) -> View:
    """GET/HEAD only, in bokmål whatever the caller's language, errors as JSON."""

    @require_safe
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with translation.override("nb"):
            try:
                return view(request, *args, **kwargs)
            except BadRequest as exc:
                return json_response({"error": str(exc)}, status=400)
            except Http404:
                return not_found()

    return wrapped


def request_urls(request: HttpRequest) -> Urls:
    return Urls(
        base=request.build_absolute_uri(reverse("oparl:system")),
        site=request.build_absolute_uri("/"),
    )


def _when(request: HttpRequest, name: str) -> datetime | None:
    value = request.GET.get(name)
    if not value:
        return None
    try:
        found = datetime.fromisoformat(value.replace(" ", "+"))  # an unencoded "+" reads as " "
    except ValueError as exc:
        raise BadRequest(f"{name}: not an ISO 8601 date-time: {value!r}") from exc
    return found if timezone.is_aware(found) else timezone.make_aware(found)


def request_period(request: HttpRequest) -> queries.Period:
    return queries.Period(**{name: _when(request, name) for name in FILTERS})


def _number(request: HttpRequest, name: str, default: int, maximum: int) -> int:
    value = request.GET.get(name)
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or len(value) > 9 or int(value) < 1:
        raise BadRequest(f"{name}: a positive whole number")
    return min(int(value), maximum)


Rows = QuerySet[Any] | Sequence[Any]


def paged(
    request: HttpRequest,
    rows: Rows,
    render: Callable[[Any], dict[str, Any]],
    deleted: Sequence[dict[str, Any]] = (),
) -> JsonResponse:
    """One page of `rows` (then the `deleted` tombstones) with pagination and links."""
    limit = _number(request, "limit", PAGE_SIZE, PAGE_SIZE)
    page = _number(request, "page", 1, 10**9)
    live = rows.count() if isinstance(rows, QuerySet) else len(rows)
    total = live + len(deleted)
    pages = max(1, math.ceil(total / limit))
    start, end = (page - 1) * limit, page * limit
    data = [render(row) for row in rows[start:end]] if start < live else []
    data += list(deleted[max(0, start - live) : max(0, end - live)])
    kept = [(k, v) for k, v in request.GET.items() if k != "page"]
    base = request.build_absolute_uri(request.path)

    def link(number: int) -> str:
        params = kept + ([("page", str(number))] if number > 1 else [])
        return f"{base}?{urlencode(params)}" if params else base

    links = {"first": link(1), "self": link(page), "last": link(pages)}
    if page > 1:
        links["prev"] = link(min(page - 1, pages))
    if page < pages:
        links["next"] = link(page + 1)
    pagination = {
        "totalElements": total,
        "elementsPerPage": limit,
        "currentPage": page,
        "totalPages": pages,
    }
    return json_response({"data": data, "pagination": pagination, "links": links})
