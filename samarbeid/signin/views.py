"""Sign in through an OpenID Connect provider, and sign out of it too."""

from __future__ import annotations

import logging
from typing import Any

from authlib.integrations.base_client.errors import OAuthError
from django.contrib.auth import login, logout
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samarbeid.signin.providers import Provider, client_for, configured
from samarbeid.signin.services import SignInRefused, user_for_claims

log = logging.getLogger(__name__)

SESSION_PROVIDER = "oidc_provider"
# for the provider's sign-out (id_token_hint); a session key's name, not a secret; not logged
SESSION_ID_TOKEN = "oidc_id_token"  # noqa: S105
SESSION_NEXT = "oidc_next"


def _provider(slug: str) -> Provider:
    provider = configured().get(slug)
    if provider is None:
        raise Http404(_("Ingen slik innloggingstjeneste."))
    return provider


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(
        request,
        "signin/refused.html",
        {"message": message, "providers": configured().values()},
        status=400,
    )


@require_GET
def start(request: HttpRequest, slug: str) -> HttpResponse:
    provider = _provider(slug)
    wanted = request.GET.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        request.session[SESSION_NEXT] = wanted
    callback = request.build_absolute_uri(reverse("signin:callback", args=[slug]))
    try:
        response: HttpResponse = client_for(provider).authorize_redirect(request, callback)
    except Exception as exc:  # the provider's discovery document did not answer
        log.warning("oidc_unreachable provider=%s error=%s", slug, type(exc).__name__)
        return _refused(request, _("Innloggingstjenesten svarer ikke nå. Prøv igjen senere."))
    return response


@require_GET
def callback(request: HttpRequest, slug: str) -> HttpResponse:
    provider = _provider(slug)
    try:
        token = client_for(provider).authorize_access_token(request)
    except OAuthError as exc:  # a wrong state, a refused consent, a bad or replayed ID token
        log.warning("oidc_refused provider=%s error=%s", slug, exc.error)
        return _refused(request, _("Innloggingen ble avvist. Prøv å logge inn på nytt."))
    except Exception as exc:  # the ID token's checks (nonce, issuer, signature) raise others
        log.warning("oidc_refused provider=%s error=%s", slug, type(exc).__name__)
        return _refused(request, _("Innloggingen ble avvist. Prøv å logge inn på nytt."))
    claims = token.get("userinfo")
    if not claims:  # no ID token checked against our nonce: never sign in on that
        log.warning("oidc_refused provider=%s error=no_id_token", slug)
        return _refused(request, _("Innloggingen ble avvist. Prøv å logge inn på nytt."))
    try:
        user = user_for_claims(provider, dict(claims))
    except SignInRefused:
        return _refused(request, _("Brukeren kan ikke logge inn her. Kontakt sekretariatet."))
    wanted = request.session.pop(SESSION_NEXT, "")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_PROVIDER] = slug
    if token.get("id_token"):
        request.session[SESSION_ID_TOKEN] = token["id_token"]
    log.info("oidc_signed_in provider=%s user=%s", slug, user.pk)
    return HttpResponseRedirect(wanted or "/")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Ends the session here and, where the provider offers it, at the provider. The way on
    to the provider is a page that moves on by itself (a redirect of the sign-out form's POST
    to another site would be a form action our Content-Security-Policy refuses)."""
    slug = request.session.get(SESSION_PROVIDER)
    id_token = request.session.get(SESSION_ID_TOKEN)
    logout(request)
    provider = configured().get(slug) if slug else None
    if provider is None:
        return redirect("/")
    client = client_for(provider)
    try:
        found = client.create_logout_url(
            post_logout_redirect_uri=request.build_absolute_uri("/"), id_token_hint=id_token
        )
    except Exception:  # no end-session endpoint, or the provider is down: ended here only
        return render(request, "signin/signed_out.html", {"provider": provider, "url": ""})
    return render(request, "signin/signed_out.html", {"provider": provider, "url": found["url"]})


class SignInView(LoginView):
    """The log-in page: "Logg inn med …" for each configured provider, and username and
    password for local accounts."""

    template_name = "core/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["providers"] = list(configured().values())
        return context
