"""The minutes' pages: the minutes and their PDF, attendance, treatment, votes, approval."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from samarbeid.accounts.permissions import is_internal
from samarbeid.core.forms import edit_page, form_page
from samarbeid.meetings.forms import ApproveForm, AttendanceForm, ItemMinutesForm, ItemVoteForm
from samarbeid.meetings.models import Meeting
from samarbeid.meetings.seats import seated_members
from samarbeid.meetings.services.attendance import nobody_seated, set_attendance
from samarbeid.meetings.services.minutes import (
    approve_minutes,
    minutes_refusal,
    participation_line,
    proposal_for,
    record_item_vote,
    recorded_participation,
    vote_municipalities,
    vote_refusal,
    write_item_minutes,
)
from samarbeid.meetings.views.common import (
    editable_item,
    editable_meeting,
    pdf_response,
    visible_meeting,
)
from samarbeid.meetings.views.meetings import meeting_context


def _minutes_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    """The minutes as `request.user` may read them: the public only approved minutes."""
    if meeting.status != Meeting.Status.MINUTES_APPROVED and not is_internal(request.user):
        raise Http404
    context = meeting_context(request, meeting)
    recorded = recorded_participation(context["items"])
    for item in context["items"]:
        item.participation_lines = [participation_line(row) for row in recorded.get(item.pk, [])]
    return {
        **context,
        "present": [
            row.member for row in meeting.attendance.select_related("member__municipality")
        ],
        "members": list(seated_members(meeting)),
        "minutes_open": meeting.status == Meeting.Status.HELD,
    }


@require_safe
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_meeting(request, pk)
    return render(request, "meetings/minutes.html", _minutes_context(request, meeting))


@require_safe
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_meeting(request, pk)
    return pdf_response(
        request,
        "meetings/minutes_pdf.html",
        _minutes_context(request, meeting),
        f"protokoll-{meeting.pk}.pdf",
    )


def _refused(request: HttpRequest, meeting: Meeting, heading: str, reason: str) -> HttpResponse:
    """A minutes page opened when its form cannot be used: the reason, not the form (the
    links to it are hidden then too)."""
    context = {"meeting": meeting, "body": meeting.body, "heading": heading, "reason": reason}
    return render(request, "meetings/refused.html", context)


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = editable_meeting(request, pk)
    reason = minutes_refusal(meeting)
    if reason and request.method != "POST":
        return _refused(request, meeting, _("Frammøte"), reason)
    initial = {"members": [row.member_id for row in meeting.attendance.all()]}
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,  # none ticked: an empty POST
        initial=initial,
        meeting=meeting,
    )

    def save() -> Any:
        return set_attendance(
            meeting,
            list(form.cleaned_data["members"]),
            actor=request.user,
            expected_version=form.cleaned_data["version"],
        )

    return form_page(
        request,
        form,
        save,
        success=_("Frammøtet er lagret."),
        template="meetings/attendance_form.html",
        context={"meeting": meeting, "body": meeting.body, "nobody_seated": nobody_seated(meeting)},
        then=reverse("meetings:minutes", args=[meeting.pk]),
    )


@login_required
def item_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    item = editable_item(request, pk)
    reason = minutes_refusal(item.meeting)
    if reason and request.method != "POST":
        heading = _("Behandlingen av %(ref)s %(t)s") % {"ref": item.reference, "t": item.title}
        return _refused(request, item.meeting, heading, reason)
    return edit_page(
        request,
        ItemMinutesForm(request.POST or None, instance=item),
        write_item_minutes,
        success=lambda saved: (
            _("Behandlingen av %(item)s er ført i protokollen.") % {"item": saved.named}
        ),
        template="meetings/item_minutes_form.html",
        context={
            "meeting": item.meeting,
            "body": item.meeting.body,
            "item": item,
            "proposal": proposal_for(item),
        },
        then=reverse("meetings:minutes", args=[item.meeting_id]) + f"#sak-{item.pk}",
    )


@login_required
def item_votes(request: HttpRequest, pk: int) -> HttpResponse:
    """The vote on an item that treats a case, per municipality with a seat in the body on
    the meeting's day (governance's votes: the case's decision follows)."""
    item = editable_item(request, pk)
    meeting = item.meeting
    if item.case_id is None:
        raise Http404
    reason = minutes_refusal(meeting) or vote_refusal(item)
    if reason and request.method != "POST":
        heading = _("Avstemningen om %(ref)s %(t)s") % {"ref": item.reference, "t": item.title}
        return _refused(request, meeting, heading, reason)
    municipalities = vote_municipalities(meeting)
    form = ItemVoteForm(
        request.POST or None, initial={"version": item.version}, municipalities=municipalities
    )
    return form_page(
        request,
        form,
        lambda: record_item_vote(
            item,
            form.votes(),
            voting_rule=form.cleaned_data["voting_rule"],
            expected_version=form.cleaned_data["version"],
            actor=request.user,
        ),
        success=lambda saved: (
            _("Avstemningen er ført: %(o)s.") % {"o": saved.get_outcome_display()}
        ),
        template="meetings/item_votes_form.html",
        context={"meeting": meeting, "body": meeting.body, "item": item},
        then=reverse("meetings:minutes", args=[meeting.pk]) + f"#sak-{item.pk}",
    )


@login_required
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = editable_meeting(request, pk)
    form = ApproveForm(
        request.POST or None,
        initial={"version": meeting.version, "approved_on": timezone.localdate()},
    )
    return form_page(
        request,
        form,
        lambda: approve_minutes(
            meeting,
            approved_on=form.cleaned_data["approved_on"],
            approved_by=form.cleaned_data["approved_by"],
            expected_version=form.cleaned_data["version"],
            actor=request.user,
        ),
        success=_("Protokollen er godkjent og publisert."),
        template="meetings/approve_form.html",
        context={"meeting": meeting, "body": meeting.body},
        then=reverse("meetings:minutes", args=[meeting.pk]),
    )
