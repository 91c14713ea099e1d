"""Benchmarks at national scale (`make bench`): not tests, measurements.

For each factor (default 1 and 4; `BENCH_FACTORS=1,4,16` or `--factors 1,4,16`) this builds a
fresh SQLite database under var/bench/, seeds it with `seed_scale --factor N`, and then

* times the main pages and API endpoints with Django's test client (median and p95 over
  `--requests` requests, plus the SQL queries per request), as the public and as a
  secretariat user; pages not built yet (404) are listed as such. One child process per
  factor holds its database open, and each page is timed in all of them in turn, a few
  requests at a time, so a machine that is slower in one minute than in the next slows
  every factor alike instead of showing as growth with the data;
* times a national invoice run (every arena's budget for the last budget year) and, when
  the reports domain offers one, the annual-report PDF;
* runs a load test on loopback: gunicorn on 127.0.0.1 against the bench database, driven
  by a bounded load generator (threads + http.client) for `--load-seconds` per target,
  against the home page, an API list and /healthz (a near-bare view: the floor).

Results go to docs/benchmarks.md (with the machine described) and var/bench/results.json.
Every measurement runs with DEBUG off, as in production.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
PYTHON = sys.executable

PAGE_SECONDS = 10.0  # at most this long per page and viewer (but at least 3 requests)
TARGETS = {
    "pages_p95_ms_factor_1": 100.0,
    "growth_factor": 1.5,
    # issue 20: every main page under 8 concurrent clients on 2 gunicorn workers, factor 1
    "load_p95_ms_factor_1": 50.0,
}
# The load test's targets: /healthz as the floor, then the main pages issue 20 names
LOAD_PATHS = (
    "/healthz",
    "/",
    "/arenaer/",
    "/prosjekter/",
    "/kommuner/3909/",
    "/api/v1/arenas",
    "/api/v1/projects",
)


def bench_env(db: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{db}",
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            "AXES_ENABLED": "false",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def seed_database(env: dict[str, str], db: Path, factor: int, *, reuse: bool) -> dict[str, Any]:
    """A database seeded at `factor`; with `reuse`, one seeded before is kept (and migrated,
    so it has the tables of newer code). The seeding's time and summary are kept beside it."""
    note = Path(f"{db}.seed.json")
    if reuse and db.exists():
        print(f"factor {factor}: reuse {db.name}, migrate …", flush=True)
        manage(env, "migrate", "--no-input")
        if note.exists():
            return dict(json.loads(note.read_text())) | {"reused": True}
        return {"seconds": 0.0, "output": "reused (seeded earlier)", "reused": True}
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), note):
        stale.unlink(missing_ok=True)
    print(f"factor {factor}: migrate and seed …", flush=True)
    manage(env, "migrate", "--no-input")
    started = time.perf_counter()
    output = manage(env, "seed_scale", "--factor", str(factor))
    seed = {"seconds": time.perf_counter() - started, "output": output}
    note.write_text(json.dumps(seed))
    print(f"  {output}", flush=True)
    return seed


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


# The measuring child process: Django is set up once per database. -----------------------


class QueryCounter:
    """Counts the SQL statements run while active (an execute wrapper: independent of
    DEBUG and of the query log, which Django resets at every request)."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.count = 0
        self._wrapper: Any = None

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self) -> QueryCounter:
        self._wrapper = self.connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._wrapper.__exit__(*exc)


def _candidates() -> list[tuple[str, str]]:
    """(name, url) of the main pages and API endpoints, details on the busiest records."""
    from django.db.models import Count

    from samarbeid.arenas.models import Arena
    from samarbeid.meetings.models import Body, Meeting
    from samarbeid.portfolio.models import Project
    from samarbeid.registry.models import Municipality

    arena = (
        Arena.objects.filter(published=True)
        .annotate(n=Count("memberships"))
        .order_by("-n", "pk")
        .first()
    )
    municipality = (
        Municipality.objects.current().annotate(n=Count("memberships")).order_by("-n").first()
    )
    project = (
        Project.objects.filter(published=True)
        .annotate(n=Count("participations"))
        .order_by("-n", "pk")
        .first()
    )
    # the body with most meetings, the meeting with most items (of public arenas; the public
    # sees the published meetings of published arenas)
    body = (
        Body.objects.filter(arena__published=True)
        .annotate(n=Count("meetings"))
        .order_by("-n", "pk")
        .first()
    )
    meeting = (
        Meeting.objects.filter(published=True, body__arena__published=True)
        .annotate(n=Count("items"))
        .order_by("-n", "pk")
        .first()
    )
    pages = [
        ("home", "/"),
        ("municipality list", "/kommuner/"),
        ("municipality detail", f"/kommuner/{municipality.code}/" if municipality else ""),
        ("arena list", "/arenaer/"),
        ("arena list, filtered", "/arenaer/?kind=professional_network&status=active"),
        ("arena detail", f"/arenaer/{arena.pk}/" if arena else ""),
        ("portfolio overview", "/prosjekter/"),
        ("project list", "/prosjekter/liste/"),
        ("project detail", f"/prosjekter/{project.pk}/" if project else ""),
        ("finance", "/okonomi/"),
        ("finance, arena", f"/okonomi/arena/{arena.pk}/" if arena else ""),
        ("finance, municipality", f"/okonomi/kommune/{municipality.code}/" if municipality else ""),
        ("strategy", "/strategi/"),
        ("review", "/gjennomgang/"),
        ("workshops", "/samlinger/"),
        ("reports", "/rapporter/"),
        ("meetings", "/moter/"),
        ("body", f"/moter/organ/{body.pk}/" if body else ""),
        ("meeting detail", f"/moter/{meeting.pk}/" if meeting else ""),
        ("API municipalities", "/api/v1/municipalities"),
        ("API arenas", "/api/v1/arenas"),
        ("API arena", f"/api/v1/arenas/{arena.pk}" if arena else ""),
        ("API projects", "/api/v1/projects"),
        ("API project", f"/api/v1/projects/{project.pk}" if project else ""),
        ("API meeting bodies", "/api/v1/meetings/bodies"),
        ("API meetings", "/api/v1/meetings"),
        ("API meeting items", f"/api/v1/meetings/{meeting.pk}/items" if meeting else ""),
        ("healthz (floor)", "/healthz"),
    ]
    return [(name, url) for name, url in pages if url]


class PageTimer:
    """The page-timing side of a measuring child: test clients for the public and a
    secretariat user, and the main pages of this child's database by name (the ids of the
    busiest records differ between databases; the names are the same)."""

    def __init__(self) -> None:
        from django.contrib.auth import get_user_model
        from django.core.signals import request_finished, request_started
        from django.db import close_old_connections
        from django.test import Client

        from samarbeid.accounts.models import Role, RoleAssignment

        # As in production with CONN_MAX_AGE: one connection for the whole run.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        user, _ = get_user_model().objects.get_or_create(username="bench-sekretariat")
        RoleAssignment.objects.get_or_create(user=user, role=Role.SECRETARIAT, arena=None)
        secretariat = Client(raise_request_exception=False)
        secretariat.force_login(user)
        self.clients = {"public": Client(raise_request_exception=False), "secretariat": secretariat}
        self.urls = dict(_candidates())

    def prepare(self, name: str, viewer: str) -> dict[str, Any]:
        """One warm-up request, then one counted: status, SQL queries and size."""
        from django.db import connection

        url = self.urls.get(name, "")
        if not url:
            return {"status": None}
        client = self.clients[viewer]
        response = client.get(url)
        if response.status_code != 200:
            return {"url": url, "status": response.status_code}
        with QueryCounter(connection) as counter:
            response = client.get(url)
        return {
            "url": url,
            "status": response.status_code,
            "queries": counter.count,
            "bytes": len(response.content),
        }

    def time(self, name: str, viewer: str, count: int) -> list[float]:
        client, url = self.clients[viewer], self.urls[name]
        times = []
        for _ in range(count):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        return times


def _serve() -> None:
    """A measuring child: answers one JSON command per line on stdin with one JSON line on
    stdout, so the parent can time the same page in every factor's database in turn."""
    timer = PageTimer()
    for raw in sys.stdin:
        command = json.loads(raw)
        op = command["op"]
        answer: Any
        if op == "names":
            answer = list(timer.urls)
        elif op == "prepare":
            answer = timer.prepare(command["name"], command["viewer"])
        elif op == "time":
            answer = timer.time(command["name"], command["viewer"], command["count"])
        elif op == "invoice_run":
            try:
                answer = _invoice_run()
            except Exception as exc:  # report what failed; the other measurements still count
                answer = {"error": f"{type(exc).__name__}: {exc}"[:500]}
        elif op == "annual_report":
            answer = _annual_report()
        elif op in TARGET_OPS:
            try:
                answer = TARGET_OPS[op](**command.get("arguments", {}))
            except Exception as exc:  # report what failed; the other measurements still count
                answer = {"error": f"{type(exc).__name__}: {exc}"[:500]}
        else:
            return
        print(json.dumps(answer), flush=True)


class Child:
    """A measuring child process on one factor's database (see `_serve`)."""

    def __init__(self, factor: int, env: dict[str, str]) -> None:
        self.factor = factor
        self.process = subprocess.Popen(
            [PYTHON, str(Path(__file__).resolve()), "--child", str(factor)],
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, op: str, **arguments: Any) -> Any:
        assert self.process.stdin
        assert self.process.stdout
        self.process.stdin.write(json.dumps({"op": op, **arguments}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the factor {self.factor} child stopped")
        return json.loads(line)

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=60)


def time_pages(children: list[Child], requests: int) -> dict[int, list[dict[str, Any]]]:
    """Every page as both viewers in every factor's database, interleaved: a few requests
    in one database, then the same page in the next, round after round, so that a machine
    slower in one minute than in another slows every factor alike and cannot show as growth
    with the data. At most PAGE_SECONDS per page and factor (and at least 3 requests)."""
    rows: dict[int, list[dict[str, Any]]] = {child.factor: [] for child in children}
    names = children[0].ask("names")
    for name in names:
        for viewer in ("public", "secretariat"):
            prepared = {
                child.factor: child.ask("prepare", name=name, viewer=viewer) for child in children
            }
            timed = [c for c in children if prepared[c.factor].get("status") == 200]
            for child in children:
                found = prepared[child.factor]
                if found.get("status") is None:
                    continue
                if found["status"] != 200:
                    rows[child.factor].append(
                        {
                            "name": name,
                            "url": found["url"],
                            "viewer": viewer,
                            "status": found["status"],
                        }
                    )
                    print(
                        f"  f{child.factor:<3} {viewer:11} {name:26} {found['status']}", flush=True
                    )
            times: dict[int, list[float]] = {c.factor: [] for c in timed}
            budget = time.perf_counter() + PAGE_SECONDS * len(timed)
            round_ = 0
            while timed and min(len(t) for t in times.values()) < requests:
                if (
                    round_
                    and min(len(t) for t in times.values()) >= 3
                    and time.perf_counter() > budget
                ):
                    break  # a slow page: enough samples for the median, keep the run bounded
                # Each round starts with the next factor, so none is always first.
                for child in timed[round_ % len(timed) :] + timed[: round_ % len(timed)]:
                    times[child.factor] += child.ask("time", name=name, viewer=viewer, count=3)
                round_ += 1
            for child in timed:
                found, samples = prepared[child.factor], times[child.factor][:requests]
                rows[child.factor].append(
                    {
                        "name": name,
                        "url": found["url"],
                        "viewer": viewer,
                        "status": 200,
                        "queries": found["queries"],
                        "median_ms": statistics.median(samples),
                        "p95_ms": percentile(samples, 0.95),
                        "samples": len(samples),
                        "bytes": found["bytes"],
                    }
                )
                print(
                    f"  f{child.factor:<3} {viewer:11} {name:26} 200 "
                    f"{statistics.median(samples):7.1f} ms p95 {percentile(samples, 0.95):7.1f} ms "
                    f"{found['queries']:3} queries",
                    flush=True,
                )
    return rows


def _invoice_run() -> dict[str, Any]:
    """A national invoice run: every arena with a budget in the last budget year."""
    from django.db import connection, transaction

    from samarbeid.arenas.models import Arena
    from samarbeid.audit.models import Channel
    from samarbeid.finance.invoicing import create_runs
    from samarbeid.finance.models import Invoice
    from samarbeid.portal.scale.common import REFERENCE_DAY
    from samarbeid.portal.scale.finance import budget_years, scale_actor

    year = list(budget_years(REFERENCE_DAY))[-1]
    arenas = list(Arena.objects.filter(budgets__year=year).order_by("pk"))
    started = time.perf_counter()
    with QueryCounter(connection) as queries, transaction.atomic():
        runs = create_runs(arenas, year, actor=scale_actor(), channel=Channel.COMMAND)
        invoices = Invoice.objects.filter(run__in=runs).count()
        transaction.set_rollback(True)  # measure only; leave the database as seeded
    seconds = time.perf_counter() - started
    return {
        "year": year,
        "arenas": len(arenas),
        "invoices": invoices,
        "seconds": seconds,
        "queries": queries.count,
    }


def _annual_report() -> dict[str, Any] | None:
    """The annual-report PDF, when the reports domain has one (discovered by its URL)."""
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from samarbeid.arenas.models import Arena

    arena = Arena.objects.filter(published=True).order_by("pk").first()
    candidates: list[str] = []
    year = 2025
    for name, args in (
        ("reports:annual_as", [arena.pk, year, "pdf"] if arena else []),
        ("reports:annual_pdf", [arena.pk, year] if arena else []),
    ):
        try:
            candidates.append(reverse(name, args=args))
        except NoReverseMatch:
            continue
    client = Client()
    for url in candidates:
        started = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - started
        if response.status_code == 200:
            return {"url": url, "seconds": seconds, "bytes": len(response.content)}
    return None


def serve_child() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samarbeid.settings")
    import django

    django.setup()
    _serve()


# Issue 20's targets (`--only`) ---------------------------------------------------------------
#
# Each runs on a copy of a factor's seeded database (the tasks write), with the real worker
# (`manage.py db_worker`) in a process of its own, as in production.

TARGETS_20 = ("invoice_task", "annual_pdf", "payments_restart", "load")


def _queue_invoice_run() -> dict[str, Any]:
    """Queue the national invoice run (every arena with a budget for the last budget year and
    no run yet) as the task the finance page starts."""
    from samarbeid.arenas.models import Arena
    from samarbeid.audit.models import Channel
    from samarbeid.finance.jobs import start_draft_all
    from samarbeid.portal.scale.common import REFERENCE_DAY
    from samarbeid.portal.scale.finance import budget_years, scale_actor

    year = list(budget_years(REFERENCE_DAY))[-1]
    arenas = Arena.objects.filter(budgets__year=year).exclude(invoice_runs__year=year).count()
    job = start_draft_all(year, {}, actor=scale_actor(), channel=Channel.COMMAND)
    return {"job": job.pk, "year": year, "arenas": arenas}


def _queue_annual_pdf() -> dict[str, Any]:
    """Queue the annual-report PDF of the arena `_annual_report` times, as a task."""
    from samarbeid.arenas.models import Arena
    from samarbeid.audit.models import Channel
    from samarbeid.portal.scale.finance import scale_actor
    from samarbeid.reports.jobs import start_annual

    arena = Arena.objects.filter(published=True).order_by("pk").first()
    if arena is None:
        return {"error": "no published arena"}
    job = start_annual(arena, 2025, "pdf", actor=scale_actor(), channel=Channel.COMMAND)
    return {"job": job.pk, "arena": arena.short_name, "year": 2025}


def _job_state(job: int) -> dict[str, Any]:
    """How a task went, from its record: its status, its own running time, its result."""
    from samarbeid.jobs.models import Job

    found = Job.objects.get(pk=job)
    ran = None
    if found.started_at and found.finished_at:
        ran = (found.finished_at - found.started_at).total_seconds()
    return {
        "status": found.status,
        "task_seconds": ran,
        "steps": f"{found.steps_done}/{found.steps_total}",
        "message": (found.message or found.error)[:300],
    }


def _busiest_payments() -> dict[str, Any]:
    """The busiest municipality's payments page, as bench/after_write.py picks it."""
    from django.db.models import Count

    from samarbeid.registry.models import Municipality

    municipality = (
        Municipality.objects.current().annotate(n=Count("memberships")).order_by("-n").first()
    )
    if municipality is None:
        return {"error": "no municipality"}
    return {"url": f"/okonomi/kommune/{municipality.code}/", "name": municipality.name}


def _annual_report_twice() -> dict[str, Any]:
    """The annual-report PDF as a request, twice in one process: the first pays the
    process's first PDF (imports, fonts), the second is what a running server answers."""
    first = _annual_report()
    second = _annual_report()
    return {"first": first, "second": second}


TARGET_OPS: dict[str, Any] = {
    "queue_invoice_run": _queue_invoice_run,
    "queue_annual_pdf": _queue_annual_pdf,
    "job_state": _job_state,
    "busiest_payments": _busiest_payments,
    "annual_report_request": _annual_report_twice,
}


def copy_database(source: Path, target: Path) -> dict[str, str]:
    """A consistent copy of a seeded SQLite database (its WAL included) and its environment."""
    import sqlite3

    for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    with sqlite3.connect(source) as old, sqlite3.connect(target) as new:
        old.backup(new)
    return bench_env(target)


def _run_worker(env: dict[str, str]) -> float:
    """The real database worker in a process of its own, until the queue is empty: its
    wall time, from the command's start (Django's start-up included)."""
    started = time.perf_counter()
    subprocess.run(
        [
            PYTHON,
            str(ROOT / "manage.py"),
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--interval",
            "0",
            "--no-reload",
            "--worker-id",
            "bench-worker",
        ],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def _as_task(env: dict[str, str], factor: int, queue_op: str) -> dict[str, Any]:
    """Queue a task (`queue_op` in a child), run the worker, and read how the task went: the
    time from queued to done as the user waits it (the worker's start-up included) and the
    task's own running time (started → finished, from the task's record)."""
    child = Child(factor, env)
    try:
        queued = child.ask(queue_op)
        if "error" in queued:
            return dict(queued)
        started = time.perf_counter()
        worker_seconds = _run_worker(env)
        waited = time.perf_counter() - started
        state = child.ask("job_state", arguments={"job": queued["job"]})
    finally:
        child.close()
    return queued | state | {"queued_to_done_seconds": waited, "worker_seconds": worker_seconds}


def _start_gunicorn(env: dict[str, str], workers: int = 1) -> tuple[subprocess.Popen[bytes], int]:
    """A gunicorn app server (`workers` workers), answering /healthz (so booted: Django
    loaded)."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "samarbeid.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(150):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server, port
        except OSError:
            time.sleep(0.2)
    server.terminate()
    server.wait(timeout=30)
    raise RuntimeError("gunicorn did not answer /healthz")


def _get(port: int, path: str) -> tuple[int, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response.status, time.perf_counter() - started


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    server.wait(timeout=30)


def _start_redis() -> tuple[subprocess.Popen[bytes], str]:
    """A private redis-server on a free loopback port, keeping nothing on disk."""
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.1)
    _stop(server)
    raise RuntimeError("redis-server did not start")


def payments_restart(env: dict[str, str], factor: int, redis_url: str) -> dict[str, Any]:
    """The busiest municipality's payments page on an app server that has just started
    while another one computed it. Server A (one gunicorn worker) computes the page; then B
    starts and answers it for the first time. With `redis_url` A and B share the cache (what
    issue 20 asks); without it B computes the page again (today's restart), which is
    measured anyway, side by side."""
    child = Child(factor, env)
    try:
        page = child.ask("busiest_payments")
    finally:
        child.close()
    if "error" in page:
        return dict(page)
    result: dict[str, Any] = dict(page)
    prefix = f"bench-{os.getpid()}-{time.time_ns()}"  # a cold shared cache for this run
    shared = env | {"CACHE_KEY_PREFIX": prefix} | ({"REDIS_URL": redis_url} if redis_url else {})
    if not redis_url:
        shared.pop("REDIS_URL", None)
    first, first_port = _start_gunicorn(shared)
    try:
        status, seconds = _get(first_port, page["url"])
        result["a_computes_seconds"] = seconds
        result["a_status"] = status
        second, second_port = _start_gunicorn(shared)
        try:
            status, seconds = _get(second_port, page["url"])
            result["b_first_request_seconds"] = seconds
            result["b_status"] = status
            result["b_second_request_seconds"] = _get(second_port, page["url"])[1]
        finally:
            _stop(second)
    finally:
        _stop(first)
    result["shared_cache"] = "redis" if redis_url else "none: each server its own local cache"
    return result


def measure_targets(
    factors: list[int],
    only: list[str],
    *,
    reuse: bool,
    start_redis: bool,
    load: tuple[float, int, int] = (15.0, 8, 2),
) -> list[dict[str, Any]]:
    """`--only`: issue 20's targets at each factor, on copies of the seeded databases."""
    results = []
    for factor in factors:
        db = BENCH_DIR / f"factor-{factor}.sqlite3"
        seed = seed_database(bench_env(db), db, factor, reuse=reuse)
        result: dict[str, Any] = {"factor": factor, "seed": seed, "load": os.getloadavg()}
        if "load" in only:  # the main pages under concurrent clients (seconds, clients, workers)
            result["load_test"] = load_test(bench_env(db), *load)
        if "invoice_task" in only:
            env = copy_database(db, BENCH_DIR / f"factor-{factor}-targets.sqlite3")
            result["invoice_task"] = _as_task(env, factor, "queue_invoice_run")
            print(f"  f{factor} invoice run as a task: {result['invoice_task']}", flush=True)
        if "annual_pdf" in only:
            env = copy_database(db, BENCH_DIR / f"factor-{factor}-targets.sqlite3")
            child = Child(factor, env)
            try:
                request = child.ask("annual_report_request")
            finally:
                child.close()
            result["annual_pdf"] = {
                "request": request,
                "task": _as_task(env, factor, "queue_annual_pdf"),
            }
            print(f"  f{factor} annual-report PDF: {result['annual_pdf']}", flush=True)
        if "payments_restart" in only:
            env = copy_database(db, BENCH_DIR / f"factor-{factor}-targets.sqlite3")
            redis_url = os.environ.get("REDIS_URL", "")
            redis = None
            if not redis_url and start_redis:
                redis, redis_url = _start_redis()
            try:
                result["payments_restart"] = payments_restart(env, factor, redis_url)
                if redis_url:  # today's restart beside it: no shared cache
                    result["payments_restart_local"] = payments_restart(env, factor, "")
                else:
                    result["payments_restart"]["target"] = (
                        "not measured: no REDIS_URL (or --start-redis); this is the restart "
                        "without a shared cache"
                    )
            finally:
                if redis is not None:
                    _stop(redis)
            print(f"  f{factor} payments page, restart: {result['payments_restart']}", flush=True)
            if "payments_restart_local" in result:
                print(f"    without a shared cache: {result['payments_restart_local']}", flush=True)
        result["load_after"] = os.getloadavg()
        results.append(result)
    return results


# Load test ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def drive(port: int, path: str, seconds: float, concurrency: int) -> dict[str, Any]:
    """Closed-loop load: `concurrency` threads, each sends a request when the previous one
    has answered, for `seconds`. A non-2xx answer or a connection failure is an error."""
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []

    def worker() -> None:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                connection.close()
                ok = 200 <= response.status < 300
                problem = f"HTTP {response.status}"
            except OSError as exc:
                ok, problem = False, type(exc).__name__
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(problem)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started
    return {
        "path": path,
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "seconds": duration,
        "rps": len(latencies) / duration if duration else 0.0,
        "median_ms": statistics.median(latencies) if latencies else 0.0,
        "p95_ms": percentile(latencies, 0.95),
    }


def load_test(
    env: dict[str, str], seconds: float, concurrency: int, workers: int
) -> list[dict[str, Any]]:
    server, port = _start_gunicorn(env, workers)
    try:
        results = []
        for path in LOAD_PATHS:
            drive(port, path, 1.0, concurrency)  # warm up every worker
            result = drive(port, path, seconds, concurrency)
            print(
                f"  load {path:16} {result['rps']:7.1f} req/s, p95 {result['p95_ms']:.0f} ms, "
                f"{result['errors']} errors of {result['requests']}",
                flush=True,
            )
            results.append(result)
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


# Report -------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    import sqlite3

    import django

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    gunicorn = subprocess.run(
        [str(Path(PYTHON).parent / "gunicorn"), "--version"], capture_output=True, text=True
    ).stdout.strip()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return {
        "load average when the report was written (1, 5, 15 min)": load,
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": memory,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "SQLite": sqlite3.sqlite_version,
        "gunicorn": gunicorn,
    }


def _mark(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**not met**")


def evaluate(results: list[dict[str, Any]]) -> list[tuple[str, bool | None, str]]:
    """The issue's targets, each with met/not met and the evidence."""
    verdicts: list[tuple[str, bool | None, str]] = []
    by_factor = {r["factor"]: r for r in results}
    first = by_factor.get(min(by_factor)) if by_factor else None
    last = by_factor.get(max(by_factor)) if by_factor else None

    def measured(result: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
        return {(p["name"], p["viewer"]): p for p in result["pages"] if p.get("status") == 200}

    counts: dict[tuple[str, str], set[int]] = {}
    for result in results:
        for key, page in measured(result).items():
            counts.setdefault(key, set()).add(page["queries"])
    unequal = [f"{name} ({viewer})" for (name, viewer), c in counts.items() if len(c) > 1]
    most = max((max(c) for c in counts.values()), default=0)
    verdicts.append(
        (
            "Queries per page bounded and the same at every factor",
            not unequal if len(results) > 1 else None,
            f"most queries on one page: {most}; differing: {', '.join(unequal) or 'none'}",
        )
    )
    if first and first["factor"] == 1:
        slow = [
            f"{name} ({viewer}) {page['p95_ms']:.0f} ms"
            for (name, viewer), page in measured(first).items()
            if page["p95_ms"] > TARGETS["pages_p95_ms_factor_1"]
        ]
        verdicts.append(
            (
                "p95 of every main page ≤ 100 ms at factor 1 (SQLite)",
                not slow,
                f"over: {', '.join(slow) or 'none'}",
            )
        )
    if first and last and last is not first:
        base = measured(first)
        grown = []
        for key, page in measured(last).items():
            if "(floor)" in key[0]:
                continue  # the bare view is the yardstick, not a page; it has no data to grow
            if key in base and base[key]["p95_ms"] > 0:
                ratio = page["p95_ms"] / base[key]["p95_ms"]
                if ratio > TARGETS["growth_factor"]:
                    grown.append(f"{key[0]} ({key[1]}) ×{ratio:.1f}")
        label = f"p95 at factor {last['factor']} ≤ 1.5 × factor {first['factor']}"
        if last["factor"] != 16:
            label += " (the issue's target is factor 16; not measured in this run)"
        verdicts.append((label, not grown, f"over: {', '.join(grown) or 'none'}"))
    if first and first["factor"] == 1 and first.get("load"):
        over = [
            f"{load['path']} {load['p95_ms']:.0f} ms"
            for load in first["load"]
            if load["path"] != "/healthz" and load["p95_ms"] > TARGETS["load_p95_ms_factor_1"]
        ]
        verdicts.append(
            (
                "p95 of every main page ≤ 50 ms under load at factor 1 (8 clients, 2 workers)",
                not over,
                f"over: {', '.join(over) or 'none'}",
            )
        )
    errors = sum(load["errors"] for r in results for load in r.get("load", []))
    total = sum(load["requests"] for r in results for load in r.get("load", []))
    verdicts.append(
        (
            "Zero errors under load",
            errors == 0 if total else None,
            f"{errors} errors in {total} requests",
        )
    )
    return verdicts


HAND_WRITTEN = "## Reading this run"


def write_report(results: list[dict[str, Any]], args: argparse.Namespace, path: Path) -> None:
    env = machine()
    lines = [
        "# Benchmarks",
        "",
        "Measured by `make bench` (`python bench/run.py`); see bench/run.py for the method. "
        "Each factor is a fresh SQLite database seeded by `manage.py seed_scale --factor N` "
        "(factor 1: every current municipality with 10 years of population, 400 arenas, "
        "5,000 projects, 60,000 participations, 10 years of budgets and 9 of invoice runs, "
        "and per arena a board with about 22 meetings of 5–8 agenda items). "
        "Page times come from Django's test client (no network), with DEBUG off, "
        f"{args.requests} requests per page after one warm-up, interleaved between the "
        "factors (a few requests in each database in turn, so the machine's drift "
        "cannot show as growth); the load test drives gunicorn on loopback.",
        "",
        f"Run finished {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
        *[f"| {k} | {v} |" for k, v in env.items()],
        "",
        "## Targets",
        "",
        "| target | result | evidence |",
        "| --- | --- | --- |",
        *[f"| {label} | {_mark(ok)} | {evidence} |" for label, ok, evidence in evaluate(results)],
        "",
    ]
    for result in results:
        seed = result.get("seed", {})
        lines += [
            f"## Factor {result['factor']}",
            "",
            f"Seeding: {seed.get('seconds', 0):.0f} s — {seed.get('output', '')}",
            "",
            "| page | viewer | queries | median ms | p95 ms | requests |",
            "| --- | --- | ---: | ---: | ---: | ---: |",
        ]
        missing = sorted({p["url"] for p in result["pages"] if p.get("status") == 404})
        for page in result["pages"]:
            if page.get("status") != 200:
                if page.get("status") != 404:
                    lines.append(
                        f"| {page['name']} `{page['url']}` | {page['viewer']} | "
                        f"HTTP {page.get('status')} | | | |"
                    )
                continue
            lines.append(
                f"| {page['name']} `{page['url']}` | {page['viewer']} | {page['queries']} | "
                f"{page['median_ms']:.1f} | {page['p95_ms']:.1f} | {page['samples']} |"
            )
        lines.append("")
        if missing:
            lines += [f"Not built yet (404): {', '.join(f'`{u}`' for u in missing)}.", ""]
        run = result.get("invoice_run") or {}
        if "error" in run:
            lines += [f"National invoice run: failed — {run['error']}", ""]
        elif run:
            lines += [
                f"National invoice run ({run['year']}): {run['arenas']} arenas, "
                f"{run['invoices']} invoices in {run['seconds']:.1f} s, "
                f"{run['queries']} SQL queries.",
                "",
            ]
        report = result.get("annual_report")
        lines += [
            (
                f"Annual-report PDF `{report['url']}`: {report['seconds']:.2f} s, "
                f"{report['bytes']} bytes."
            )
            if report
            else "Annual-report PDF: not available yet (no reports URL answered).",
            "",
        ]
        if result.get("load"):
            lines += [
                f"Load test: gunicorn, {args.workers} sync workers, {args.concurrency} "
                f"concurrent clients, {args.load_seconds:.0f} s per target.",
                "",
                "| target | requests | req/s | median ms | p95 ms | errors |",
                "| --- | ---: | ---: | ---: | ---: | ---: |",
                *[
                    f"| `{load['path']}` | {load['requests']} | {load['rps']:.1f} | "
                    f"{load['median_ms']:.0f} | {load['p95_ms']:.0f} | {load['errors']} |"
                    for load in result["load"]
                ],
                "",
            ]
    # The hand-written reading of a run is kept (it says which run it was written for).
    previous = path.read_text() if path.exists() else ""
    if HAND_WRITTEN in previous:
        lines += [previous[previous.index(HAND_WRITTEN) :].rstrip(), ""]
    path.write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--factors", default=os.environ.get("BENCH_FACTORS", "1,4"))
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", "30")))
    parser.add_argument(
        "--load-seconds", type=float, default=float(os.environ.get("BENCH_LOAD_SECONDS", "15"))
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--no-load", action="store_true", help="Skip the load test")
    parser.add_argument("--reuse", action="store_true", help="Keep a seeded database if present")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="Write the report from var/bench/results.json without measuring again",
    )
    parser.add_argument(
        "--only",
        default="",
        help=(
            "Measure only these of issue 20's targets (comma-separated: "
            f"{', '.join(TARGETS_20)}; 'targets' for all) at --factors, on copies of "
            "the seeded databases; results to var/bench/targets.json, no report written"
        ),
    )
    parser.add_argument(
        "--start-redis",
        action="store_true",
        help="payments_restart without REDIS_URL: start a private redis-server for it",
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        serve_child()
        return
    if args.only:
        only = [name.strip() for name in str(args.only).split(",") if name.strip()]
        if only == ["targets"]:
            only = list(TARGETS_20)
        unknown = sorted(set(only) - set(TARGETS_20))
        if unknown:
            parser.error(f"--only: unknown {', '.join(unknown)}; choose from {TARGETS_20}")
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        factors = [int(f) for f in str(args.factors).split(",") if f.strip()]
        if {"payments_restart", "load"} & set(only):  # pages with DEBUG off need static files
            print("collectstatic …", flush=True)
            manage(
                bench_env(BENCH_DIR / f"factor-{factors[0]}.sqlite3"), "collectstatic", "--no-input"
            )
        targets = measure_targets(
            factors,
            only,
            reuse=args.reuse,
            start_redis=args.start_redis,
            load=(args.load_seconds, args.concurrency, args.workers),
        )
        (BENCH_DIR / "targets.json").write_text(json.dumps(targets, indent=1, default=str))
        print(f"Wrote {BENCH_DIR / 'targets.json'}")
        return

    if args.report_only:
        write_report(json.loads((BENCH_DIR / "results.json").read_text()), args, args.output)
        print(f"Wrote {args.output}")
        return
    factors = [int(f) for f in str(args.factors).split(",") if f.strip()]
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    envs = {factor: bench_env(BENCH_DIR / f"factor-{factor}.sqlite3") for factor in factors}
    print("collectstatic …", flush=True)
    manage(envs[factors[0]], "collectstatic", "--no-input")
    seeds = {
        factor: seed_database(
            envs[factor], BENCH_DIR / f"factor-{factor}.sqlite3", factor, reuse=args.reuse
        )
        for factor in factors
    }
    print(f"timing pages at factors {', '.join(map(str, factors))}, interleaved …", flush=True)
    children = [Child(factor, envs[factor]) for factor in factors]
    try:
        pages = time_pages(children, args.requests)
        results = []
        for child in children:
            result: dict[str, Any] = {
                "factor": child.factor,
                "pages": pages[child.factor],
                "seed": seeds[child.factor],
                "invoice_run": child.ask("invoice_run"),
                "annual_report": child.ask("annual_report"),
            }
            print(f"  f{child.factor} national invoice run: {result['invoice_run']}", flush=True)
            results.append(result)
    finally:
        for child in children:
            child.close()
    if not args.no_load:
        for result in results:
            print(f"factor {result['factor']}: load test …", flush=True)
            result["load"] = load_test(
                envs[result["factor"]], args.load_seconds, args.concurrency, args.workers
            )
    (BENCH_DIR / "results.json").write_text(json.dumps(results, indent=1))
    write_report(results, args, args.output)
    print(f"Wrote {args.output}")


if __name__ == "__main__":
    main()
