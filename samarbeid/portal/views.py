from __future__ import annotations

import io
import secrets
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from samarbeid.accounts.permissions import is_internal
from samarbeid.arenas.models import Arena, Membership
from samarbeid.core.public_cache import public_cache
from samarbeid.core.stamps import cached_aggregate
from samarbeid.jobs.services import oldest_waiting_age, sweep_stopped
from samarbeid.lib import spreadsheet
from samarbeid.portal.dashboard import sections_for
from samarbeid.portal.opendata import DATASET_BY_SLUG, DATASETS, popolo
from samarbeid.registry.models import Municipality


@public_cache
def home(request: HttpRequest) -> HttpResponse:
    """Dashboard: what waits for the signed-in clerk (portal.dashboard), then arenas by kind
    and status, and how many arenas each municipality sits in."""
    today = timezone.localdate()
    internal = is_internal(request.user)
    arenas = Arena.objects.visible_to(request.user)

    def counts() -> dict[str, Any]:
        by_kind = {r["kind"]: r["n"] for r in arenas.values("kind").annotate(n=Count("id"))}
        by_status = {r["status"]: r["n"] for r in arenas.values("status").annotate(n=Count("id"))}
        load = (
            Municipality.objects.filter(
                memberships__in=Membership.objects.active_on(today).filter(arena__in=arenas)
            )
            .annotate(arenas=Count("memberships__arena", distinct=True))
            .order_by("-arenas", "number")[:15]
        )
        due = arenas.filter(Q(next_review__lte=today), status__in=["active", "under_review"])
        # Members that merged away or got a new number, per arena (internal: the secretariat
        # carries them on from the arena's page).
        ceased = (
            Membership.objects.open_after_cessation()
            .filter(arena__in=arenas)
            .values("arena_id", "arena__name")
            .annotate(n=Count("id"))
            .order_by("arena__name", "arena_id")
        )
        return {
            "by_kind": by_kind,
            "by_status": by_status,
            "load": list(load),
            "due_reviews": list(due.order_by("next_review", "pk")[:10]),
            "due_membership_reviews": list(
                Membership.objects.active_on(today)
                .filter(arena__in=arenas, next_review__lte=today)
                .select_related("arena", "municipality")
                .order_by("next_review", "pk")[:10]
            ),
            "ceased_members": list(ceased[:10]) if internal else [],
            "ceased_arenas": ceased.count() if internal else 0,
        }

    # Counts over every arena and membership: cached until the data changes (core.stamps).
    figures = cached_aggregate("home", counts, internal, today)
    by_kind, by_status, load = figures["by_kind"], figures["by_status"], figures["load"]
    arena_list = reverse("arenas:arena_list")
    kinds = [
        (capfirst(str(label)), by_kind.get(value, 0), f"{arena_list}?kind={value}")
        for value, label in Arena.Kind.choices
    ]
    statuses = [
        (capfirst(str(label)), by_status.get(value, 0), f"{arena_list}?status={value}")
        for value, label in Arena.Status.choices
    ]
    sections = sections_for(request.user, today)
    return render(
        request,
        "portal/home.html",
        {
            "kinds": [k for k in kinds if k[1]],
            "statuses": statuses,
            "arena_total": sum(by_kind.values()),
            "load": load,
            "due_reviews": figures["due_reviews"],
            "due_membership_reviews": figures["due_membership_reviews"],
            "ceased_members": figures["ceased_members"],
            "ceased_arenas": figures["ceased_arenas"],
            "today": today,
            "sections": sections,
            "secretariat": any(s.slug == "ceased" for s in sections),
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database and the cache answer, 503 otherwise, with
    each part's state (the cache is shared by every app server when REDIS_URL is set)."""
    parts = {"database": _database_state(), "cache": _cache_state()}
    healthy = all(state == "ok" for state in parts.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            **parts,
            # how long the oldest waiting background task has waited for a worker since its
            # time to run came (null: none waits; a task planned for later is not waiting);
            # a growing age means too few workers, or none running
            "oldest_waiting_task_seconds": _oldest_waiting_task()
            if parts["database"] == "ok"
            else None,
            # running tasks whose worker died (no sign of life for longer than their kind
            # allows), marked failed (retryable) by this call
            "stopped_tasks_marked": _sweep_stopped() if parts["database"] == "ok" else None,
        },
        status=200 if healthy else 503,
    )


def _sweep_stopped() -> int | None:
    try:
        return len(sweep_stopped())
    except Exception:  # the health check answers whatever the tasks' table says
        return None


def _oldest_waiting_task() -> float | None:
    try:
        age = oldest_waiting_age()
    except Exception:  # the health check answers whatever the queue's table says
        return None
    return None if age is None else round(age, 1)


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means unhealthy
        return str(exc) or type(exc).__name__
    return "ok"


def _cache_state() -> str:
    probe = f"healthz:{secrets.token_hex(8)}"
    try:
        cache.set(probe, 1, 10)
        found = cache.get(probe)
        cache.delete(probe)
    except Exception as exc:  # an unreachable cache server is unhealthy, whatever it raises
        return str(exc) or type(exc).__name__
    return "ok" if found == 1 else "the cache did not keep a value"


def open_data(request: HttpRequest) -> HttpResponse:
    """The open-data page: every published dataset as JSON and CSV, and Popolo."""
    return render(request, "portal/open_data.html", {"datasets": DATASETS})


def open_data_file(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    dataset = DATASET_BY_SLUG.get(slug)
    if dataset is None:
        raise Http404
    rows = dataset.rows()
    filename = f"samarbeid-{slug}.{fmt}"
    if fmt == "json":
        response: HttpResponse = JsonResponse(
            {"dataset": slug, "count": len(rows), "items": rows},
            json_dumps_params={"ensure_ascii": False, "indent": 1},
        )
    else:
        buffer = io.StringIO()
        writer = spreadsheet.dict_writer(buffer, dataset.columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def open_data_popolo(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(popolo(), json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = 'attachment; filename="samarbeid-popolo.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
