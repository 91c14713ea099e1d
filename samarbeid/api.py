"""The API at /api/v1/: one NinjaAPI, each app mounts its Router. Errors are
application/problem+json (RFC 9457)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from samarbeid.arenas.api import router as arenas_router
from samarbeid.core.versioning import VersionConflict
from samarbeid.finance.api import router as finance_router
from samarbeid.portfolio.api import router as portfolio_router
from samarbeid.registry.api import router as registry_router
from samarbeid.reports.api import router as reports_router
from samarbeid.review.api import router as review_router
from samarbeid.strategy.api import router as strategy_router
from samarbeid.workshops.api import router as workshops_router

api = NinjaAPI(
    title="Samarbeid API",
    version="1",
    description=(
        "Inter-municipal cooperation: municipalities (with their history), arenas, "
        "memberships and decisions. Dates are ISO 8601; money is a string with two decimals."
    ),
    urls_namespace="api",
    docs_url="/docs",
)

PROBLEM = "application/problem+json"


def problem(
    request: HttpRequest, status: int, title: str, detail: str = "", **extra: Any
) -> HttpResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body["instance"] = request.path
    body.update(extra)
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM
    return response


@api.exception_handler(NinjaValidationError)
def _invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"loc": [str(part) for part in error.get("loc", [])], "msg": str(error.get("msg", ""))}
        for error in exc.errors
    ]
    return problem(request, 422, "Invalid request", "Some parameters are not valid.", errors=errors)


@api.exception_handler(ValidationError)
def _invalid_data(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"loc": [field], "msg": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"loc": [], "msg": str(message)} for message in exc.messages]
    detail = "; ".join(error["msg"] for error in errors)
    return problem(request, 422, "Invalid data", detail, errors=errors)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem(request, 403, "Forbidden", str(exc) or "You may not do this.")


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(request, 401, "Unauthorized", "A valid API token is required.")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(request, 404, "Not found", str(exc) or "No such resource.")


@api.exception_handler(VersionConflict)
def _conflict(request: HttpRequest, exc: VersionConflict) -> HttpResponse:
    current = getattr(exc.current, "version", None)
    return problem(
        request, 409, "Conflict", "The record was changed by someone else.", current_version=current
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(request, exc.status_code, str(exc.message))


api.add_router("/", registry_router)
api.add_router("/", arenas_router)
api.add_router("/", portfolio_router)
api.add_router("/", finance_router)
api.add_router("/", strategy_router)
api.add_router("/", review_router)
api.add_router("/", workshops_router)
api.add_router("/", reports_router)
