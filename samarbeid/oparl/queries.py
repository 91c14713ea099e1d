"""What OParl publishes, and when each record was made and last changed.

Only public data: published arenas (Body), their published cases (Paper) and those cases'
treatments (Consultation), whatever the caller (OParl is read by anyone, and a signed-in
user's session does not widen it).

The records keep no timestamps of their own; every write goes through the audit trail
(`audit.AuditEntry`), so an object's `created` is its first audit entry and `modified` its
last, read in the same query as the records (a subquery on the trail's
(content type, object id, time) index). A record loaded without the write path (none in the
product; a fixture in a test) has neither and is left out when the list is filtered by time.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    CharField,
    Max,
    Min,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast, Coalesce, Greatest

from samarbeid.arenas.models import Arena
from samarbeid.audit.models import AuditEntry
from samarbeid.governance.models import Case, Decision
from samarbeid.meetings.models import AgendaItem, Body, BodyMember, Meeting, MeetingDocument

M = TypeVar("M", bound=Model)

# The municipal bodies that treat an arena's cases: OParl organizations of their own.
MUNICIPAL_BODIES = (Decision.Body.COUNCIL, Decision.Body.EXECUTIVE_COMMITTEE)


@dataclass(frozen=True)
class Period:
    """The list filters: created_since/_until, modified_since/_until (None: open)."""

    created_since: datetime | None = None
    created_until: datetime | None = None
    modified_since: datetime | None = None
    modified_until: datetime | None = None

    def admits(self, created: datetime | None, modified: datetime | None) -> bool:
        checks = [
            (self.created_since, created, True),
            (self.created_until, created, False),
            (self.modified_since, modified, True),
            (self.modified_until, modified, False),
        ]
        for bound, value, since in checks:
            if bound is None:
                continue
            if value is None or (value < bound if since else value > bound):
                return False
        return True


def _entries(model: type[Model], pk: Any) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=pk
    )


def with_stamps(queryset: QuerySet[M], *, embedded: Any = None) -> QuerySet[M]:
    """`queryset` annotated with `oparl_created` and `oparl_modified` from the audit trail.
    `embedded`: a subquery of the last change of the objects embedded in each record (the
    standard makes an embedding object's `modified` follow its embedded objects')."""
    entries = _entries(queryset.model, Cast(OuterRef("pk"), output_field=CharField()))
    own = Subquery(entries.order_by("-at", "-pk").values("at")[:1])
    modified: Any = own
    if embedded is not None:
        modified = Greatest(Coalesce(own, embedded), Coalesce(embedded, own))
    return queryset.annotate(
        oparl_created=Subquery(entries.order_by("at", "pk").values("at")[:1]),
        oparl_modified=modified,
    )


def within(queryset: QuerySet[M], period: Period) -> QuerySet[M]:
    """`queryset` (with stamps) cut to `period`."""
    lookups = {
        "oparl_created__gte": period.created_since,
        "oparl_created__lte": period.created_until,
        "oparl_modified__gte": period.modified_since,
        "oparl_modified__lte": period.modified_until,
    }
    return queryset.filter(**{k: v for k, v in lookups.items() if v is not None})


def bodies() -> QuerySet[Arena]:
    return with_stamps(Arena.objects.filter(published=True)).order_by("pk")


def papers(arena_id: int | None = None) -> QuerySet[Case]:
    """The public cases (of one arena's body), with their public treatments' ids."""
    cases = Case.objects.filter(published=True, arena__published=True)
    if arena_id is not None:
        cases = cases.filter(arena_id=arena_id)
    treatment_ids = (
        Decision.objects.filter(case_id=OuterRef(OuterRef("pk")))
        .annotate(key=Cast("pk", output_field=CharField()))
        .values("key")
    )
    last_treated = Subquery(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Decision),
            object_id__in=treatment_ids,
        )
        .order_by("-at")
        .values("at")[:1]
    )
    treatments = with_stamps(
        Decision.objects.select_related(
            "municipality", "arena", "agenda_item__meeting__body__arena"
        )
    ).order_by("pk")
    return (
        with_stamps(cases, embedded=last_treated)
        .prefetch_related(Prefetch("decisions", treatments, to_attr="oparl_consultations"))
        .order_by("pk")
    )


def consultations(arena_id: int | None = None) -> QuerySet[Decision]:
    """The treatments of the public cases (of one arena's body)."""
    found = Decision.objects.filter(case__published=True, case__arena__published=True)
    if arena_id is not None:
        found = found.filter(case__arena_id=arena_id)
    return (
        with_stamps(found)
        .select_related("case", "municipality", "arena", "agenda_item__meeting__body__arena")
        .order_by("pk")
    )


@dataclass(frozen=True)
class MunicipalBody:
    """A municipality's council or executive committee that treats the arena's cases."""

    body: str  # Decision.Body
    code: str  # the municipality's code
    name: str
    created: datetime | None
    modified: datetime | None


def municipal_bodies(
    arena_id: int | None = None, *, body: str = "", code: str = ""
) -> list[MunicipalBody]:
    """The councils and executive committees that treat public cases (of one arena; or the
    one named by `body` and the municipality's `code`), each dated by the audit entries of
    its treatments (two queries)."""
    found = consultations(arena_id).filter(body__in=MUNICIPAL_BODIES, municipality__isnull=False)
    if body:
        found = found.filter(body=body, municipality__code=code)
    rows = list(found.values_list("pk", "body", "municipality__code", "municipality__name"))
    stamps = _stamps_of(Decision, [row[0] for row in rows])
    grouped: dict[tuple[str, str], list[Any]] = {}
    for pk, kind, number, name in rows:
        entry = grouped.setdefault((kind, number), [name, None, None])
        created, modified = stamps.get(pk, (None, None))
        entry[1] = _earliest(entry[1], created)
        entry[2] = _latest(entry[2], modified)
    return [
        MunicipalBody(body=kind, code=number, name=name, created=created, modified=modified)
        for (kind, number), (name, created, modified) in sorted(
            grouped.items(), key=lambda item: (item[0][1], item[0][0])
        )
    ]


def first_stamps(model: type[Model], pks: Collection[int]) -> dict[int, datetime]:
    """When each of the `model` records `pks` was made (its first audit entry). One query."""
    return {pk: first for pk, (first, _last) in _stamps_of(model, pks).items()}


def _stamps_of(model: type[Model], pks: Collection[int]) -> dict[int, tuple[datetime, datetime]]:
    if not pks:
        return {}
    rows = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in pks],
        )
        .values("object_id")
        .annotate(first=Min("at"), last=Max("at"))
    )
    return {int(row["object_id"]): (row["first"], row["last"]) for row in rows}


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return min((x for x in (a, b) if x is not None), default=None)


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    return max((x for x in (a, b) if x is not None), default=None)


# --- the meetings app's bodies, meetings, agenda items and files ---------------------------

# A planned meeting whose notice is not sent is not published, nor one cancelled before its
# notice: until the notice goes out the date, place and agenda are the secretariat's draft
# (they change freely and the items have no numbers yet); a council system that copied
# them would announce a meeting nobody was called to. A meeting cancelled after its notice
# stays, with `cancelled: true`, as the standard intends.
UNANNOUNCED = Q(status=Meeting.Status.PLANNED) | Q(
    status=Meeting.Status.CANCELLED, notice_sent_on__isnull=True
)


def public_meetings() -> QuerySet[Meeting]:
    """The meetings OParl publishes: published, of a published arena, announced."""
    return Meeting.objects.filter(published=True, body__arena__published=True).exclude(UNANNOUNCED)


def is_public_meeting(meeting: Meeting) -> bool:
    """`public_meetings()` for one meeting in hand (its body and arena loaded)."""
    announced = meeting.status != Meeting.Status.PLANNED and not (
        meeting.status == Meeting.Status.CANCELLED and meeting.notice_sent_on is None
    )
    return meeting.published and meeting.body.arena.published and announced


def public_documents() -> QuerySet[MeetingDocument]:
    """The files OParl publishes: of a public meeting, and not of a closed item (a closed
    item's files are never published, whatever they are)."""
    return MeetingDocument.objects.filter(meeting__in=public_meetings()).exclude(item__closed=True)


def meeting_bodies(arena_id: int | None = None) -> QuerySet[Body]:
    """The bodies of published arenas (organizations under the arena), with their members."""
    found = Body.objects.filter(arena__published=True)
    if arena_id is not None:
        found = found.filter(arena_id=arena_id)
    return (
        with_stamps(found)
        .prefetch_related(
            Prefetch(
                "members",
                BodyMember.objects.select_related("municipality").order_by("pk"),
                to_attr="oparl_members",
            )
        )
        .order_by("pk")
    )


def _latest_of(model: type[Model], keys: Any) -> Subquery:
    """The time of the last audit entry of the `model` records whose ids `keys` selects."""
    return Subquery(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=keys
        )
        .order_by("-at")
        .values("at")[:1]
    )


def _keys(queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.annotate(key=Cast("pk", output_field=CharField())).values("key")


def _item_documents() -> Prefetch:
    return Prefetch(
        "documents",
        with_stamps(public_documents()).order_by("date", "pk"),
        to_attr="oparl_files",
    )


def agenda_items(arena_id: int | None = None) -> QuerySet[AgendaItem]:
    """The items of the public meetings (of one arena), each with its public files, its
    meeting and, where it treats a public case, the case and decision."""
    found = AgendaItem.objects.filter(meeting__in=public_meetings())
    if arena_id is not None:
        found = found.filter(meeting__body__arena_id=arena_id)
    files = _latest_of(
        MeetingDocument, _keys(public_documents().filter(item_id=OuterRef(OuterRef("pk"))))
    )
    return (
        with_stamps(found, embedded=files)
        .select_related("meeting", "case__arena", "decision")
        .prefetch_related(_item_documents())
        .order_by("meeting__date", "meeting_id", "position", "pk")
    )


def meetings(arena_id: int | None = None, *, body_id: int | None = None) -> QuerySet[Meeting]:
    """The public meetings (of one arena, or one body), with their items and files embedded
    (a meeting's `modified` follows theirs, as the standard says of embedded objects)."""
    found = public_meetings()
    if arena_id is not None:
        found = found.filter(body__arena_id=arena_id)
    if body_id is not None:
        found = found.filter(body_id=body_id)
    items = _latest_of(
        AgendaItem, _keys(AgendaItem.objects.filter(meeting_id=OuterRef(OuterRef("pk"))))
    )
    files = _latest_of(
        MeetingDocument, _keys(public_documents().filter(meeting_id=OuterRef(OuterRef("pk"))))
    )
    embedded = Greatest(Coalesce(items, files), Coalesce(files, items))
    item_rows = (
        with_stamps(AgendaItem.objects.all())
        .select_related("case__arena", "decision")
        .prefetch_related(_item_documents())
        .order_by("position", "pk")
    )
    return (
        with_stamps(found, embedded=embedded)
        .select_related("body")
        .prefetch_related(
            Prefetch("items", item_rows, to_attr="oparl_items"),
            Prefetch(
                "documents",
                with_stamps(public_documents().filter(item__isnull=True)).order_by("date", "pk"),
                to_attr="oparl_files",
            ),
        )
        .order_by("date", "start_time", "pk")
    )


def files(arena_id: int | None = None) -> QuerySet[MeetingDocument]:
    """The public files (of one arena's meetings), with their meeting and item."""
    found = public_documents()
    if arena_id is not None:
        found = found.filter(meeting__body__arena_id=arena_id)
    return with_stamps(found).select_related("meeting", "item").order_by("pk")
