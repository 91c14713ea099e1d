"""A meeting's documents: the uploaded file checked, attached and removed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_edit_arena, require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record, delete_record
from samarbeid.lib.uploads import MAX_BYTES, MEGABYTE, FileKind, UploadRefused, check_upload
from samarbeid.meetings.models import MeetingDocument
from samarbeid.meetings.services.common import touch
from samarbeid.meetings.services.status import Status


def upload_error(code: str, name: str, size: int) -> str:
    """What a clerk is told when a file is refused (`lib.uploads` codes)."""
    ext = name.rpartition(".")[2] if "." in name else ""
    if code == "empty":
        return _("Filen «%(name)s» er tom.") % {"name": name}
    if code == "too_large":
        return _("Filen «%(name)s» er %(size)s MB; største tillatte størrelse er %(max)s MB.") % {
            "name": name,
            "size": f"{size / MEGABYTE:.1f}".replace(".", ","),
            "max": MAX_BYTES // MEGABYTE,
        }
    if code == "type":
        return _(
            "Filtypen «%(ext)s» er ikke tillatt. Last opp PDF, Word (docx), Excel (xlsx), "
            "OpenDocument-tekst (odt), PNG eller JPEG."
        ) % {"ext": f".{ext}" if ext else _("uten endelse")}
    return _("Innholdet i «%(name)s» er ikke en fil av typen filnavnet sier (.%(ext)s).") % {
        "name": name,
        "ext": ext,
    }


def checked_upload(upload: Any) -> FileKind:
    """The kind of the uploaded file `upload` (a Django UploadedFile); ValidationError on
    `file` saying why it is refused."""
    name = str(upload.name or "")
    size = int(upload.size or 0)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    try:
        return check_upload(name, head, size)
    except UploadRefused as exc:
        raise ValidationError({"file": upload_error(exc.code, name, size)}) from None


def _check_document(document: MeetingDocument) -> None:
    touch(document)
    if not document.title.strip():
        raise ValidationError({"title": _("Skriv dokumentets tittel.")})
    if document.item is not None and document.item.meeting_id != document.meeting_id:
        raise ValidationError({"item": _("Saken hører til et annet møte.")})


def add_document(
    document: MeetingDocument, upload: Any, *, actor: Actor, channel: str = Channel.PAGE
) -> MeetingDocument:
    """Attach the uploaded file `upload` to `document.meeting` (or one of its items),
    stored through the default storage under a random name. Refused (ValidationError on
    `file`) for a kind or size `lib.uploads` does not allow."""
    require(can_edit_arena(actor, document.meeting.body.arena))
    kind = checked_upload(upload)
    document.filename = str(upload.name)[:255]
    document.content_type = kind.content_type
    document.size = int(upload.size)
    document.file = upload
    _check_document(document)
    return create_record(document, actor=actor, channel=channel)


def delete_document(
    document: MeetingDocument,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> None:
    """Remove a document and, after the commit, its file from the storage. Refused once the
    meeting's minutes are approved (what was published stays)."""
    require(can_edit_arena(actor, document.meeting.body.arena))
    if document.meeting.status == Status.MINUTES_APPROVED:
        raise ValidationError(_("Protokollen er godkjent; møtets dokumenter kan ikke slettes."))
    stored = document.file.name
    storage = document.file.storage
    with transaction.atomic():
        delete_record(document, actor=actor, channel=channel, expected_version=expected_version)
        transaction.on_commit(lambda: storage.delete(stored))
