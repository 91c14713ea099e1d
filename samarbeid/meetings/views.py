"""An arena's bodies and their meetings (/moter/...). Everyone reads the bodies of published
arenas and their published meetings; internal users read everything; the arena's
secretariat writes (403 for other signed-in users, the log-in page for the anonymous; 404
for what a user may not see)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from samarbeid.accounts.permissions import can_edit_arena, is_internal
from samarbeid.arenas.models import Arena
from samarbeid.core.forms import (
    confirm_delete,
    edit_page,
    form_page,
    post_action,
    version_field,
)
from samarbeid.core.pdf import html_to_pdf
from samarbeid.meetings.forms import (
    ApproveForm,
    AttendanceForm,
    BodyForm,
    DocumentForm,
    ItemForm,
    ItemMinutesForm,
    ItemVoteForm,
    MeetingForm,
    MemberForm,
    OutsideNoticeForm,
    StatusForm,
)
from samarbeid.meetings.ics import meeting_to_ics
from samarbeid.meetings.models import (
    AgendaItem,
    Body,
    BodyMember,
    Meeting,
    MeetingDocument,
    NoticeChange,
)
from samarbeid.meetings.seats import seated_members
from samarbeid.meetings.services import (
    NoticeDelivery,
    add_document,
    add_item,
    add_member,
    allowed_statuses,
    approve_minutes,
    body_delete_refusal,
    change_delivery,
    change_status,
    create_body,
    create_meeting,
    delete_body,
    delete_document,
    delete_item,
    delete_meeting,
    delete_member,
    is_long,
    meeting_delete_refusal,
    member_delete_refusal,
    minutes_refusal,
    notice_delivery,
    notice_possible,
    outside_delivery,
    outside_notice_possible,
    participation_line,
    record_item_vote,
    record_outside_notice,
    recorded_participation,
    send_notice,
    sent_record,
    set_attendance,
    update_body,
    update_item,
    update_meeting,
    update_member,
    vote_municipalities,
    vote_refusal,
    write_item_minutes,
)
from samarbeid.meetings.signals import AMENDED, SUPPLEMENTARY
from samarbeid.meetings.visibility import documents_for, may_see_document, may_write, withheld

MEETINGS_SHOWN = 50


def _arena(request: HttpRequest, pk: int) -> Arena:
    return get_object_or_404(Arena.objects.visible_to(request.user), pk=pk)


def _body(request: HttpRequest, pk: int) -> Body:
    return get_object_or_404(Body.objects.visible_to(request.user).select_related("arena"), pk=pk)


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("body__arena"), pk=pk
    )


def _member(request: HttpRequest, pk: int) -> BodyMember:
    member = get_object_or_404(BodyMember.objects.select_related("municipality"), pk=pk)
    member.body = _body(request, member.body_id)
    return member


def _valid(form: forms.Form) -> None:
    """A button's form, validated: its errors (a missing version) said as the refusal."""
    if not form.is_valid():
        raise ValidationError([str(e) for errors in form.errors.values() for e in errors])


def _writer(request: HttpRequest, arena: Arena) -> None:
    may_write(request.user, arena)  # refused: the 403 page says only the secretariat may


@require_safe
def body_list(request: HttpRequest, arena_pk: int) -> HttpResponse:
    arena = _arena(request, arena_pk)
    bodies = (
        Body.objects.visible_to(request.user)
        .filter(arena=arena)
        .annotate(meeting_count=Count("meetings"))
    )
    meetings = (
        Meeting.objects.visible_to(request.user)
        .filter(body__arena=arena)
        .select_related("body")[:MEETINGS_SHOWN]
    )
    return render(
        request,
        "meetings/body_list.html",
        {
            "arena": arena,
            "bodies": bodies,
            "meetings": meetings,
            "can_edit": can_edit_arena(request.user, arena),
        },
    )


@require_safe
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    body = _body(request, pk)
    return render(
        request,
        "meetings/body_detail.html",
        {
            "body": body,
            "arena": body.arena,
            "members": body.members.select_related("municipality").prefetch_related(
                "municipality__successor_links"
            ),
            "meetings": Meeting.objects.visible_to(request.user).filter(body=body)[:MEETINGS_SHOWN],
            "can_edit": can_edit_arena(request.user, body.arena),
        },
    )


@login_required
def body_create(request: HttpRequest, arena_pk: int) -> HttpResponse:
    arena = _arena(request, arena_pk)
    _writer(request, arena)
    form = BodyForm(request.POST or None, instance=Body(arena=arena))
    return form_page(
        request,
        form,
        lambda: create_body(form.save(commit=False), actor=request.user),
        success=_("Organet er registrert. Legg inn medlemmene."),
        template="meetings/body_form.html",
        context={"arena": arena, "body": None},
    )


@login_required
def body_edit(request: HttpRequest, pk: int) -> HttpResponse:
    body = _body(request, pk)
    _writer(request, body.arena)
    return edit_page(
        request,
        BodyForm(request.POST or None, instance=body),
        update_body,
        success=_("Endringene er lagret."),
        template="meetings/body_form.html",
        context={"arena": body.arena, "body": body},
    )


@login_required
def member_create(request: HttpRequest, pk: int) -> HttpResponse:
    body = _body(request, pk)
    _writer(request, body.arena)
    form = MemberForm(request.POST or None, instance=BodyMember(body=body))
    return form_page(
        request,
        form,
        lambda: add_member(form.save(commit=False), actor=request.user),
        success=_("Medlemmet er registrert."),
        template="meetings/member_form.html",
        context={"arena": body.arena, "body": body, "member": None},
        then=body,
    )


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    _writer(request, member.body.arena)
    return edit_page(
        request,
        MemberForm(request.POST or None, instance=member),
        update_member,
        success=_("Endringene er lagret."),
        template="meetings/member_form.html",
        context={"arena": member.body.arena, "body": member.body, "member": member},
        then=member.body,
    )


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    body = _body(request, pk)
    _writer(request, body.arena)
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
    meeting = _meeting(request, pk)
    _writer(request, meeting.body.arena)
    return edit_page(
        request,
        MeetingForm(request.POST or None, instance=meeting),
        update_meeting,
        success=lambda saved: _said_with_delivery(
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
        "notice_changes": [
            (
                change.made,
                change.describe(),
                sent_record(meeting, change.delivery, change.made, _change_kind(change))
                if can_edit
                else "",
            )
            for change in meeting.notice_changes.all()
        ],
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


def _change_kind(change: NoticeChange) -> str:
    return AMENDED if change.kind == NoticeChange.Kind.AMENDED else SUPPLEMENTARY


# The statuses the status button sets; the notice and the minutes' approval have their own.
STATUS_BUTTONS = {Meeting.Status.HELD, Meeting.Status.CANCELLED, Meeting.Status.PLANNED}


@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    return render(request, "meetings/meeting_detail.html", meeting_context(request, meeting))


@login_required
@require_POST
def meeting_status(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    _writer(request, meeting.body.arena)
    form = StatusForm(request.POST)

    def act() -> None:
        _valid(form)
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


class VersionForm(forms.Form):
    version = version_field()


def _item(request: HttpRequest, pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem, pk=pk)
    item.meeting = _meeting(request, item.meeting_id)
    return item


@login_required
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    _writer(request, meeting.body.arena)
    form = ItemForm(request.POST or None, instance=AgendaItem(meeting=meeting))
    return form_page(
        request,
        form,
        lambda: add_item(form.save(commit=False), actor=request.user),
        success=lambda item: _said_with_delivery(
            _("%(ref)s er satt opp i sakskartet.") % {"ref": item.reference},
            meeting,
            change_delivery(getattr(item, "sent_change", None)),
        ),
        template="meetings/item_form.html",
        context={"meeting": meeting, "body": meeting.body, "item": None},
        then=meeting,
    )


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    _writer(request, item.meeting.body.arena)
    return edit_page(
        request,
        ItemForm(request.POST or None, instance=item),
        update_item,
        success=_("Endringene er lagret."),
        template="meetings/item_form.html",
        context={"meeting": item.meeting, "body": item.meeting.body, "item": item},
        then=item.meeting,
    )


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    _writer(request, item.meeting.body.arena)
    form = VersionForm(request.POST)

    def act() -> None:
        _valid(form)
        delete_item(item, expected_version=form.cleaned_data["version"], actor=request.user)

    return post_action(
        request, act, success=_("Saken er tatt ut av sakskartet."), then=item.meeting
    )


@login_required
@require_POST
def notice_send(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    _writer(request, meeting.body.arena)
    form = VersionForm(request.POST)

    def act() -> None:
        _valid(form)
        send_notice(meeting, expected_version=form.cleaned_data["version"], actor=request.user)

    def sent() -> str:
        said = _("Innkallingen er sendt, og sakene har fått sine nummer.")
        return _said_with_delivery(said, meeting, notice_delivery(meeting))

    return post_action(request, act, success=sent, then=meeting)


def _said_with_delivery(said: str, meeting: Meeting, delivery: NoticeDelivery | None) -> str:
    """The page's message after a notice (first, amended, supplementary) went out: what was
    done and who got it; a long list cut, with a link to the notice page that has it all."""
    if delivery is None:
        return said
    if not is_long(delivery):
        return f"{said} {delivery.message}"
    return format_html(
        '{} {} <a class="ds-link" href="{}">{}</a>',
        said,
        delivery.message,
        reverse("meetings:notice", args=[meeting.pk]) + "#sendt-til",
        _("Se hvem den ble sendt til"),
    )


@login_required
def notice_outside(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Registrer innkalling sendt utenfor Samarbeid" (on paper, by the municipality's own
    e-mail): notice sent without any e-mail from here. The meeting page posts the day
    straight here; a refusal is said on this page's form, by its field."""
    meeting = _meeting(request, pk)
    _writer(request, meeting.body.arena)
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
    meeting = _meeting(request, pk)
    return render(request, "meetings/notice.html", _notice_context(request, meeting))


PDF_CSS = (
    "@page { size: A4; margin: 18mm; } body { font-family: sans-serif; font-size: 10pt; }"
    "table { border-collapse: collapse; width: 100%; } "
    "th, td { border: 1px solid #999; padding: 3px 5px; text-align: left; "
    "vertical-align: top; } h1 { font-size: 16pt; } h2 { font-size: 13pt; }"
    # the agenda's items carry their case numbers ("Sak 6/27"): no list numbers beside them
    ".agenda { list-style: none; padding-left: 0; }"
)


def _pdf(template: str, context: dict[str, Any], request: HttpRequest | None) -> bytes:
    html = render_to_string(template, context, request)
    base_url = request.build_absolute_uri("/") if request is not None else None
    return html_to_pdf(html, base_url=base_url, css=PDF_CSS)


def printed_notice(meeting: Meeting) -> bytes:
    """The notice's PDF as the public reads it (a closed item's text left out), made
    without a request: the demo attaches it to its meetings as their notice document."""
    request = HttpRequest()
    request.user = AnonymousUser()
    return _pdf("meetings/notice_pdf.html", _notice_context(request, meeting), None)


def pdf_response(
    request: HttpRequest, template: str, context: dict[str, Any], name: str
) -> HttpResponse:
    pdf = _pdf(template, context, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_safe
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    return pdf_response(
        request,
        "meetings/notice_pdf.html",
        _notice_context(request, meeting),
        f"innkalling-{meeting.pk}.pdf",
    )


@require_safe
def notice_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    body = meeting_to_ics(
        meeting,
        agenda(meeting),
        url=request.build_absolute_uri(meeting.get_absolute_url()),
        domain=request.get_host(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mote-{meeting.pk}.ics"'
    return response


@login_required
def document_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    _writer(request, meeting.body.arena)
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        instance=MeetingDocument(meeting=meeting),
        meeting=meeting,
    )
    return form_page(
        request,
        form,
        lambda: add_document(form.save(commit=False), request.FILES["file"], actor=request.user),
        success=lambda document: _("«%(t)s» er lagt ved.") % {"t": document.title},
        template="meetings/document_form.html",
        context={"meeting": meeting, "body": meeting.body, "multipart": True},
        then=meeting,
    )


def _document(request: HttpRequest, pk: int) -> MeetingDocument:
    document = get_object_or_404(MeetingDocument.objects.select_related("item"), pk=pk)
    document.meeting = _meeting(request, document.meeting_id)
    if not may_see_document(request.user, document):
        raise Http404
    return document


@require_safe
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """The file, to those who may see it (404 to others: a closed item's file is not said
    to exist). Never served from MEDIA_URL."""
    document = _document(request, pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=document.content_type not in INLINE_TYPES,
        filename=document.filename,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# shown in the browser; the office files are downloaded
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg"}


def _document_refusal(document: MeetingDocument) -> str | None:
    if document.meeting.status == Meeting.Status.MINUTES_APPROVED:
        return _("Protokollen er godkjent; møtets dokumenter kan ikke slettes.")
    return None


@login_required
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    _writer(request, document.meeting.body.arena)
    return confirm_delete(
        request,
        "meetings/confirm_delete.html",
        load=lambda: _document(request, pk),
        delete=lambda d, version: delete_document(d, expected_version=version, actor=request.user),
        context=lambda d: {
            "question": _("Slett dokumentet «%(t)s»?") % {"t": d.title},
            "what": _("Dokumentet og filen «%(f)s» slettes fra møtet %(m)s.")
            % {"f": d.filename, "m": d.meeting},
            "refusal": _document_refusal(d),
            "cancel": d.meeting.get_absolute_url(),
        },
        success=_("Dokumentet er slettet."),
        done=lambda d: d.meeting.get_absolute_url(),
    )


@login_required
def body_delete(request: HttpRequest, pk: int) -> HttpResponse:
    body = _body(request, pk)
    _writer(request, body.arena)
    return confirm_delete(
        request,
        "meetings/confirm_delete.html",
        load=lambda: _body(request, pk),
        delete=lambda b, version: delete_body(b, expected_version=version, actor=request.user),
        context=lambda b: {
            "question": _("Slett organet «%(b)s»?") % {"b": b.name},
            "what": _("Organet slettes med sine %(n)d medlemmer.") % {"n": b.members.count()},
            "refusal": body_delete_refusal(b),
            "cancel": b.get_absolute_url(),
        },
        success=_("Organet er slettet."),
        done=lambda b: reverse("meetings:body_list", args=[b.arena_id]),
    )


@login_required
def member_delete(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    _writer(request, member.body.arena)
    return confirm_delete(
        request,
        "meetings/confirm_delete.html",
        load=lambda: _member(request, pk),
        delete=lambda m, version: delete_member(m, expected_version=version, actor=request.user),
        context=lambda m: {
            "question": _("Slett %(m)s fra %(b)s?") % {"m": m, "b": m.body.name},
            "what": _(
                "Slett bare et medlem som er registrert ved en feil; når et verv slutter, "
                "sett en «til»-dato i stedet."
            ),
            "refusal": member_delete_refusal(m),
            "cancel": m.body.get_absolute_url(),
        },
        success=_("Medlemmet er slettet."),
        done=lambda m: m.body.get_absolute_url(),
    )


def _items_in_words(count: int) -> str:
    """«ingen saker», «1 sak», «3 saker»."""
    if count == 0:
        return _("ingen saker")
    return ngettext("%(n)d sak", "%(n)d saker", count) % {"n": count}


@login_required
def meeting_delete(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    _writer(request, meeting.body.arena)
    return confirm_delete(
        request,
        "meetings/confirm_delete.html",
        load=lambda: _meeting(request, pk),
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
    meeting = _meeting(request, pk)
    return render(request, "meetings/minutes.html", _minutes_context(request, meeting))


@require_safe
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
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
    meeting = _meeting(request, pk)
    _writer(request, meeting.body.arena)
    reason = minutes_refusal(meeting)
    if reason and request.method != "POST":
        return _refused(request, meeting, _("Frammøte"), reason)
    initial = {"members": [row.member_id for row in meeting.attendance.all()]}
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,  # none ticked: an empty POST
        initial=initial,
        meeting=meeting,
    )
    return form_page(
        request,
        form,
        lambda: set_attendance(
            meeting,
            list(form.cleaned_data["members"]),
            actor=request.user,
            expected_version=form.cleaned_data["version"],
        ),
        success=_("Frammøtet er lagret."),
        template="meetings/attendance_form.html",
        context={"meeting": meeting, "body": meeting.body},
        then=reverse("meetings:minutes", args=[meeting.pk]),
    )


@login_required
def item_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    _writer(request, item.meeting.body.arena)
    reason = minutes_refusal(item.meeting)
    if reason and request.method != "POST":
        heading = _("Behandlingen av %(ref)s %(t)s") % {"ref": item.reference, "t": item.title}
        return _refused(request, item.meeting, heading, reason)
    return edit_page(
        request,
        ItemMinutesForm(request.POST or None, instance=item),
        write_item_minutes,
        success=_("Behandlingen er ført i protokollen."),
        template="meetings/item_minutes_form.html",
        context={"meeting": item.meeting, "body": item.meeting.body, "item": item},
        then=reverse("meetings:minutes", args=[item.meeting_id]) + f"#sak-{item.pk}",
    )


@login_required
def item_votes(request: HttpRequest, pk: int) -> HttpResponse:
    """The vote on an item that treats a case, per municipality with a seat in the body on
    the meeting's day (governance's votes: the case's decision follows)."""
    item = _item(request, pk)
    meeting = item.meeting
    _writer(request, meeting.body.arena)
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
    meeting = _meeting(request, pk)
    _writer(request, meeting.body.arena)
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
