from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from samarbeid.accounts.api_auth import optional_token_user


class ApiTokenMiddleware:
    """Lets a bearer token identify the caller on every /api/ request, reads included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            optional_token_user(request)
        return self.get_response(request)
