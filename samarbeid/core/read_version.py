"""A page or API read asks for the data version (the key of every cached figure) in several
places: the header, the page's figures, the API's lists. It is read once a request."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from samarbeid.core.stamps import version_per_request

READS = frozenset({"GET", "HEAD", "OPTIONS"})


class VersionOncePerReadMiddleware:
    """Reads only: a write keys nothing on a version read before it (see stamps)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in READS:
            return self.get_response(request)
        with version_per_request():
            return self.get_response(request)
