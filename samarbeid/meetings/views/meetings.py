"""The pages of a meeting (plan, change, status, delete) and its agenda items."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from samarbeid.accounts.permissions import can_edit_arena
from samarbeid.core.forms import confirm_delete, edit_page, form_page, post_action
from samarbeid.core.public_cache import public_cache
from samarbeid.meetings.forms import ItemForm, MeetingForm, OutsideNoticeForm, StatusForm
from samarbeid.meetings.models import AgendaItem, Meeting
from samarbeid.meetings.services.meetings import (
    add_item,
    agenda_refusal,
    create_meeting,
    delete_item,
    delete_meeting,
    meeting_delete_refusal,
    update_item,
    update_meeting,
)
from samarbeid.meetings.services.minutes import vote_refusal
from samarbeid.meetings.services.notice import (
    change_delivery,
    notice_changes,
    notice_possible,
    outside_notice_possible,
    sent_record,
)
from samarbeid.meetings.services.status import allowed_statuses, change_status
from samarbeid.meetings.views.common import (
    VersionForm,
    editable_body,
    editable_item,
    editable_meeting,
    said_with_delivery,
    valid_button,
    visible_meeting,
)
from samarbeid.meetings.visibility import documents_for, withheld


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    body = editable_body(request, pk)
    form = MeetingForm(request.POST or None, instance=Meeting(body=body))
    return form_page(
        request,
        form,
        lambda: create_meeting(form.save(commit=False), actor=request.user),
        success=_("Møtet er registrert. Sett opp sakskartet."),
        template="meetings/meeting_form.html",
        context={"arena": body.arena, "body": body, "meeting": None},
    )


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = editable_meeting(request, pk)
    return edit_page(
        request,
        MeetingForm(request.POST or None, instance=meeting),
        update_meeting,
        success=lambda saved: said_with_delivery(
            _("Endringene er lagret."), saved, change_delivery(getattr(saved, "sent_change", None))
        ),
        template="meetings/meeting_form.html",
        context={"arena": meeting.body.arena, "body": meeting.body, "meeting": meeting},
    )


def agenda(meeting: Meeting) -> list[AgendaItem]:
    """The meeting's items in the agenda's order, with what each links to."""
    return list(
        meeting.items.select_related(
            "case", "project", "review_round", "strategic_plan", "decision"
        ).prefetch_related("decision__votes__municipality")
    )


def meeting_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    can_edit = can_edit_arena(request.user, meeting.body.arena)
    items = withheld(request.user, meeting, agenda(meeting))
    documents = documents_for(request.user, meeting, items)
    for item in items:
        item.shown_documents = [d for d in documents if d.item_id == item.pk]  # type: ignore[attr-defined]
        item.vote_refusal = vote_refusal(item)  # type: ignore[attr-defined]
    return {
        "items": items,
        "meeting_documents": [d for d in documents if d.item_id is None],
        "agenda_open": meeting.status in (Meeting.Status.PLANNED, Meeting.Status.NOTICE_SENT),
        # the amended and supplementary notices sent, and the items' texts changed since
        # the notice (sent to nobody), in the order they were made; the items marked
        "notice_changes": notice_changes(meeting, items, with_delivery=can_edit),
        # to whom the notice went, as kept when it was sent: the secretariat's (names)
        "notice_record": sent_record(meeting, meeting.notice_delivery, meeting.notice_sent_at)
        if can_edit
        else "",
        "meeting": meeting,
        "body": meeting.body,
        "arena": meeting.body.arena,
        "can_edit": can_edit,
        "notice_possible": notice_possible(meeting),
        "outside_notice_possible": outside_notice_possible(meeting),
        "outside_form": OutsideNoticeForm(meeting=meeting)
        if can_edit and outside_notice_possible(meeting)
        else None,
        "today": timezone.localdate(),
        "next_statuses": [
            (value, Meeting.Status(value).label)
            for value in allowed_statuses(meeting)
            if value in STATUS_BUTTONS
        ]
        if can_edit
        else [],
    }


# The statuses the status button sets; the notice and the minutes' approval have their own.
STATUS_BUTTONS = {Meeting.Status.HELD, Meeting.Status.CANCELLED, Meeting.Status.PLANNED}


@require_safe
@public_cache
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_meeting(request, pk)
    return render(request, "meetings/meeting_detail.html", meeting_context(request, meeting))


@login_required
@require_POST
def meeting_status(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = editable_meeting(request, pk)
    form = StatusForm(request.POST)

    def act() -> None:
        valid_button(form)
        if form.cleaned_data["status"] not in STATUS_BUTTONS:
            raise ValidationError(_("Velg en gyldig status."))
        change_status(
            meeting,
            form.cleaned_data["status"],
            expected_version=form.cleaned_data["version"],
            actor=request.user,
        )

    return post_action(
        request,
        act,
        success=lambda: _("Møtet har nå status «%(s)s».") % {"s": meeting.get_status_display()},
        then=meeting,
    )


@login_required
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = editable_meeting(request, pk)
    reason = agenda_refusal(meeting)
    if reason and request.method == "GET":
        # a held or cancelled meeting's agenda: back to the meeting, saying why (a post is
        # refused by the service all the same)
        messages.error(request, reason)
        return redirect(meeting)
    form = ItemForm(request.POST or None, instance=AgendaItem(meeting=meeting))
    return form_page(
        request,
        form,
        lambda: add_item(form.save(commit=False), actor=request.user),
        success=lambda item: said_with_delivery(
            capfirst(_("%(item)s er satt opp i sakskartet.") % {"item": item.named}),
            meeting,
            change_delivery(getattr(item, "sent_change", None)),
        ),
        template="meetings/item_form.html",
        context={"meeting": meeting, "body": meeting.body, "item": None},
        then=meeting,
    )


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = editable_item(request, pk)
    return edit_page(
        request,
        ItemForm(request.POST or None, instance=item),
        update_item,
        success=lambda saved: _("Endringene i %(item)s er lagret.") % {"item": saved.named},
        template="meetings/item_form.html",
        context={"meeting": item.meeting, "body": item.meeting.body, "item": item},
        then=item.meeting,
    )


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = editable_item(request, pk)
    form = VersionForm(request.POST)

    def act() -> None:
        valid_button(form)
        delete_item(item, expected_version=form.cleaned_data["version"], actor=request.user)

    # the message names the item as it was loaded, before the delete
    gone = capfirst(_("%(item)s er tatt ut av sakskartet.") % {"item": item.named})
    return post_action(request, act, success=gone, then=item.meeting)


def _items_in_words(count: int) -> str:
    """«ingen saker», «1 sak», «3 saker»."""
    if count == 0:
        return _("ingen saker")
    return ngettext("%(n)d sak", "%(n)d saker", count) % {"n": count}


@login_required
def meeting_delete(request: HttpRequest, pk: int) -> HttpResponse:
    editable_meeting(request, pk)  # refused (404, 403) before anything is shown
    return confirm_delete(
        request,
        "meetings/confirm_delete.html",
        load=lambda: visible_meeting(request, pk),
        delete=lambda m, version: delete_meeting(m, expected_version=version, actor=request.user),
        context=lambda m: {
            "question": _("Slett møtet %(m)s?") % {"m": m},
            "what": _(
                "Møtet slettes med sakskartet (%(items)s) og dokumentene (%(d)d). Bare "
                "planlagte og avlyste møter kan slettes; et avholdt møte med protokoll "
                "slettes aldri."
            )
            % {"items": _items_in_words(m.items.count()), "d": m.documents.count()},
            "refusal": meeting_delete_refusal(m),
            "cancel": m.get_absolute_url(),
        },
        success=_("Møtet er slettet."),
        done=lambda m: m.body.get_absolute_url(),
    )


# How many upcoming meetings /moter/ lists (a year of a few bodies' meetings), and how many
# of the past, newest first (older ones are on each body's page)
UPCOMING_SHOWN = 100
PAST_SHOWN = 20


@require_safe
@public_cache
def meeting_index(request: HttpRequest) -> HttpResponse:
    """Every meeting the user may see (the meeting pages' rule): the coming ones from today,
    soonest first, then the latest past ones, newest first. The same queries whatever the
    number of meetings (one per list, each with its bodies and arenas)."""
    today = timezone.localdate()
    visible = Meeting.objects.visible_to(request.user).select_related("body__arena")
    upcoming = list(
        visible.filter(date__gte=today).order_by("date", "start_time", "pk")[: UPCOMING_SHOWN + 1]
    )
    past = list(visible.filter(date__lt=today).order_by("-date", "-start_time", "-pk")[:PAST_SHOWN])
    return render(
        request,
        "meetings/meeting_index.html",
        {
            "upcoming": upcoming[:UPCOMING_SHOWN],
            "more_upcoming": len(upcoming) > UPCOMING_SHOWN,
            "upcoming_shown": UPCOMING_SHOWN,
            "past": past,
            "past_shown": PAST_SHOWN,
        },
    )
