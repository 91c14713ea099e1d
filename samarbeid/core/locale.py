from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language


class ChosenLanguageMiddleware:
    """Bokmål unless the user chose English (the header's language button sets a cookie;
    `?lang=en` works for links). The browser's Accept-Language is deliberately ignored:
    many Norwegian officials run English browsers but expect the Norwegian interface."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.GET.get("lang") or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def _same_origin(request: HttpRequest) -> bool:
    """Whether the browser says the form came from this site (or says nothing: a client
    that is no browser). As Django's CSRF check reads the Origin header."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    own = f"{'https' if request.is_secure() else 'http'}://{request.get_host()}"
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS


@csrf_exempt
@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """The header's language button: Django's set_language, without a CSRF token in the
    form, so that a public page holds nothing of its reader's and can be cached whole
    (core.public_cache). A language is no state worth forging, and a form on another site
    still cannot choose it: the browser names the form's origin, and another is refused."""
    if not _same_origin(request):
        raise PermissionDenied
    response: HttpResponse = set_language(request)
    return response
