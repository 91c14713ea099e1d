"""The API at /api/v1/: one NinjaAPI, each app mounts its Router. Errors are
application/problem+json (RFC 9457)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from samarbeid.accounts.api import router as accounts_router
from samarbeid.arenas.api import router as arenas_router
from samarbeid.core import api_messages
from samarbeid.core.api_forms import errors_by_field
from samarbeid.core.api_input import StrictJSONParser, harden_bodies
from samarbeid.core.api_schemas import Problem
from samarbeid.core.conflicts import Conflict, is_unique_violation
from samarbeid.core.versioning import VersionConflict
from samarbeid.finance.api import router as finance_router
from samarbeid.jobs.api import router as jobs_router
from samarbeid.meetings.api import router as meetings_router
from samarbeid.planning.api import router as planning_router
from samarbeid.portfolio.api import router as portfolio_router
from samarbeid.registry.api import router as registry_router
from samarbeid.reports.api import router as reports_router
from samarbeid.review.api import router as review_router
from samarbeid.strategy.api import router as strategy_router
from samarbeid.workshops.api import router as workshops_router

PROBLEM = "application/problem+json"


def _describe_problems(schema: dict[str, Any]) -> None:
    """Make the document say what the API does: errors are application/problem+json, any
    operation with input may answer 422, and any operation needing a token may answer 401."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Problem", Problem.model_json_schema())
    problem_body = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            # django-ninja keys an operation's declared answers by int (422), the document's
            # own additions by str ("422"): one key per status, or JSON holds it twice
            responses = operation["responses"] = {
                str(code): response for code, response in operation["responses"].items()
            }
            for code, response in responses.items():
                content = response.get("content", {})
                if int(code) >= 400 and "application/json" in content:
                    content[PROBLEM] = content.pop("application/json")
            if (operation.get("parameters") or operation.get("requestBody")) and (
                "422" not in responses
            ):
                responses["422"] = {"description": "Invalid request", "content": problem_body}
            if operation.get("security") and "401" not in responses:
                responses["401"] = {"description": "Unauthorized", "content": problem_body}


BODY_PROBLEMS = {
    "400": "The body is not JSON",
    "413": "The body is too large",
    "415": "The body is not application/json",
}

MULTIPART_PROBLEMS = {
    "400": "The body is not readable multipart/form-data",
    "413": "The body's fields are too large",
    "415": "The body is not multipart/form-data",
}


def _describe_body_problems(schema: dict[str, Any]) -> None:
    """Any operation that reads a body may answer 400 (unparsable), 413 and 415 (JSON, or
    multipart/form-data for an upload)."""
    problem_body = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if body:
                # an upload (a file) is multipart/form-data, read by Django's form parser
                multipart = "multipart/form-data" in body.get("content", {})
                problems = MULTIPART_PROBLEMS if multipart else BODY_PROBLEMS
                for code, description in problems.items():
                    operation["responses"].setdefault(
                        code, {"description": description, "content": problem_body}
                    )


class SamarbeidAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        _describe_problems(schema)
        _describe_body_problems(schema)
        return schema


api = SamarbeidAPI(
    title="Samarbeid API",
    version="1",
    description=(
        "Inter-municipal cooperation: municipalities (with their history), arenas, "
        "memberships and decisions. Dates are ISO 8601; money is a string with two decimals."
    ),
    urls_namespace="api",
    docs_url="/docs",
    # Swagger UI from ninja's bundled static files (ninja is in INSTALLED_APPS): no CDN,
    # no inline script, so it renders offline under the strict CSP.
    docs=Swagger(settings={"persistAuthorization": False, "tryItOutEnabled": False}),
    parser=StrictJSONParser(),
)


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
    messages = [api_messages.message(error) for error in exc.errors]
    errors = [
        {"loc": [str(part) for part in error.get("loc", [])], "msg": words}
        for error, words in zip(exc.errors, messages, strict=True)
    ]
    detail = "; ".join(dict.fromkeys(messages))
    return problem(request, 422, "Invalid request", detail, errors=errors)


@api.exception_handler(ValidationError)
def _invalid_data(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = errors_by_field(exc)
    # one message on two fields (a grant above the line's cost) is said once
    detail = "; ".join(dict.fromkeys(error["msg"] for error in errors))
    return problem(request, 422, "Invalid data", detail, errors=errors)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem(
        request, 403, "Forbidden", str(exc) or gettext("Du har ikke tilgang til å gjøre dette.")
    )


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(request, 401, "Unauthorized", gettext("Det trengs en gyldig API-nøkkel."))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    message = str(exc)
    if not message or message.endswith("matches the given query."):
        # Django's own words name the model in English ("No Project matches …")
        message = gettext("Finnes ikke.")
    return problem(request, 404, "Not found", message)


@api.exception_handler(VersionConflict)
def _conflict(request: HttpRequest, exc: VersionConflict) -> HttpResponse:
    current = getattr(exc.current, "version", None)
    return problem(
        request,
        409,
        "Conflict",
        gettext("Noen andre har endret dette siden du leste det. Les det på nytt."),
        current_version=current,
    )


# Two requests at once ------------------------------------------------------------------------
# A service that finds the record it was asked to make already made (by a request at the
# same moment) raises Conflict; one that did not foresee the clash meets the database's
# IntegrityError. Either is the caller's 409, with the problem described, never a 500.


@api.exception_handler(Conflict)
def _clash(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return problem(request, 409, "Conflict", str(exc.messages[0]))


@api.exception_handler(IntegrityError)
def _integrity(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    if is_unique_violation(exc):
        detail = gettext("Det samme ble lagret i samme øyeblikk, og kan bare finnes én gang.")
    else:
        detail = gettext("Forespørselen kolliderer med en endring lagret i samme øyeblikk.")
    return problem(request, 409, "Conflict", detail)


@api.exception_handler(OverflowError)
def _too_large(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    # e.g. an offset beyond what the database can represent
    return problem(
        request, 422, "Invalid request", gettext("Et tall i forespørselen er for stort.")
    )


@api.exception_handler(RequestDataTooBig)
def _body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return problem(
        request, 413, "Content too large", gettext("Innholdet i forespørselen er for stort.")
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja could not read the body (its words are English)
        return problem(request, 400, "Bad request", gettext("Innholdet kan ikke leses som JSON."))
    if exc.status_code == 403 and str(exc.message).startswith("CSRF"):  # ninja's words too
        return problem(
            request,
            403,
            "Forbidden",
            gettext(
                "Skriving med innloggingen fra nettleseren krever CSRF-nøkkelen i X-CSRFToken; "
                "et program bruker en API-nøkkel."
            ),
        )
    return problem(request, exc.status_code, str(exc.message))


api.add_router("/", registry_router)
api.add_router("/", arenas_router)
api.add_router("/", portfolio_router)
api.add_router("/", finance_router)
api.add_router("/", planning_router)
api.add_router("/", strategy_router)
api.add_router("/", review_router)
api.add_router("/", workshops_router)
api.add_router("/", reports_router)
api.add_router("/", meetings_router)
api.add_router("/", jobs_router)
api.add_router("/", accounts_router)

# every router mounted above, and the routers mounted inside them
harden_bodies([router for _prefix, router in api._routers])
