"""OParl 1.1 at /oparl/v1/, read only and public: System, Body (one per published arena),
its external lists (organization, paper, consultation, meeting, agendaItem, file; person
and legislativeTermList empty), an organization's meetings, and the single objects.

Lists are paged (`page`, `limit` up to 100; `pagination` and `links` with first, prev,
self, next, last, each keeping the filters) and filtered by `created_since`,
`created_until`, `modified_since` and `modified_until` (ISO date-times). With
`modified_since` a list also carries the objects deleted since, as `deleted: true`
(the standard requires it), and those withdrawn from the public since (for the public they
are gone): a case unpublished, with its treatments; a meeting unpublished, planned again or
deleted after it was announced, with its agenda items; a file whose item was closed or
whose meeting was withdrawn. A deleted or withdrawn object's own URL answers the same; what
was never public is never named (a 404, as for what never existed). `tombstones` reads
all of it from the audit trail, one record's history at a time. Every other address under
/oparl/v1/ (a word where an id belongs) answers OParl's JSON 404 too.
Every list runs a bounded number of queries whatever its length.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from samarbeid.arenas.models import Arena
from samarbeid.governance.models import Case
from samarbeid.meetings.models import BodyMember, Meeting
from samarbeid.oparl import objects, queries
from samarbeid.oparl.objects import MUNICIPAL_KEYS, SEAM_LISTS
from samarbeid.oparl.paging import (
    json_response,
    not_found,
    oparl_view,
    paged,
    request_period,
    request_urls,
)
from samarbeid.oparl.tombstones import (
    EVER,
    public_case,
    withdrawn_consultations,
    withdrawn_documents,
    withdrawn_items,
    withdrawn_meetings,
    withdrawn_papers,
)


def _public_body(arena_id: int) -> Arena:
    return get_object_or_404(queries.bodies(), pk=arena_id)


def _published_case() -> Callable[[dict[str, Any]], bool]:
    """Whether a case's state (in its audit trail) was public: published, of an arena
    published now. One query."""
    arena_ids = set(Arena.objects.filter(published=True).values_list("pk", flat=True))
    return lambda state: public_case(state) and state.get("arena_id") in arena_ids


# --- the views ------------------------------------------------------------------------------


@oparl_view
def system(request: HttpRequest) -> HttpResponse:
    return json_response(objects.system(request_urls(request)))


@oparl_view
def body_list(request: HttpRequest) -> HttpResponse:
    urls = request_urls(request)
    rows = queries.within(queries.bodies(), request_period(request))
    return paged(request, rows, lambda arena: objects.body(arena, urls))


@oparl_view
def body(request: HttpRequest, arena_id: int) -> HttpResponse:
    return json_response(objects.body(_public_body(arena_id), request_urls(request)))


@oparl_view
def organization_list(request: HttpRequest, arena_id: int) -> HttpResponse:
    urls = request_urls(request)
    arena = _public_body(arena_id)
    period = request_period(request)
    rows: list[dict[str, Any]] = []
    if period.admits(getattr(arena, "oparl_created", None), getattr(arena, "oparl_modified", None)):
        rows.append(objects.arena_organization(arena, urls))
    rows += [
        objects.body_organization(found, urls)
        for found in queries.within(queries.meeting_bodies(arena.pk), period)
    ]
    rows += [
        objects.municipal_organization(found, urls)
        for found in queries.municipal_bodies(arena.pk)
        if period.admits(found.created, found.modified)
    ]
    return paged(request, rows, lambda row: row)


@oparl_view
def organization(request: HttpRequest, key: str) -> HttpResponse:
    urls = request_urls(request)
    if key.startswith("arena-") and key[6:].isdigit():
        return json_response(objects.arena_organization(_public_body(int(key[6:])), urls))
    if key.startswith("body-") and key[5:].isdigit():
        body_of_arena = get_object_or_404(queries.meeting_bodies(), pk=int(key[5:]))
        return json_response(objects.body_organization(body_of_arena, urls))
    for body_kind, prefix in MUNICIPAL_KEYS.items():
        if key.startswith(prefix + "-"):
            found = queries.municipal_bodies(body=body_kind, code=key[len(prefix) + 1 :])
            if found:
                return json_response(objects.municipal_organization(found[0], urls))
    return not_found()


@oparl_view
def paper_list(request: HttpRequest, arena_id: int) -> HttpResponse:
    urls = request_urls(request)
    arena = _public_body(arena_id)
    period = request_period(request)
    rows = queries.within(queries.papers(arena.pk), period)
    deleted = withdrawn_papers(lambda s: public_case(s, arena.pk), period, urls, arena.pk)
    return paged(request, rows, lambda case: objects.paper(case, urls), deleted)


@oparl_view
def paper(request: HttpRequest, case_id: int) -> HttpResponse:
    urls = request_urls(request)
    found = queries.papers().filter(pk=case_id).first()
    if found is None:
        withdrawn = withdrawn_papers(_published_case(), EVER, urls, only=case_id)
        return json_response(withdrawn[0]) if withdrawn else not_found()
    return json_response(objects.paper(found, urls))


@oparl_view
def consultation_list(request: HttpRequest, arena_id: int) -> HttpResponse:
    urls = request_urls(request)
    arena = _public_body(arena_id)
    period = request_period(request)
    rows = queries.within(queries.consultations(arena.pk), period)
    hidden = Case.objects.filter(arena=arena, published=False)
    deleted = withdrawn_consultations(lambda s: public_case(s, arena.pk), period, urls, hidden)
    return paged(request, rows, lambda d: objects.consultation(d, urls), deleted)


@oparl_view
def consultation(request: HttpRequest, decision_id: int) -> HttpResponse:
    urls = request_urls(request)
    found = queries.consultations().filter(pk=decision_id).first()
    if found is None:
        withdrawn = withdrawn_consultations(_published_case(), EVER, urls, only=decision_id)
        return json_response(withdrawn[0]) if withdrawn else not_found()
    return json_response(objects.consultation(found, urls))


def _meeting_page(
    request: HttpRequest, rows: QuerySet[Meeting], body_ids: set[int]
) -> HttpResponse:
    urls = request_urls(request)
    period = request_period(request)
    deleted = withdrawn_meetings(body_ids, period, urls)
    found = queries.within(rows, period)
    return paged(request, found, lambda m: objects.meeting(m, urls), deleted)


@oparl_view
def meeting_list(request: HttpRequest, arena_id: int) -> HttpResponse:
    arena = _public_body(arena_id)
    body_ids = set(arena.bodies.values_list("pk", flat=True))
    return _meeting_page(request, queries.meetings(arena.pk), body_ids)


@oparl_view
def organization_meeting_list(request: HttpRequest, body_id: int) -> HttpResponse:
    found = get_object_or_404(queries.meeting_bodies(), pk=body_id)
    return _meeting_page(request, queries.meetings(body_id=found.pk), {found.pk})


@oparl_view
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    urls = request_urls(request)
    found = queries.meetings().filter(pk=meeting_id).first()
    if found is None:
        body_ids = set(queries.meeting_bodies().values_list("pk", flat=True))
        withdrawn = withdrawn_meetings(body_ids, EVER, urls, only=meeting_id)
        return json_response(withdrawn[0]) if withdrawn else not_found()
    return json_response(objects.meeting(found, urls))


@oparl_view
def meeting_file(request: HttpRequest, meeting_id: int, kind: str) -> HttpResponse:
    """A public meeting's printed notice or minutes as a File."""
    found = queries.meetings().filter(pk=meeting_id).first()
    if found is None or kind not in objects.printed_kinds(found):
        return not_found()
    return json_response(objects.printed_file(found, kind, request_urls(request)))


@oparl_view
def agenda_item_list(request: HttpRequest, arena_id: int) -> HttpResponse:
    urls = request_urls(request)
    arena = _public_body(arena_id)
    period = request_period(request)
    rows = queries.within(queries.agenda_items(arena.pk), period)
    deleted: list[dict[str, Any]] = []
    if period.modified_since is not None:
        body_ids = set(arena.bodies.values_list("pk", flat=True))
        deleted = withdrawn_items(body_ids, period, urls)
    return paged(request, rows, lambda item: objects.agenda_item(item, urls), deleted)


@oparl_view
def agenda_item(request: HttpRequest, item_id: int) -> HttpResponse:
    urls = request_urls(request)
    found = queries.agenda_items().filter(pk=item_id).first()
    if found is None:
        body_ids = set(queries.meeting_bodies().values_list("pk", flat=True))
        withdrawn = withdrawn_items(body_ids, EVER, urls, only=item_id)
        return json_response(withdrawn[0]) if withdrawn else not_found()
    return json_response(objects.agenda_item(found, urls))


@oparl_view
def file_list(request: HttpRequest, arena_id: int) -> HttpResponse:
    urls = request_urls(request)
    arena = _public_body(arena_id)
    period = request_period(request)
    rows = queries.within(queries.files(arena.pk), period)
    deleted: list[dict[str, Any]] = []
    if period.modified_since is not None:
        body_ids = set(arena.bodies.values_list("pk", flat=True))
        deleted = withdrawn_documents(body_ids, period, urls)
    return paged(request, rows, lambda document: objects.file(document, urls), deleted)


@oparl_view
def file(request: HttpRequest, document_id: int) -> HttpResponse:
    urls = request_urls(request)
    found = queries.files().filter(pk=document_id).first()
    if found is not None:
        return json_response(objects.file(found, urls))
    body_ids = set(queries.meeting_bodies().values_list("pk", flat=True))
    withdrawn = withdrawn_documents(body_ids, EVER, urls, only=document_id)
    return json_response(withdrawn[0]) if withdrawn else not_found()


@oparl_view
def membership(request: HttpRequest, member_id: int) -> HttpResponse:
    members = BodyMember.objects.filter(body__arena__published=True).select_related("municipality")
    found = get_object_or_404(queries.with_stamps(members), pk=member_id)
    return json_response(objects.membership(found, request_urls(request)))


@oparl_view
def seam_list(request: HttpRequest, arena_id: int, part: str) -> HttpResponse:
    """person, legislativeTermList: empty (see objects.SEAM_LISTS)."""
    if part not in SEAM_LISTS:
        return not_found()
    _public_body(arena_id)
    request_period(request)  # the filters are checked even on an empty list
    return paged(request, [], lambda row: row)


@oparl_view
def unknown(request: HttpRequest, rest: str) -> HttpResponse:
    """Any other address under /oparl/v1/ (a word where an id belongs, a misspelt list):
    OParl's JSON 404, as for an unknown id, never the site's HTML page."""
    return not_found()
