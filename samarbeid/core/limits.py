"""A request body larger than Django accepts (DATA_UPLOAD_MAX_MEMORY_SIZE) answers 413 at
the door: application/problem+json in the API, a short page elsewhere. Without this, Django
raises RequestDataTooBig wherever the body is first read (400 or 500). File uploads
(multipart) are left to Django's own limits."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext

from samarbeid.core.not_allowed import API_PREFIX, api_problem


def _too_large(request: HttpRequest) -> bool:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None or request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
        return False
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > limit


class RequestSizeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _too_large(request):
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            detail = gettext("Innholdet i forespørselen er for stort.")
            return api_problem(request, 413, "Content too large", detail)
        return HttpResponse(render_to_string("core/too_large.html", request=None), status=413)
