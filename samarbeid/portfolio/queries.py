"""Read-side helpers shared by pages, export and API: filtering and overview counts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.urls import reverse
from django.utils import timezone

from samarbeid.accounts.permissions import is_internal, published_to
from samarbeid.arenas.models import Arena
from samarbeid.arenas.served import with_sub_arenas
from samarbeid.core.stamps import cached_aggregate
from samarbeid.governance.models import Decision
from samarbeid.portfolio.models import Participation, Project, record_running_on
from samarbeid.registry.models import Municipality
from samarbeid.registry.services import SuccessorMap


@dataclass
class ProjectFilter:
    arena: int | None = None
    status: str = ""
    municipality: str = ""
    focus: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, data: Any) -> ProjectFilter:
        arena = data.get("arena", "")
        number = str(data.get("municipality", "")).strip()[:4]
        status = data.get("status", "")
        return cls(
            arena=int(arena) if str(arena).isdigit() else None,
            status=status if status in Project.Status.values else "",
            municipality=number if number.isdigit() else "",
            focus=str(data.get("focus", "")).strip()[:200],
            q=str(data.get("q", "")).strip()[:100],
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "arena": self.arena or "",
            "status": self.status,
            "municipality": self.municipality,
            "focus": self.focus,
            "q": self.q,
        }


def matching_projects(user: Any, filters: ProjectFilter) -> QuerySet[Project]:
    projects = Project.objects.visible_to(user)
    if filters.arena:
        projects = projects.filter(arena_id__in=with_sub_arenas([filters.arena]))
    if filters.status:
        projects = projects.filter(status=filters.status)
    if filters.municipality:
        projects = projects.filter(
            pk__in=Participation.objects.filter(
                municipality__number=filters.municipality, status=Participation.Status.JOINED
            ).values("project_id")
        )
    if filters.focus:
        projects = projects.filter(focus_area_text__iexact=filters.focus)
    if filters.q:
        projects = projects.filter(Q(title__icontains=filters.q) | Q(code__icontains=filters.q))
    return projects


def taking_part_on(day: date) -> Q:
    """A participation that has a municipality taking part in its project on `day`: the
    record runs by its own dates (`record_running_on`) and the project has not ended. Who
    takes part is the record's municipality's holder that day (`holders_on`)."""
    return record_running_on(day) & (Q(project__end__isnull=True) | Q(project__end__gte=day))


def holders_on(running: Iterable[tuple[int, int, date | None]], day: date) -> dict[int, set[int]]:
    """For (project, municipality, the municipality's valid_to) of running participations:
    each project's municipalities taking part on `day`, a merged municipality's record
    counting for its successor (once however many of its predecessors took part). The
    register's changes are read (one query) only when a record's municipality has ceased."""
    rows = list(running)
    successors = (
        SuccessorMap() if any(end is not None and end < day for _p, _m, end in rows) else None
    )
    holders: dict[int, set[int]] = defaultdict(set)
    for project_id, municipality_id, end in rows:
        if successors is not None and end is not None and end < day:
            holders[project_id].update(successors.successor_ids_on(municipality_id, day))
        else:
            holders[project_id].add(municipality_id)
    return holders


def taking_part_now(project_ids: Collection[int], day: date) -> dict[int, int]:
    """How many municipalities take part in each project on `day` (`taking_part_on`,
    `holders_on`): Larvik once for Larvik and Lardal; none for a project that has ended.
    At most two queries whatever the number of projects."""
    running = (
        Participation.objects.filter(taking_part_on(day), project_id__in=project_ids)
        .order_by()
        .values_list("project_id", "municipality_id", "municipality__valid_to")
    )
    return {project_id: len(ids) for project_id, ids in holders_on(running, day).items()}


def with_taking_part_now(projects: Iterable[Project], day: date) -> list[Project]:
    """The projects, each with `participant_count` (`taking_part_now`)."""
    found = list(projects)
    counts = taking_part_now([p.pk for p in found], day)
    for project in found:
        project.participant_count = counts.get(project.pk, 0)  # type: ignore[attr-defined]
    return found


def filtered_projects(user: Any, filters: ProjectFilter) -> QuerySet[Project]:
    """Visible projects matching the filters, with what list pages need in a fixed number of
    queries (arena, lead municipality, and the count of municipalities taking part now)."""
    projects = matching_projects(user, filters).select_related("arena", "lead_municipality")
    return projects.order_by("arena__short_name", "code")


class ProjectPages:
    """Visible projects matching the filters, for a paged list (page or API) at national
    scale: the page is cut on the ids alone, in the order of the unique (arena, code) index
    (so nothing is sorted and nothing is computed for rows not shown), and only the page's
    projects are loaded with their arena, lead municipality and participant count. The total
    is cached per data version (core.stamps). Sliceable and countable like a queryset."""

    def __init__(self, user: Any, filters: ProjectFilter) -> None:
        self.ids = (
            matching_projects(user, filters)
            .order_by("arena_id", "code")
            .values_list("pk", flat=True)
        )
        self.key = (is_internal(user), sorted(filters.as_dict().items()))

    def all(self) -> ProjectPages:
        return self

    def count(self) -> int:
        return cached_aggregate("project-count", self.ids.count, *self.key)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Project]:
        if not isinstance(index, slice):
            raise TypeError("ProjectPages takes slices")
        ids = list(self.ids[index])
        rows = Project.objects.filter(pk__in=ids).select_related("arena", "lead_municipality")
        by_pk = {
            project.pk: project for project in with_taking_part_now(rows, timezone.localdate())
        }
        return [by_pk[pk] for pk in ids]


# The overview names at most this many professional groups and networks; the rest are a
# link away in the arena list (a national portfolio has thousands).
OVERVIEW_ARENAS = 30


@dataclass
class Overview:
    by_status: list[tuple[str, str, int]] = field(default_factory=list)
    professional_groups: list[Arena] = field(default_factory=list)
    networks: list[Arena] = field(default_factory=list)
    group_count: int = 0
    network_count: int = 0
    by_focus: list[tuple[str, int, int, int]] = field(default_factory=list)
    by_municipality: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0

    def count(self, status: str) -> int:
        return next((n for value, _label, n in self.by_status if value == status), 0)

    @property
    def completed(self) -> int:
        return self.count(Project.Status.COMPLETED)

    @property
    def ongoing(self) -> int:
        return self.count(Project.Status.ONGOING)


def overview(user: Any, filters: ProjectFilter) -> Overview:
    """Counts by status, the professional groups beside the projects, counts by focus area
    and by municipality (how many projects each takes part in, now and ever)."""
    projects = matching_projects(user, filters)
    result = Overview()
    counts = dict(projects.order_by().values_list("status").annotate(n=Count("pk", distinct=True)))
    result.by_status = [(v, str(label), counts.get(v, 0)) for v, label in Project.Status.choices]
    result.total = sum(counts.values())
    arenas = Arena.objects.visible_to(user)
    if filters.arena:
        arenas = arenas.filter(parent_id=filters.arena)
    groups = arenas.filter(kind=Arena.Kind.PROFESSIONAL_GROUP).order_by("name", "pk")
    networks = arenas.filter(
        kind__in=[Arena.Kind.PROFESSIONAL_NETWORK, Arena.Kind.LEARNING_NETWORK]
    ).order_by("name", "pk")
    result.professional_groups = list(groups[:OVERVIEW_ARENAS])
    result.networks = list(networks[:OVERVIEW_ARENAS])
    result.group_count = (
        len(result.professional_groups)
        if len(result.professional_groups) < OVERVIEW_ARENAS
        else groups.count()
    )
    result.network_count = (
        len(result.networks) if len(result.networks) < OVERVIEW_ARENAS else networks.count()
    )
    focus_rows = (
        projects.order_by()
        .values("focus_area_text")
        .annotate(
            n=Count("pk", distinct=True),
            ongoing=Count("pk", filter=Q(status=Project.Status.ONGOING), distinct=True),
            completed=Count("pk", filter=Q(status=Project.Status.COMPLETED), distinct=True),
        )
        .order_by("-n", "focus_area_text")
    )
    result.by_focus = [
        (r["focus_area_text"], r["n"], r["ongoing"], r["completed"]) for r in focus_rows
    ]
    # Each municipality's projects, ever and now, from one query of (project, municipality)
    # pairs; now by the project list's rule (`taking_part_on`, `holders_on`): a merged
    # municipality's running record counts for its successor, once, and a project the
    # successor takes part in through it counts in its "ever" too.
    today = timezone.localdate()
    pairs = (
        Participation.objects.filter(
            project__in=projects.values("pk"), status=Participation.Status.JOINED
        )
        .order_by()
        .annotate(running=ExpressionWrapper(taking_part_on(today), output_field=BooleanField()))
        .values_list("project_id", "municipality_id", "municipality__valid_to", "running")
        .distinct()
    )
    ever: dict[int, set[int]] = defaultdict(set)
    running: list[tuple[int, int, date | None]] = []
    for project_id, municipality_id, valid_to, is_running in pairs:
        ever[municipality_id].add(project_id)
        if is_running:
            running.append((project_id, municipality_id, valid_to))
    now: dict[int, set[int]] = defaultdict(set)
    for project_id, holders in holders_on(running, today).items():
        for holder in holders:
            now[holder].add(project_id)
            ever[holder].add(project_id)
    counts_by_id = {pk: {"ever": len(ever[pk]), "now": len(now.get(pk, ()))} for pk in ever}
    names = Municipality.objects.filter(pk__in=counts_by_id).values_list(
        "pk", "code", "number", "name"
    )
    # One reverse() for the table, not one per row (357 rows on a national overview).
    url = reverse("portfolio:municipality", args=["CODE"])
    result.by_municipality = [
        {
            "url": url.replace("CODE", code),
            "code": code,
            "number": number,
            "name": name,
            "ever": counts_by_id[pk]["ever"],
            "now": counts_by_id[pk]["now"],
        }
        for pk, code, number, name in sorted(names, key=lambda row: (row[2], row[1]))
    ]
    return result


# The municipality page shows this many of its projects; the rest are on the portfolio's
# municipality page, 50 a page (a municipality can take part in thousands nationally).
MUNICIPALITY_PAGE_PROJECTS = 25


def municipality_context(
    user: Any, municipality: Any, *, page: str | None = None, limit: int | None = None
) -> dict[str, Any]:
    """A municipality's projects (its latest participation record per project) and its
    pending decisions on cases, as the user may see them. With `limit`: the first projects
    and whether there are more; otherwise the `page`-th page of 50.

    A municipality at national scale takes part in thousands of projects, and their order
    (arena, code) follows no index: the ordered ids are cached per data version
    (core.stamps) and only the shown records are loaded."""
    internal = is_internal(user)

    def ordered_ids() -> list[int]:
        # Its own participations and those of every municipality it took over (each shown
        # as the municipality it was): the latest record per project and municipality.
        history = [municipality.pk, *SuccessorMap().predecessor_ids(municipality.pk)]
        latest = (
            Participation.objects.filter(
                municipality=OuterRef("municipality"), project=OuterRef("project")
            )
            .order_by("-since", "-id")
            .values("pk")[:1]
        )
        records = Participation.objects.filter(municipality_id__in=history, pk=Subquery(latest))
        # joins, not `project__in=<visible projects>`: that list would cover the country
        records = published_to(records, user, "project", "project__arena")
        ordered = records.order_by(
            "project__arena__short_name", "project__code", "-municipality__valid_from", "id"
        )
        return list(ordered.values_list("pk", flat=True))

    ids: list[int] = cached_aggregate(
        "municipality-projects", ordered_ids, municipality.pk, internal
    )

    def load(chosen: list[int]) -> list[Participation]:
        # `or [0]`: asked even for none, so the page's number of queries never varies
        found = (
            Participation.objects.select_related(
                "project", "project__arena", "decision", "municipality"
            )
            .order_by()
            .in_bulk(chosen or [0])
        )
        return [found[pk] for pk in chosen if pk in found]

    listing: dict[str, Any]
    if limit is not None:
        listing = {"current": load(ids[:limit]), "more": len(ids) > limit}
    else:
        shown: Any = Paginator(ids, 50).get_page(page)  # ids cut, then the rows loaded
        shown.object_list = load(list(shown.object_list))
        listing = {"current": shown, "page": shown}
    pending = (
        Decision.objects.filter(municipality=municipality, outcome__in=["", "postponed"])
        .filter(case__isnull=False)
        # a municipality that ceased can no longer treat a case: its treatments lapsed
        .exclude(municipality__valid_to__lt=timezone.localdate())
        .select_related("case", "municipality")
        .order_by("planned_date", "id")
    )
    if not internal:
        pending = pending.filter(case__published=True)
    return listing | {
        "pending": list(pending),
        "today": timezone.localdate(),
    }


def project_origin(project: Project, user: Any) -> Any | None:
    """Where the project came from: the workshop theme it was made from (the workshops'
    `ThemeOutcome`, which keeps the link), with its question and workshop; None when it was
    not made from one or `user` may not see the workshop. The workshops' rule of visibility
    (`Workshop.objects.visible_to`) through the one rule: a published workshop in a published
    arena, everything for internal users. One query."""
    outcomes = published_to(
        project.workshop_outcomes.all(), user, "question__workshop", "question__workshop__arena"
    )
    return outcomes.select_related("question__workshop").order_by("created", "id").first()
