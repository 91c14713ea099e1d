"""PostgreSQL cannot store the NUL character in text, and no user means to send one:
refuse it at the door with a clear error instead of failing deep in the database."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext

from samarbeid.core.not_allowed import API_PREFIX, api_problem


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get(
        "QUERY_STRING", ""
    ):
        return True
    user = getattr(request, "user", None)
    if request.method in ("POST", "PUT", "PATCH") and user is not None and user.is_authenticated:
        # An anonymous write is refused (401) before its body is read.
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("application/json"):
            return b"\x00" in request.body or b"\\u0000" in request.body
        if content_type.startswith("application/x-www-form-urlencoded"):
            return b"%00" in request.body or b"\x00" in request.body
        # multipart uploads may carry binary files; their text fields are checked by forms
    return False


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            if request.path.startswith(API_PREFIX):
                return api_problem(
                    request,
                    422,
                    "Invalid request",
                    gettext("Teksten kan ikke inneholde NUL-tegnet."),
                )
            return HttpResponseBadRequest(gettext("Teksten kan ikke inneholde NUL-tegnet."))
        return self.get_response(request)
