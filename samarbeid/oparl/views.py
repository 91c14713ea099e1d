"""OParl 1.1 at /oparl/v1/, read only and public: System, Body (one per published arena),
its external lists (organization, paper, consultation, meeting, agendaItem, file; person
and legislativeTermList empty), an organization's meetings, and the single objects.

Lists are paged (`page`, `limit` up to 100; `pagination` and `links` with first, prev,
self, next, last, each keeping the filters) and filtered by `created_since`,
`created_until`, `modified_since` and `modified_until` (ISO date-times). With
`modified_since` a list also carries the objects deleted since, as `deleted: true`
(the standard requires it), the cases withdrawn from the public since (unpublished:
for the public they are gone) and the files withdrawn since (their item closed, their
meeting unpublished or planned again); a deleted or withdrawn object's own URL answers the
same.
Every list runs a bounded number of queries whatever its length.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Max, Min, Model, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from samarbeid.arenas.models import Arena
from samarbeid.audit.models import AuditEntry
from samarbeid.governance.models import Case, Decision
from samarbeid.meetings.models import AgendaItem, BodyMember, Meeting, MeetingDocument
from samarbeid.oparl import objects, queries
from samarbeid.oparl.objects import MUNICIPAL_KEYS, SEAM_LISTS, Urls

PAGE_SIZE = 100  # the standard recommends paging lists longer than 100
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")
View = Callable[..., HttpResponse]


class BadRequest(Exception):
    pass


def _json(data: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # the standard requires CORS
    return response


def oparl_view(view: View) -> View:
    """GET/HEAD only, in bokmål whatever the caller's language, errors as JSON."""

    @require_safe
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with translation.override("nb"):
            try:
                return view(request, *args, **kwargs)
            except BadRequest as exc:
                return _json({"error": str(exc)}, status=400)
            except Http404:
                return _json({"error": "not found"}, status=404)

    return wrapped


def _urls(request: HttpRequest) -> Urls:
    return Urls(
        base=request.build_absolute_uri(reverse("oparl:system")),
        site=request.build_absolute_uri("/"),
    )


def _when(request: HttpRequest, name: str) -> datetime | None:
    value = request.GET.get(name)
    if not value:
        return None
    try:
        found = datetime.fromisoformat(value.replace(" ", "+"))  # an unencoded "+" reads as " "
    except ValueError as exc:
        raise BadRequest(f"{name}: not an ISO 8601 date-time: {value!r}") from exc
    return found if timezone.is_aware(found) else timezone.make_aware(found)


def _period(request: HttpRequest) -> queries.Period:
    return queries.Period(**{name: _when(request, name) for name in FILTERS})


def _number(request: HttpRequest, name: str, default: int, maximum: int) -> int:
    value = request.GET.get(name)
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or len(value) > 9 or int(value) < 1:
        raise BadRequest(f"{name}: a positive whole number")
    return min(int(value), maximum)


Rows = QuerySet[Any] | Sequence[Any]


def _page(
    request: HttpRequest,
    rows: Rows,
    render: Callable[[Any], dict[str, Any]],
    deleted: Sequence[dict[str, Any]] = (),
) -> JsonResponse:
    """One page of `rows` (then the `deleted` tombstones) with pagination and links."""
    limit = _number(request, "limit", PAGE_SIZE, PAGE_SIZE)
    page = _number(request, "page", 1, 10**9)
    live = rows.count() if isinstance(rows, QuerySet) else len(rows)
    total = live + len(deleted)
    pages = max(1, math.ceil(total / limit))
    start, end = (page - 1) * limit, page * limit
    data = [render(row) for row in rows[start:end]] if start < live else []
    data += list(deleted[max(0, start - live) : max(0, end - live)])
    kept = [(k, v) for k, v in request.GET.items() if k != "page"]
    base = request.build_absolute_uri(request.path)

    def link(number: int) -> str:
        params = kept + ([("page", str(number))] if number > 1 else [])
        return f"{base}?{urlencode(params)}" if params else base

    links = {"first": link(1), "self": link(page), "last": link(pages)}
    if page > 1:
        links["prev"] = link(min(page - 1, pages))
    if page < pages:
        links["next"] = link(page + 1)
    pagination = {
        "totalElements": total,
        "elementsPerPage": limit,
        "currentPage": page,
        "totalPages": pages,
    }
    return _json({"data": data, "pagination": pagination, "links": links})


def _tombstones(
    request: HttpRequest,
    model: type[Model],
    period: queries.Period,
    url: Callable[[int], str],
    belongs: Callable[[dict[str, Any]], bool],
    type_name: str,
    extra: Callable[[int], dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The objects of `model` deleted within `period` (asked only with modified_since, as
    the standard says) whose last public state `belongs` to the list (two queries)."""
    if period.modified_since is None:
        return []
    content_type = ContentType.objects.get_for_model(model)
    deletions = AuditEntry.objects.filter(
        content_type=content_type, action=AuditEntry.Action.DELETE, at__gte=period.modified_since
    )
    if period.modified_until is not None:
        deletions = deletions.filter(at__lte=period.modified_until)
    gone = {
        entry.object_id: entry
        for entry in deletions.only("object_id", "at", "snapshot").order_by("at", "pk")
        if belongs(entry.snapshot)
    }
    firsts = dict(
        AuditEntry.objects.filter(content_type=content_type, object_id__in=list(gone))
        .values("object_id")
        .annotate(first=Min("at"))
        .values_list("object_id", "first")
    )
    found = []
    for object_id, entry in sorted(gone.items(), key=lambda item: int(item[0])):
        created = firsts.get(object_id)
        if not period.admits(created, entry.at):
            continue
        more = extra(int(object_id)) if extra is not None else {}
        found.append(_tombstone(url(int(object_id)), type_name, created, entry.at, more))
    return found


def _tombstone(
    url: str,
    type_name: str,
    created: datetime | None,
    deleted_at: datetime,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A deleted object: its id, type and times (and what its schema requires, `extra`)."""
    found: dict[str, Any] = {
        "id": url,
        "type": f"{objects.SCHEMA}{type_name}",
        **(extra or {}),
        "modified": deleted_at.isoformat(),
        "deleted": True,
    }
    if created is not None:
        found["created"] = created.isoformat()
    return found


def _deleted_object(
    request: HttpRequest,
    model: type[Model],
    pk: int,
    url: str,
    type_name: str,
    public: Any,
    extra: dict[str, Any] | None = None,
) -> JsonResponse:
    """A deleted object that was public answers with its tombstone (200), else 404."""
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=str(pk)
    )
    deletion = entries.filter(action=AuditEntry.Action.DELETE).order_by("-at").first()
    if deletion is None or not public(deletion.snapshot):
        return _json({"error": "not found"}, status=404)
    created = entries.aggregate(first=Min("at"))["first"]
    return _json(_tombstone(url, type_name, created, deletion.at, extra))


def _withdrawn_papers(
    hidden: QuerySet[Case], period: queries.Period, urls: Urls
) -> list[dict[str, Any]]:
    """Cases among `hidden` (not public now) whose publication was changed within `period`:
    withdrawn from the public, so a client that synchronises with modified_since learns to
    drop them (as deleted; nothing else of them is shown). Two queries."""
    if period.modified_since is None:
        return []
    content_type = ContentType.objects.get_for_model(Case)
    keys = hidden.annotate(key=Cast("pk", output_field=CharField())).values("key")
    changes = AuditEntry.objects.filter(
        content_type=content_type,
        object_id__in=Subquery(keys),
        action__in=[AuditEntry.Action.UPDATE, AuditEntry.Action.RESTORE],
        changes__has_key="published",
        at__gte=period.modified_since,
    )
    if period.modified_until is not None:
        changes = changes.filter(at__lte=period.modified_until)
    last = dict(
        changes.values("object_id").annotate(last=Max("at")).values_list("object_id", "last")
    )
    firsts = dict(
        AuditEntry.objects.filter(content_type=content_type, object_id__in=list(last))
        .values("object_id")
        .annotate(first=Min("at"))
        .values_list("object_id", "first")
    )
    return [
        _tombstone(urls.paper(int(key)), "Paper", firsts.get(key), at)
        for key, at in sorted(last.items(), key=lambda item: int(item[0]))
        if period.admits(firsts.get(key), at)
    ]


def _public_case(snapshot: dict[str, Any], arena_id: int | None = None) -> bool:
    if not snapshot.get("published") or snapshot.get("arena_id") is None:
        return False
    return arena_id is None or snapshot.get("arena_id") == arena_id


def _public_body(arena_id: int) -> Arena:
    return get_object_or_404(queries.bodies(), pk=arena_id)


# --- the views ------------------------------------------------------------------------------


@oparl_view
def system(request: HttpRequest) -> HttpResponse:
    return _json(objects.system(_urls(request)))


@oparl_view
def body_list(request: HttpRequest) -> HttpResponse:
    urls = _urls(request)
    rows = queries.within(queries.bodies(), _period(request))
    return _page(request, rows, lambda arena: objects.body(arena, urls))


@oparl_view
def body(request: HttpRequest, arena_id: int) -> HttpResponse:
    return _json(objects.body(_public_body(arena_id), _urls(request)))


@oparl_view
def organization_list(request: HttpRequest, arena_id: int) -> HttpResponse:
    urls = _urls(request)
    arena = _public_body(arena_id)
    period = _period(request)
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
    return _page(request, rows, lambda row: row)


@oparl_view
def organization(request: HttpRequest, key: str) -> HttpResponse:
    urls = _urls(request)
    if key.startswith("arena-") and key[6:].isdigit():
        return _json(objects.arena_organization(_public_body(int(key[6:])), urls))
    if key.startswith("body-") and key[5:].isdigit():
        body_of_arena = get_object_or_404(queries.meeting_bodies(), pk=int(key[5:]))
        return _json(objects.body_organization(body_of_arena, urls))
    for body_kind, prefix in MUNICIPAL_KEYS.items():
        if key.startswith(prefix + "-"):
            found = queries.municipal_bodies(body=body_kind, code=key[len(prefix) + 1 :])
            if found:
                return _json(objects.municipal_organization(found[0], urls))
    return _json({"error": "not found"}, status=404)


@oparl_view
def paper_list(request: HttpRequest, arena_id: int) -> HttpResponse:
    urls = _urls(request)
    arena = _public_body(arena_id)
    period = _period(request)
    rows = queries.within(queries.papers(arena.pk), period)
    deleted = _tombstones(
        request, Case, period, urls.paper, lambda s: _public_case(s, arena.pk), "Paper"
    )
    hidden = Case.objects.filter(arena=arena, published=False)
    deleted += _withdrawn_papers(hidden, period, urls)
    return _page(request, rows, lambda case: objects.paper(case, urls), deleted)


@oparl_view
def paper(request: HttpRequest, case_id: int) -> HttpResponse:
    urls = _urls(request)
    found = queries.papers().filter(pk=case_id).first()
    if found is None:
        hidden = Case.objects.filter(pk=case_id, published=False, arena__published=True)
        if hidden.exists():  # withdrawn from the public, if it ever was public
            since = queries.Period(modified_since=datetime.min.replace(tzinfo=UTC))
            withdrawn = _withdrawn_papers(hidden, since, urls)
            if withdrawn:
                return _json(withdrawn[0])
        if Case.objects.filter(pk=case_id).exists():
            return _json({"error": "not found"}, status=404)
        return _deleted_object(request, Case, case_id, urls.paper(case_id), "Paper", _public_case)
    return _json(objects.paper(found, urls))


@oparl_view
def consultation_list(request: HttpRequest, arena_id: int) -> HttpResponse:
    urls = _urls(request)
    arena = _public_body(arena_id)
    period = _period(request)
    rows = queries.within(queries.consultations(arena.pk), period)
    deleted: list[dict[str, Any]] = []
    if period.modified_since is not None:
        public_cases = set(queries.papers(arena.pk).values_list("pk", flat=True))
        deleted = _tombstones(
            request,
            Decision,
            period,
            urls.consultation,
            lambda s: s.get("case_id") in public_cases,
            "Consultation",
        )
    return _page(request, rows, lambda d: objects.consultation(d, urls), deleted)


@oparl_view
def consultation(request: HttpRequest, decision_id: int) -> HttpResponse:
    urls = _urls(request)
    found = queries.consultations().filter(pk=decision_id).first()
    if found is None:
        if Decision.objects.filter(pk=decision_id).exists():
            return _json({"error": "not found"}, status=404)

        def was_public(snapshot: dict[str, Any]) -> bool:
            case_id = snapshot.get("case_id")
            return case_id is not None and queries.papers().filter(pk=case_id).exists()

        url = urls.consultation(decision_id)
        return _deleted_object(request, Decision, decision_id, url, "Consultation", was_public)
    return _json(objects.consultation(found, urls))


def _public_meeting_snapshot(snapshot: dict[str, Any], body_ids: set[int]) -> bool:
    """Whether a deleted meeting's last state was published in this body's lists."""
    if not snapshot.get("published") or snapshot.get("body_id") not in body_ids:
        return False
    status = snapshot.get("status")
    return status != Meeting.Status.PLANNED and not (
        status == Meeting.Status.CANCELLED and not snapshot.get("notice_sent_on")
    )


def _meeting_page(
    request: HttpRequest, rows: QuerySet[Meeting], body_ids: set[int]
) -> HttpResponse:
    urls = _urls(request)
    period = _period(request)
    deleted = _tombstones(
        request,
        Meeting,
        period,
        urls.meeting,
        lambda s: _public_meeting_snapshot(s, body_ids),
        "Meeting",
    )
    found = queries.within(rows, period)
    return _page(request, found, lambda m: objects.meeting(m, urls), deleted)


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
    urls = _urls(request)
    found = queries.meetings().filter(pk=meeting_id).first()
    if found is None:
        if Meeting.objects.filter(pk=meeting_id).exists():
            return _json({"error": "not found"}, status=404)
        body_ids = set(queries.meeting_bodies().values_list("pk", flat=True))
        return _deleted_object(
            request,
            Meeting,
            meeting_id,
            urls.meeting(meeting_id),
            "Meeting",
            lambda s: _public_meeting_snapshot(s, body_ids),
        )
    return _json(objects.meeting(found, urls))


@oparl_view
def meeting_file(request: HttpRequest, meeting_id: int, kind: str) -> HttpResponse:
    """A public meeting's printed notice or minutes as a File."""
    found = queries.meetings().filter(pk=meeting_id).first()
    if found is None or kind not in objects.printed_kinds(found):
        return _json({"error": "not found"}, status=404)
    return _json(objects.printed_file(found, kind, _urls(request)))


@oparl_view
def agenda_item_list(request: HttpRequest, arena_id: int) -> HttpResponse:
    urls = _urls(request)
    arena = _public_body(arena_id)
    rows = queries.within(queries.agenda_items(arena.pk), _period(request))
    return _page(request, rows, lambda item: objects.agenda_item(item, urls))


@oparl_view
def agenda_item(request: HttpRequest, item_id: int) -> HttpResponse:
    found = get_object_or_404(queries.agenda_items(), pk=item_id)
    return _json(objects.agenda_item(found, _urls(request)))


def _public_meeting_ids(body_ids: set[int], since: datetime | None) -> set[int]:
    """The meetings of `body_ids` public now, and those deleted (since `since`) while they
    were public: where a file was public when it was deleted. Two queries."""
    found = set(queries.public_meetings().filter(body_id__in=body_ids).values_list("pk", flat=True))
    deletions = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Meeting), action=AuditEntry.Action.DELETE
    )
    if since is not None:
        deletions = deletions.filter(at__gte=since)
    for object_id, snapshot in deletions.values_list("object_id", "snapshot"):
        if _public_meeting_snapshot(snapshot, body_ids):
            found.add(int(object_id))
    return found


def _access(urls: Urls, document_id: int) -> dict[str, Any]:
    """A deleted File's `accessUrl` (its schema requires one): the file view's, which
    answers 404 now."""
    return {"accessUrl": urls.web(reverse("meetings:document_file", args=[document_id]))}


def _public_file_snapshot(
    snapshot: dict[str, Any], meeting_ids: set[int], closed_items: set[int]
) -> bool:
    """Whether a deleted document was a public file: of a public meeting (or one deleted
    while public, with which it went), and not of a closed item."""
    return snapshot.get("meeting_id") in meeting_ids and snapshot.get("item_id") not in closed_items


def _closed_items(body_ids: set[int]) -> set[int]:
    return set(
        AgendaItem.objects.filter(body_id__in=body_ids, closed=True).values_list("pk", flat=True)
    )


def _withdrawn_files(
    hidden: QuerySet[MeetingDocument], period: queries.Period, urls: Urls
) -> list[dict[str, Any]]:
    """Documents among `hidden` (not public now) withdrawn from the public within `period`:
    their item closed, or their meeting (announced once) unpublished or planned again. The
    withdrawal is the last such change after the document was made; a document never
    public (its meeting never announced, its item closed before it came) is not named.
    Five queries."""
    if period.modified_since is None:
        return []
    rows = list(
        hidden.filter(meeting__notice_sent_on__isnull=False).values_list(
            "pk", "meeting_id", "item_id", "item__closed"
        )
    )
    if not rows:
        return []

    def changed(model: type[Model], keys: set[int], hides: Q) -> dict[int, Any]:
        """The last change of each of `keys` that `hides` (a change to a hidden state)."""
        found = AuditEntry.objects.filter(
            hides,
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(key) for key in keys],
            action__in=[AuditEntry.Action.UPDATE, AuditEntry.Action.RESTORE],
            at__gte=period.modified_since,
        )
        if period.modified_until is not None:
            found = found.filter(at__lte=period.modified_until)
        last = found.values("object_id").annotate(last=Max("at")).values_list("object_id", "last")
        return {int(key): at for key, at in last}

    shown = set(
        queries.public_meetings()
        .filter(pk__in={row[1] for row in rows})
        .values_list("pk", flat=True)
    )
    # a change's `changes` holds [before, after] of each field it changed
    unpublished = Q(changes__published__1=False) | Q(changes__status__1=Meeting.Status.PLANNED)
    meetings = changed(Meeting, {row[1] for row in rows} - shown, unpublished)
    items = changed(AgendaItem, {row[2] for row in rows if row[3]}, Q(changes__closed__1=True))
    firsts = queries.first_stamps(MeetingDocument, [row[0] for row in rows])
    found = []
    for pk, meeting_id, item_id, closed in sorted(rows):
        item_closed = items.get(item_id) if closed else None
        if closed and item_closed is None:
            continue  # its item closed all along (within the period): never public in it
        times = [at for at in (meetings.get(meeting_id), item_closed) if at is not None]
        created = firsts.get(pk)
        if not times or created is None or created > max(times):
            continue
        if period.admits(created, max(times)):
            found.append(_tombstone(urls.file(pk), "File", created, max(times), _access(urls, pk)))
    return found


@oparl_view
def file_list(request: HttpRequest, arena_id: int) -> HttpResponse:
    urls = _urls(request)
    arena = _public_body(arena_id)
    period = _period(request)
    rows = queries.within(queries.files(arena.pk), period)
    deleted: list[dict[str, Any]] = []
    if period.modified_since is not None:
        body_ids = set(arena.bodies.values_list("pk", flat=True))
        meeting_ids = _public_meeting_ids(body_ids, period.modified_since)
        closed_items = _closed_items(body_ids)
        deleted = _tombstones(
            request,
            MeetingDocument,
            period,
            urls.file,
            lambda s: _public_file_snapshot(s, meeting_ids, closed_items),
            "File",
            lambda pk: _access(urls, pk),
        )
        hidden = MeetingDocument.objects.filter(meeting__body_id__in=body_ids).exclude(
            pk__in=queries.public_documents().values("pk")
        )
        deleted += _withdrawn_files(hidden, period, urls)
    return _page(request, rows, lambda document: objects.file(document, urls), deleted)


@oparl_view
def file(request: HttpRequest, document_id: int) -> HttpResponse:
    urls = _urls(request)
    found = queries.files().filter(pk=document_id).first()
    if found is not None:
        return _json(objects.file(found, urls))
    hidden = MeetingDocument.objects.filter(pk=document_id, meeting__body__arena__published=True)
    if hidden.exists():  # withdrawn from the public, if it ever was public
        since = queries.Period(modified_since=datetime.min.replace(tzinfo=UTC))
        withdrawn = _withdrawn_files(hidden, since, urls)
        return _json(withdrawn[0]) if withdrawn else _json({"error": "not found"}, status=404)
    if MeetingDocument.objects.filter(pk=document_id).exists():
        return _json({"error": "not found"}, status=404)
    body_ids = set(queries.meeting_bodies().values_list("pk", flat=True))
    meeting_ids = _public_meeting_ids(body_ids, None)
    closed_items = _closed_items(body_ids)
    return _deleted_object(
        request,
        MeetingDocument,
        document_id,
        urls.file(document_id),
        "File",
        lambda s: _public_file_snapshot(s, meeting_ids, closed_items),
        _access(urls, document_id),
    )


@oparl_view
def membership(request: HttpRequest, member_id: int) -> HttpResponse:
    members = BodyMember.objects.filter(body__arena__published=True).select_related("municipality")
    found = get_object_or_404(queries.with_stamps(members), pk=member_id)
    return _json(objects.membership(found, _urls(request)))


@oparl_view
def seam_list(request: HttpRequest, arena_id: int, part: str) -> HttpResponse:
    """person, legislativeTermList: empty (see objects.SEAM_LISTS)."""
    if part not in SEAM_LISTS:
        return _json({"error": "not found"}, status=404)
    _public_body(arena_id)
    _period(request)  # the filters are checked even on an empty list
    return _page(request, [], lambda row: row)
