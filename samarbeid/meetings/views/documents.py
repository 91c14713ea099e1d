"""A meeting's documents: attaching one, its file to those who may see it, deleting it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from samarbeid.core.forms import confirm_delete, form_page
from samarbeid.meetings.forms import DocumentForm
from samarbeid.meetings.models import Meeting, MeetingDocument
from samarbeid.meetings.services.documents import add_document, delete_document
from samarbeid.meetings.views.common import editable_meeting, require_writer, visible_meeting
from samarbeid.meetings.visibility import may_see_document


@login_required
def document_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = editable_meeting(request, pk)
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
        context={"meeting": meeting, "body": meeting.body},
        then=meeting,
    )


def _document(request: HttpRequest, pk: int) -> MeetingDocument:
    document = get_object_or_404(MeetingDocument.objects.select_related("item"), pk=pk)
    document.meeting = visible_meeting(request, document.meeting_id)
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
    require_writer(request, document.meeting.body.arena)
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
