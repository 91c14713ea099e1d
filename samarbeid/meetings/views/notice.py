"""The notice's pages: sending it, one sent outside, the notice as page, PDF and calendar."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from samarbeid.core.dates import shown
from samarbeid.core.forms import form_page, post_action
from samarbeid.meetings.forms import OutsideNoticeForm
from samarbeid.meetings.ics import meeting_to_ics
from samarbeid.meetings.models import Meeting
from samarbeid.meetings.seats import seated_members
from samarbeid.meetings.services.notice import (
    NoticeDelivery,
    notice_delivery,
    notice_possible,
    notice_refusal,
    outside_delivery,
    record_outside_notice,
    send_notice,
    unmailed_reason,
)
from samarbeid.meetings.views.common import (
    VersionForm,
    editable_meeting,
    pdf_bytes,
    pdf_response,
    said_with_delivery,
    valid_button,
    visible_meeting,
)
from samarbeid.meetings.views.meetings import agenda, meeting_context


@login_required
def notice_send(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Send innkalling": the GET asks (to how many members; the items get their numbers
    and stay on the agenda), the POST sends. What the service would refuse (nobody to send
    it to) is said on the page instead of the button."""
    meeting = editable_meeting(request, pk)
    if request.method != "POST":
        return _notice_confirmation(request, meeting)
    form = VersionForm(request.POST)

    def act() -> None:
        valid_button(form)
        send_notice(meeting, expected_version=form.cleaned_data["version"], actor=request.user)

    delivered: list[NoticeDelivery] = []

    def sent() -> str:
        said = _("Innkallingen er sendt, og sakene har fått sine nummer.")
        delivered.append(notice_delivery(meeting))
        return said_with_delivery(said, meeting, delivered[0])

    def reached_nobody() -> bool:  # sent, but no member got it by e-mail: a warning
        return not delivered[0].recipients

    return post_action(request, act, success=sent, then=meeting, warn=reached_nobody)


def _notice_confirmation(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    members = seated_members(meeting).count()
    refusal = notice_refusal(meeting)
    if refusal is None and not notice_possible(meeting):
        refusal = _("Innkallingen kan ikke sendes nå (status «%(s)s», møtedagen %(d)s).") % {
            "s": meeting.get_status_display(),
            "d": shown(meeting.date),
        }
    delivery = notice_delivery(meeting) if refusal is None else None
    unmailed = None
    if delivery is not None and not delivery.recipients:
        # told before, not only after: the notice is recorded as sent all the same
        why = unmailed_reason(meeting, delivery.mode, [], delivery.without_address)
        unmailed = _(
            "Merk: %(why)s, så ingen får innkallingen på e-post. Den blir likevel registrert "
            "som sendt, og sakene får nummer."
        ) % {"why": why}
    question = ngettext(
        "Send innkallingen til %(n)d medlem?",
        "Send innkallingen til %(n)d medlemmer?",
        members,
    ) % {"n": members}
    return render(
        request,
        "meetings/notice_confirm.html",
        {
            "meeting": meeting,
            "body": meeting.body,
            "question": question,
            "refusal": refusal,
            "unmailed": unmailed,
            "form": VersionForm(initial={"version": meeting.version}),
        },
    )


@login_required
def notice_outside(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Registrer innkalling sendt utenfor Samarbeid" (on paper, by the municipality's own
    e-mail): notice sent without any e-mail from here. The meeting page posts the day
    straight here; a refusal is said on this page's form, by its field."""
    meeting = editable_meeting(request, pk)
    form = OutsideNoticeForm(request.POST or None, meeting=meeting)
    return form_page(
        request,
        form,
        lambda: record_outside_notice(
            meeting,
            form.cleaned_data["sent_outside_on"],
            expected_version=form.cleaned_data["version"],
            actor=request.user,
        ),
        success=lambda _saved: outside_delivery(meeting).message,
        template="meetings/notice_outside_form.html",
        context={"meeting": meeting, "body": meeting.body},
        then=meeting,
    )


def _notice_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    return {
        **meeting_context(request, meeting),
        "members": list(seated_members(meeting)),
    }


@require_safe
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_meeting(request, pk)
    return render(request, "meetings/notice.html", _notice_context(request, meeting))


def printed_notice(meeting: Meeting) -> bytes:
    """The notice's PDF as the public reads it (a closed item's text left out), made
    without a request: the demo attaches it to its meetings as their notice document."""
    request = HttpRequest()
    request.user = AnonymousUser()
    return pdf_bytes("meetings/notice_pdf.html", _notice_context(request, meeting), None)


@require_safe
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_meeting(request, pk)
    return pdf_response(
        request,
        "meetings/notice_pdf.html",
        _notice_context(request, meeting),
        f"innkalling-{meeting.pk}.pdf",
    )


@require_safe
def notice_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_meeting(request, pk)
    body = meeting_to_ics(
        meeting,
        agenda(meeting),
        url=request.build_absolute_uri(meeting.get_absolute_url()),
        domain=request.get_host(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mote-{meeting.pk}.ics"'
    return response
