"""A person's reminder settings, and unsubscribing from the e-mail without signing in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from samarbeid.reminders.digest import prefs_for
from samarbeid.reminders.forms import ReminderSettingsForm
from samarbeid.reminders.mail import email_for_contact_token, user_for_token
from samarbeid.reminders.models import ContactOptOut, ReminderSettings


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest) -> HttpResponse:
    prefs = prefs_for(request.user)
    form = ReminderSettingsForm(request.POST or None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Innstillingene for påminnelser er lagret."))
        return redirect("reminders:settings")
    return render(
        request,
        "reminders/settings.html",
        {"form": form, "email": getattr(request.user, "email", "")},
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
    if request.method == "POST":
        prefs = prefs_for(user)
        prefs.frequency = ReminderSettings.Frequency.NEVER
        prefs.save()
        return render(request, "reminders/unsubscribed.html", {"email": user.email})
    return render(request, "reminders/unsubscribe.html", {"email": user.email, "token": token})


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
    return render(
        request,
        "reminders/contact_unsubscribe.html",
        {"email": email, "token": token, "done": done},
    )
