"""Two users doing the same thing at once: the loser gets a conflict, never a server error.

A service that finds (or is told by the database) that what it was asked to make already
exists, because someone else made it a moment before, raises `Conflict`. It is a
ValidationError, so a page shows it as the form's error as any refusal; the API answers it
with 409 (samarbeid.api). What a service does not foresee is caught as the database's
IntegrityError: the API answers 409 for it too, and a page answers with a short page
saying what happened (`IntegrityErrorMiddleware`), not a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

SAME_MOMENT = _("Noen andre lagret det samme i samme øyeblikk. Last siden på nytt og se.")


class Conflict(ValidationError):
    """What was asked for clashes with what another user saved a moment before."""

    def __init__(self, message: Any = SAME_MOMENT) -> None:
        super().__init__(message, code="conflict")


def is_unique_violation(exc: IntegrityError) -> bool:
    """The database refused a second record where only one may be (PostgreSQL's SQLSTATE
    23505, SQLite's "UNIQUE constraint failed"), not some other integrity rule."""
    cause = exc.__cause__
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if state is not None:
        return bool(state == "23505")
    return "UNIQUE constraint failed" in str(exc)


class IntegrityErrorMiddleware:
    """Pages: an IntegrityError that escaped the services (someone saved the same thing at
    the same moment) answers 409 with a page that says so, instead of a server error. The
    API has its own answer (samarbeid.api)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, IntegrityError | Conflict):
            return None
        message = exception.messages[0] if isinstance(exception, Conflict) else SAME_MOMENT
        return render(request, "core/conflict.html", {"message": message}, status=409)
