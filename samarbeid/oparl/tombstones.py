"""Deleted and withdrawn OParl objects: their tombstones, read from the audit trail.

One mechanism for every type: a record's audit entries each hold its whole state after the
change (before it, for a deletion), so its history (`histories`) says when it was public: a
case while published, a meeting while published and announced. A record gone from the
public (deleted, or hidden now) that was public once is withdrawn when it last stopped
being public: its tombstone (id, type, `deleted: true`, `created`, and as `modified` that
time) answers on its URL and is listed with modified_since. One never public is never
named: a 404, as for what never existed. What belongs to such a record (a meeting's agenda
items and files, a case's treatments) is public while it exists and its parent is
(`History.within`): it goes with its parent, or by its own deletion, or, for a file, by its
item's closure. Each list's tombstones take a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Model, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.urls import reverse

from samarbeid.audit.models import AuditEntry
from samarbeid.governance.models import Case, Decision
from samarbeid.meetings.models import AgendaItem, Meeting, MeetingDocument
from samarbeid.oparl import objects, queries
from samarbeid.oparl.objects import Urls


def tombstone(
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


def public_case(snapshot: dict[str, Any], arena_id: int | None = None) -> bool:
    if not snapshot.get("published") or snapshot.get("arena_id") is None:
        return False
    return arena_id is None or snapshot.get("arena_id") == arena_id


def public_meeting_snapshot(snapshot: dict[str, Any], body_ids: set[int]) -> bool:
    """Whether a meeting in this state (of its audit trail) was public in these bodies'
    lists: published and announced (`queries.public_meetings`)."""
    if not snapshot.get("published") or snapshot.get("body_id") not in body_ids:
        return False
    status = snapshot.get("status")
    return status != Meeting.Status.PLANNED and not (
        status == Meeting.Status.CANCELLED and not snapshot.get("notice_sent_on")
    )


def file_access(urls: Urls, document_id: int) -> dict[str, Any]:
    """A deleted File's `accessUrl` (its schema requires one): the file view's, which
    answers 404 now."""
    return {"accessUrl": urls.web(reverse("meetings:document_file", args=[document_id]))}


# --- what was public once and is not now, read from each record's history ---------------

Span = tuple[datetime, datetime | None]  # public from, until (None: public still)
EVER = queries.Period(modified_since=datetime.min.replace(tzinfo=UTC))


@dataclass(frozen=True)
class History:
    """A record's life as the audit trail tells it: made, deleted, when it was public, and
    its last state."""

    created: datetime
    deleted: datetime | None
    spans: tuple[Span, ...]
    last: dict[str, Any]

    def withdrawn(self) -> datetime | None:
        """When it last stopped being public; None when never public, or public still."""
        return self.spans[-1][1] if self.spans else None

    def within(self, parent: History) -> History:
        """This record as public only while its `parent` was (an item in its meeting)."""
        spans = []
        for start, end in self.spans:
            for outer_start, outer_end in parent.spans:
                begins = max(start, outer_start)
                ends = min((at for at in (end, outer_end) if at is not None), default=None)
                if ends is None or begins < ends:
                    spans.append((begins, ends))
        return History(self.created, self.deleted, tuple(sorted(spans)), self.last)


def histories(
    model: type[Model], keys: Q, public: Callable[[dict[str, Any]], bool]
) -> dict[int, History]:
    """The histories of the `model` records whose audit entries `keys` selects, each state
    `public` or not (a deleted record is not). One query."""
    entries = (
        AuditEntry.objects.filter(keys, content_type=ContentType.objects.get_for_model(model))
        .order_by("at", "pk")
        .values_list("object_id", "action", "at", "snapshot")
    )
    lives: dict[int, dict[str, Any]] = {}
    for object_id, action, at, state in entries:
        life = lives.setdefault(int(object_id), {"created": at, "spans": [], "since": None})
        gone = action == AuditEntry.Action.DELETE
        life["deleted"] = at if gone else None
        life["last"] = state
        if not gone and public(state):
            life["since"] = life["since"] or at
        elif life["since"] is not None:
            life["spans"].append((life["since"], at))
            life["since"] = None
    found = {}
    for pk, life in lives.items():
        spans = life["spans"] + ([(life["since"], None)] if life["since"] is not None else [])
        found[pk] = History(life["created"], life["deleted"], tuple(spans), life["last"])
    return found


def _keys_of(queryset: QuerySet[Any]) -> Q:
    keys = queryset.annotate(key=Cast("pk", output_field=CharField())).values("key")
    return Q(object_id__in=Subquery(keys))


def _deleted_keys(model: type[Model], **snapshot: Any) -> Q:
    """The audit entries of the `model` records deleted with `snapshot` (`body_id__in=…`)."""
    deletions = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        action=AuditEntry.Action.DELETE,
        **{f"snapshot__{name}": value for name, value in snapshot.items()},
    )
    return Q(object_id__in=Subquery(deletions.values("object_id")))


def _changed_since(model: type[Model], since: datetime) -> Q:
    """The audit entries of the `model` records changed (or deleted) since `since`: only
    those can have been withdrawn since."""
    changed = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), at__gte=since
    )
    return Q(object_id__in=Subquery(changed.values("object_id")))


def _tombstones(
    found: dict[int, History],
    period: queries.Period,
    url: Callable[[int], str],
    type_name: str,
    parents: dict[int, History] | None = None,
    parent_key: str = "",
    extra: Callable[[History], dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The tombstones of the records in `found` withdrawn within `period` (each, with
    `parents`, public only while the parent its last state's `parent_key` names was;
    `extra`: what the type's schema requires besides id and type)."""
    result = []
    for pk, history in sorted(found.items()):
        if parents is not None:
            parent = _named(parents, history, parent_key)
            if parent is None:
                continue
            history = history.within(parent)
        at = history.withdrawn()
        if at is not None and period.admits(history.created, at):
            more = extra(history) if extra is not None else None
            result.append(tombstone(url(pk), type_name, history.created, at, more))
    return result


def _named(found: dict[int, History], history: History, key: str) -> History | None:
    """The history in `found` of the record `history`'s last state names by `key`."""
    pk = history.last.get(key)
    return found.get(pk) if isinstance(pk, int) else None


def _always(state: dict[str, Any]) -> bool:
    return True


def _meeting_histories(
    body_ids: set[int], since: datetime, only: int | None = None, more: Q | None = None
) -> dict[int, History]:
    """The histories of the meetings of `body_ids` not public now (hidden or deleted) and
    changed since `since` (or just `only`: a state of another body, or a meeting public
    now, is no withdrawn one's), and of those `more` names. One query."""
    if only is not None:
        keys = Q(object_id=str(only))
    else:
        hidden = Meeting.objects.filter(body_id__in=body_ids).exclude(
            pk__in=queries.public_meetings().values("pk")
        )
        keys = _keys_of(hidden) | _deleted_keys(Meeting, body_id__in=sorted(body_ids))
        keys &= _changed_since(Meeting, since)
    if more is not None:
        keys |= more
    return histories(Meeting, keys, lambda state: public_meeting_snapshot(state, body_ids))


def withdrawn_meetings(
    body_ids: set[int], period: queries.Period, urls: Urls, only: int | None = None
) -> list[dict[str, Any]]:
    """The meetings of `body_ids` public once (published and announced) and not now:
    unpublished, planned again or deleted within `period` (asked only with modified_since).
    `only`: that meeting's tombstone, if it has one. One query."""
    if period.modified_since is None:
        return []
    found = _meeting_histories(body_ids, period.modified_since, only)
    return _tombstones(found, period, urls.meeting, "Meeting")


def withdrawn_items(
    body_ids: set[int], period: queries.Period, urls: Urls, only: int | None = None
) -> list[dict[str, Any]]:
    """The agenda items of `body_ids` public once and not now: their meeting withdrawn, or
    the item deleted while its meeting was public, within `period`. (A closed item stays
    public with its number, title and legal basis.) `only`: that item's tombstone, if it has
    one. Three queries (four for `only`)."""
    if period.modified_since is None:
        return []
    since = period.modified_since
    deletions = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(AgendaItem),
        action=AuditEntry.Action.DELETE,
    )
    if only is None:
        deletions = deletions.filter(at__gte=since, snapshot__body_id__in=sorted(body_ids))
    else:  # its meeting's history says whether it was of these bodies
        deletions = deletions.filter(object_id=str(only))
    deleted = {
        int(key): state.get("meeting_id")
        for key, state in deletions.values_list("object_id", "snapshot")
    }
    if only is None:
        meetings = _meeting_histories(
            body_ids, since, more=Q(object_id__in=[str(pk) for pk in set(deleted.values())])
        )
    else:
        meeting_id = deleted.get(only) or (
            AgendaItem.objects.filter(pk=only).values_list("meeting_id", flat=True).first()
        )
        if meeting_id is None:
            return []
        meetings = histories(
            Meeting,
            Q(object_id=str(meeting_id)),
            lambda state: public_meeting_snapshot(state, body_ids),
        )
    withdrawn = [pk for pk, history in meetings.items() if history.withdrawn() is not None]
    items = AgendaItem.objects.filter(meeting_id__in=withdrawn)
    items = items.filter(pk=only) if only is not None else items.filter(body_id__in=body_ids)
    keys = _keys_of(items) | Q(object_id__in=[str(pk) for pk in deleted])
    found = histories(AgendaItem, keys, _always)
    return _tombstones(
        found, period, urls.agenda_item, "AgendaItem", meetings, "meeting_id", _item_order
    )


def _item_order(history: History) -> dict[str, Any]:
    """A withdrawn item's `order` (its schema requires one): its last place in the agenda."""
    return {"order": history.last.get("position", 0)}


def withdrawn_papers(
    public: Callable[[dict[str, Any]], bool],
    period: queries.Period,
    urls: Urls,
    arena_id: int | None = None,
    only: int | None = None,
) -> list[dict[str, Any]]:
    """The cases (of `arena_id`) public once (a state `public` says is) and not now,
    unpublished or deleted within `period`, so a client that synchronises with
    modified_since learns to drop them (as deleted; nothing else of them is shown).
    `only`: that case's tombstone. One query."""
    if period.modified_since is None:
        return []
    if only is not None:
        keys = Q(object_id=str(only))
    else:
        assert arena_id is not None  # a list is of one arena's cases
        hidden = Case.objects.filter(arena_id=arena_id, published=False)
        keys = _keys_of(hidden) | _deleted_keys(Case, arena_id=arena_id)
        keys &= _changed_since(Case, period.modified_since)
    return _tombstones(histories(Case, keys, public), period, urls.paper, "Paper")


def withdrawn_consultations(
    public: Callable[[dict[str, Any]], bool],
    period: queries.Period,
    urls: Urls,
    hidden: QuerySet[Case] | None = None,
    only: int | None = None,
) -> list[dict[str, Any]]:
    """The treatments public once and not now, within `period`: a treatment is public while
    it exists and its case is (a state of the case `public` says is), so it goes with its
    case (among `hidden`, not public now) or by its deletion. `only`: that treatment's
    tombstone. Three queries."""
    if period.modified_since is None:
        return []
    deletions = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Decision), action=AuditEntry.Action.DELETE
    )
    if only is None:
        deletions = deletions.filter(at__gte=period.modified_since)
    else:
        deletions = deletions.filter(object_id=str(only))
    deleted = {int(key): state for key, state in deletions.values_list("object_id", "snapshot")}
    case_ids = {state.get("case_id") for state in deleted.values()}
    if only is not None:
        case_ids |= set(Decision.objects.filter(pk=only).values_list("case_id", flat=True))
    keys = Q(object_id__in=[str(pk) for pk in case_ids if isinstance(pk, int)])
    if hidden is not None:
        keys |= _keys_of(hidden) & _changed_since(Case, period.modified_since)
    cases = histories(Case, keys, public)
    withdrawn = [pk for pk, history in cases.items() if history.withdrawn() is not None]
    decisions = Decision.objects.filter(case_id__in=withdrawn)
    if only is not None:
        decisions = decisions.filter(pk=only)
    keys = _keys_of(decisions) | Q(object_id__in=[str(pk) for pk in deleted])
    found = histories(Decision, keys, _always)
    return _tombstones(found, period, urls.consultation, "Consultation", cases, "case_id")


def _open_item(state: dict[str, Any]) -> bool:
    """Whether an item's files could be public in this state: a closed item's never are."""
    return not state.get("closed")


def withdrawn_documents(
    body_ids: set[int], period: queries.Period, urls: Urls, only: int | None = None
) -> list[dict[str, Any]]:
    """The files of `body_ids` public once and not now, within `period`: a file is public
    while it exists, its meeting is public and its item (if any) is not closed, so it is
    withdrawn by its deletion, its item's closure or its meeting's withdrawal (unpublished,
    planned again, deleted). A file never public (its meeting never announced, its item
    closed before it came) is never named. `only`: that file's tombstone. Four queries."""
    if period.modified_since is None:
        return []
    since = period.modified_since
    deletions = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(MeetingDocument),
        action=AuditEntry.Action.DELETE,
    )
    if only is None:
        deletions = deletions.filter(at__gte=since)
        closed = AgendaItem.objects.filter(body_id__in=body_ids, closed=True)
        item_keys = _keys_of(closed) & _changed_since(AgendaItem, since)
    else:
        deletions = deletions.filter(object_id=str(only))
        item_keys = _keys_of(AgendaItem.objects.filter(documents__pk=only))
    deleted = {int(key): state for key, state in deletions.values_list("object_id", "snapshot")}
    item_keys |= Q(object_id__in=[str(s["item_id"]) for s in deleted.values() if s.get("item_id")])
    items = histories(AgendaItem, item_keys, _open_item)
    meeting_ids = {s.get("meeting_id") for s in deleted.values()}
    meeting_ids |= {item.last.get("meeting_id") for item in items.values()}
    more = Q(object_id__in=[str(pk) for pk in meeting_ids if isinstance(pk, int)])
    if only is None:
        meetings = _meeting_histories(body_ids, since, more=more)
    else:
        more |= _keys_of(Meeting.objects.filter(documents__pk=only))
        meetings = histories(Meeting, more, lambda state: public_meeting_snapshot(state, body_ids))
    withdrawn = [pk for pk, history in meetings.items() if history.withdrawn() is not None]
    closed_since = [pk for pk, history in items.items() if history.withdrawn() is not None]
    documents = MeetingDocument.objects.filter(
        Q(meeting_id__in=withdrawn) | Q(item_id__in=closed_since)
    )
    if only is not None:
        documents = documents.filter(pk=only)
    keys = _keys_of(documents) | Q(object_id__in=[str(pk) for pk in deleted])
    found = []
    for pk, history in sorted(histories(MeetingDocument, keys, _always).items()):
        meeting = _named(meetings, history, "meeting_id")
        if meeting is None:
            continue  # not of these bodies' meetings, or of one public all along
        history = history.within(meeting)
        item = _named(items, history, "item_id")
        if item is not None:
            history = history.within(item)
        at = history.withdrawn()
        if at is not None and period.admits(history.created, at):
            found.append(
                tombstone(urls.file(pk), "File", history.created, at, file_access(urls, pk))
            )
    return found
