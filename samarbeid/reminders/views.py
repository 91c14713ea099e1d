"""A person's reminder settings, and unsubscribing from the e-mail without signing in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from samarbeid.core.forms import save_changes, submit
from samarbeid.reminders.digest import prefs_for
from samarbeid.reminders.forms import ReminderSettingsForm
from samarbeid.reminders.mail import email_for_contact_token, user_for_token
from samarbeid.reminders.models import ContactOptOut, ReminderSettings
from samarbeid.reminders.services import save_settings


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest) -> HttpResponse:
    prefs = prefs_for(request.user)
    form = ReminderSettingsForm(request.POST or None, instance=prefs, user=request.user)
    result = submit(
        request,
        form,
        save_changes(request, form, save_settings),
        _("Innstillingene for påminnelser er lagret."),
    )
    if result.done:
        return redirect("reminders:settings")
    # after a conflict the form carries the stored version (core.forms.submit): what was
    # chosen stays, and saving again saves it over what the box shows
    stored: Any = result.conflict
    return render(
        request,
        "reminders/settings.html",
        {
            "form": form,
            "email": getattr(request.user, "email", ""),
            # the shared box: what is stored and what was chosen, field by field
            "conflict": form.as_offered(stored) if stored is not None else None,
        },
    )


# The token is the authority here, as the link must work without signing in (and a mail
# program's one-click unsubscribe, RFC 8058, posts without a CSRF token). A GET only asks:
# link scanners open links, and must not unsubscribe anyone.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user_id = user_for_token(token)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    if user is None:
        raise Http404(_("Lenken for å melde seg av er ikke gyldig."))
    prefs = prefs_for(user)
    with translation.override(_page_language(request, prefs.language)):
        if request.method == "POST":
            # the link is the authority (no form, no version): whatever is stored, never
            never = {"frequency": ReminderSettings.Frequency.NEVER}
            save_settings(prefs, never, expected_version=None, actor=user)
            response = render(request, "reminders/unsubscribed.html", {"email": user.email})
        else:
            context = {"email": user.email, "token": token}
            response = render(request, "reminders/unsubscribe.html", context)
        response["Content-Language"] = translation.get_language()
    return response


def _page_language(request: HttpRequest, own: str) -> str:
    """The page's language: ?lang= or the header's switch (the cookie) when used, else the
    language the link's owner chose (bokmål for an address that is no user's)."""
    chosen = request.GET.get("lang") or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    languages = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in languages else own


# The same for an address that is no user's (an invoice contact): the token names it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def contact_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    email = email_for_contact_token(token)
    if email is None:
        raise Http404(_("Lenken for å melde seg av er ikke gyldig."))
    done = request.method == "POST"
    if done:
        ContactOptOut.objects.get_or_create(email=email)
    with translation.override(_page_language(request, settings.LANGUAGE_CODE)):
        response = render(
            request,
            "reminders/contact_unsubscribe.html",
            {"email": email, "token": token, "done": done},
        )
        response["Content-Language"] = translation.get_language()
    return response
