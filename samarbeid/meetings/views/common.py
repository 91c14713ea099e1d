"""What the meetings' pages share: the record a page is about, the writer's check, the PDFs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from samarbeid.arenas.models import Arena
from samarbeid.core.forms import version_field
from samarbeid.core.pdf import html_to_pdf
from samarbeid.meetings.models import AgendaItem, Body, Meeting
from samarbeid.meetings.services.notice import NoticeDelivery, is_long
from samarbeid.meetings.visibility import may_write


def visible_body(request: HttpRequest, pk: int) -> Body:
    """The body `pk` as the user may see it (404 otherwise), with its arena."""
    return get_object_or_404(Body.objects.visible_to(request.user).select_related("arena"), pk=pk)


def visible_meeting(request: HttpRequest, pk: int) -> Meeting:
    """The meeting `pk` as the user may see it (404 otherwise), with its body and arena."""
    return get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("body__arena"), pk=pk
    )


def valid_button(form: forms.Form) -> None:
    """A button's form, validated: its errors (a missing version) said as the refusal."""
    if not form.is_valid():
        raise ValidationError([str(e) for errors in form.errors.values() for e in errors])


def require_writer(request: HttpRequest, arena: Arena) -> None:
    may_write(request.user, arena)  # refused: the 403 page says only the secretariat may


def editable_body(request: HttpRequest, pk: int) -> Body:
    """The body `pk` for a writer of its arena: 404 to whom may not see it, 403 else."""
    body = visible_body(request, pk)
    require_writer(request, body.arena)
    return body


def editable_meeting(request: HttpRequest, pk: int) -> Meeting:
    """The meeting `pk` for a writer of its arena: 404 to whom may not see it, 403 else."""
    meeting = visible_meeting(request, pk)
    require_writer(request, meeting.body.arena)
    return meeting


def editable_item(request: HttpRequest, pk: int) -> AgendaItem:
    """The agenda item `pk` for a writer of its arena: 404 to whom may not see its meeting,
    403 else."""
    item = visible_item(request, pk)
    require_writer(request, item.meeting.body.arena)
    return item


class VersionForm(forms.Form):
    version = version_field()


def visible_item(request: HttpRequest, pk: int) -> AgendaItem:
    """The agenda item `pk` of a meeting the user may see (404 otherwise)."""
    item = get_object_or_404(AgendaItem, pk=pk)
    item.meeting = visible_meeting(request, item.meeting_id)
    return item


def said_with_delivery(said: str, meeting: Meeting, delivery: NoticeDelivery | None) -> str:
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


PDF_CSS = (
    "@page { size: A4; margin: 18mm; } body { font-family: sans-serif; font-size: 10pt; }"
    "table { border-collapse: collapse; width: 100%; } "
    "th, td { border: 1px solid #999; padding: 3px 5px; text-align: left; "
    "vertical-align: top; } h1 { font-size: 16pt; } h2 { font-size: 13pt; }"
    # the agenda's items carry their case numbers ("Sak 6/27"): no list numbers beside them
    ".agenda { list-style: none; padding-left: 0; }"
)


def pdf_bytes(template: str, context: dict[str, Any], request: HttpRequest | None) -> bytes:
    """`template` rendered with `context` as a printed PDF (links relative to the request)."""
    html = render_to_string(template, context, request)
    base_url = request.build_absolute_uri("/") if request is not None else None
    return html_to_pdf(html, base_url=base_url, css=PDF_CSS)


def pdf_response(
    request: HttpRequest, template: str, context: dict[str, Any], name: str
) -> HttpResponse:
    pdf = pdf_bytes(template, context, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
