"""API for a meeting's documents: listing, reading, uploading and deleting files."""

import base64
import binascii
import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadedfile import UploadedFile as StoredUpload
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import File, Form, Router, Schema, Status, UploadedFile
from ninja.decorators import decorate_view
from pydantic import Field

from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import Finder, deleted, through, writes
from samarbeid.core.api_forms import valid
from samarbeid.core.api_schemas import DeleteVersion, Problem, ref
from samarbeid.core.not_allowed import api_problem
from samarbeid.meetings.api.common import find_meeting, form_data, visible_meetings
from samarbeid.meetings.forms import DocumentForm
from samarbeid.meetings.models import Meeting, MeetingDocument
from samarbeid.meetings.services.documents import add_document, delete_document
from samarbeid.meetings.visibility import documents_for, may_see_document, may_write

router = Router()


class MeetingDocumentOut(Schema):
    id: int
    version: int
    meeting: int = ref("meeting")
    item: int | None = ref("item")
    title: str
    date: dt.date
    kind: MeetingDocument.Kind
    filename: str
    content_type: str
    size: int
    url: str = Field(description="Where the file is read (with the caller's rights)")
    modified: dt.datetime
    is_example_data: bool

    @staticmethod
    def resolve_url(document: MeetingDocument) -> str:
        return f"/api/v1/meetings/documents/{document.pk}/file"


def _visible_documents(user: Any) -> QuerySet[MeetingDocument]:
    """The documents of the meetings `user` sees (a closed item's among them: the finder
    asks `may_see_document` of the one it finds)."""
    return MeetingDocument.objects.filter(meeting__in=visible_meetings(user)).select_related(
        "item", "meeting__body__arena"
    )


class _DocumentFinder(Finder[MeetingDocument]):
    """A document as the caller may have it: a closed item's file is not found (404) by
    those who may not read closed items, before asking whether they may change it."""

    def __call__(self, request: HttpRequest, pk: Any, *, change: bool = False) -> MeetingDocument:
        document = super().__call__(request, pk)
        if not may_see_document(request.user, document):
            raise Http404
        if change and not self.may_change(request.user, document):
            raise PermissionDenied
        return document


_document = _DocumentFinder(_visible_documents, through("meeting.body.arena", may_write))


@router.get(
    "/meetings/{meeting_id}/documents",
    response={200: list[MeetingDocumentOut], 404: Problem},
    summary="The documents of a meeting and its items that the caller may read",
)
def list_documents(request: HttpRequest, meeting_id: int) -> list[MeetingDocument]:
    meeting = find_meeting(request, meeting_id)
    return documents_for(request.user, meeting, list(meeting.items.all()))


@router.get(
    "/meetings/documents/{document_id}/file",
    response={200: None, 404: Problem},
    summary="A document's file (404 to those who may not read it)",
)
def get_document_file(request: HttpRequest, document_id: int) -> FileResponse:
    document = _document(request, document_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=document.filename, content_type=document.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


# A document's fields as the meeting's page takes them: the multipart upload's form fields,
# and with the file itself inlined (base64) the JSON body.
class MeetingDocumentForm(Schema):
    title: str = Field(min_length=1, max_length=300)
    date: dt.date
    kind: MeetingDocument.Kind
    item: int | None = Field(None, description="The agenda item's id, for an item's document")


class MeetingDocumentIn(MeetingDocumentForm):
    filename: str = Field(min_length=1, max_length=255, description="With its extension")
    content_base64: str = Field(
        description=(
            "The file, base64-encoded. The JSON body is limited by the server "
            "(DATA_UPLOAD_MAX_MEMORY_SIZE); larger files are uploaded on the meeting's page."
        )
    )


def _attach(
    request: HttpRequest, meeting: Meeting, fields: dict[str, Any], upload: StoredUpload
) -> Status[MeetingDocument]:
    """The page's step for a file, from either body: the form (title, date, type, item; the
    file required) and the service (the file's type by its name and first bytes, its size,
    the caller's rights), which stores the file only when all is well."""
    form = DocumentForm(
        data=form_data(fields),
        files={"file": upload},
        instance=MeetingDocument(meeting=meeting),
        meeting=meeting,
    )
    document = valid(form).save(commit=False)
    add_document(document, upload, actor=request.user, channel=Channel.API)
    return Status(201, document)


@router.post(
    "/meetings/{meeting_id}/documents",
    **writes(201, MeetingDocumentOut),
    summary="Attach a file to a meeting or one of its items",
    description="PDF, docx, xlsx, odt, PNG or JPEG, at most 20 MB.",
)
def post_document(
    request: HttpRequest, meeting_id: int, payload: MeetingDocumentIn
) -> Status[MeetingDocument]:
    meeting = find_meeting(request, meeting_id, change=True)
    try:
        content = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"content_base64": gettext("Ikke gyldig base64.")}) from None
    upload = SimpleUploadedFile(payload.filename, content)
    return _attach(request, meeting, payload.dict(exclude={"filename", "content_base64"}), upload)


def multipart_only(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An upload's operation answers 415 to any other body before its fields are read (a
    JSON body would otherwise be told its fields are missing)."""

    @wraps(run)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.content_type != "multipart/form-data":
            detail = gettext("Innholdet må være multipart/form-data.")
            return api_problem(request, 415, "Unsupported media type", detail)
        return run(request, *args, **kwargs)

    return checked


@router.post(
    "/meetings/{meeting_id}/documents/upload",
    **writes(201, MeetingDocumentOut),
    summary="Attach a file to a meeting or one of its items (multipart/form-data)",
    description=(
        "The fields `title`, `date`, `kind` and `item` (optional) and the `file` itself, "
        "as a browser's form sends them: PDF, docx, xlsx, odt, PNG or JPEG, at most 20 MB "
        "(the file's type is told by its name and first bytes)."
    ),
)
@decorate_view(multipart_only)
def post_document_upload(
    request: HttpRequest,
    meeting_id: int,
    fields: Form[MeetingDocumentForm],
    file: File[UploadedFile],
) -> Status[MeetingDocument]:
    meeting = find_meeting(request, meeting_id, change=True)
    return _attach(request, meeting, fields.dict(), file)


@router.delete(
    "/meetings/documents/{document_id}",
    **writes(204, None),
    summary="Delete a document and its file",
    description="Refused (422) once the minutes are approved. Send the `version`.",
)
def delete_document_api(
    request: HttpRequest, document_id: int, version: DeleteVersion
) -> Status[None]:
    return deleted(request, _document(request, document_id, change=True), delete_document, version)
