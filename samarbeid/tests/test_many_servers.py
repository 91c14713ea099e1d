"""Two app servers and one worker on one PostgreSQL and one Redis (issue #20, point 3): two
gunicorn processes on free ports and a real `db_worker` process, in a database of the
test's own. A write through one server is read on the other at once; a task queued on one
is run by the worker and its result read on the other; one server killed (SIGKILL) during a
burst of writes loses no committed write and the other answers on; a worker killed in the
middle of a task leaves it running until the sweep marks it failed, and it can be retried.

Runs only when DATABASE_URL is PostgreSQL and REDIS_URL is set (.ci/run's PostgreSQL pass
sets both); skipped otherwise, with the reason."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from samarbeid.tests.servers_worker import ADMIN, PASSWORD, QUICK, SLEEPER, SLEEPER_LIMIT

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BURST = 400  # writes, half to each server
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))

pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")) or not REDIS_URL,
    reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL), as .ci/run's PostgreSQL "
    "pass sets them",
)

requests = pytest.importorskip("requests")
psycopg = pytest.importorskip("psycopg")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    database_url: str
    env: dict[str, str]
    token: str
    servers: list[str] = field(default_factory=list)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            return list(conn.execute(query, params).fetchall())

    def helper(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603 — fixed arguments
            [PYTHON, "-m", "samarbeid.tests.servers_worker", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        return done.stdout.strip().splitlines()[-1]

    def start(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        log = open(Path(self.env["SERVERS_LOG_DIR"]) / f"{name}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(  # noqa: S603 — fixed arguments
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed with its workers
        )
        self.processes[name] = process
        return process

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def start_worker(self) -> None:
        self.start("worker", [PYTHON, "-m", "samarbeid.tests.servers_worker", "worker"])


def _wait_for(url: str, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {seconds} s")


def _until(check: Any, seconds: float = 60, what: str = "") -> Any:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: Any) -> Iterator[Cluster]:
    name = f"samarbeid_servers_{uuid.uuid4().hex[:8]}"
    base = urlsplit(DATABASE_URL)
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    database_url = urlunsplit(base._replace(path=f"/{name}"))
    logs = tmp_path_factory.mktemp("servers")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": name,  # this run's own keys in the shared Redis
        "DEBUG": "true",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DB_CONN_MAX_AGE": "0",
        "AXES_ENABLED": "false",
        "SERVERS_LOG_DIR": str(logs),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cluster = Cluster(database_url, env, token="")
    try:
        subprocess.run(  # noqa: S603 — fixed arguments
            [PYTHON, "manage.py", "migrate", "--no-input", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=600,
        )
        cluster.token = cluster.helper("setup")
        for n in range(2):
            port = _free_port()
            cluster.start(
                f"web{n}",
                [
                    GUNICORN,
                    "samarbeid.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--timeout",
                    "60",
                ],
            )
            cluster.servers.append(f"http://127.0.0.1:{port}")
        cluster.start_worker()
        for server in cluster.servers:
            _wait_for(f"{server}/healthz")
        yield cluster
    finally:
        for process_name in list(cluster.processes):
            cluster.kill(process_name)
        with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _csrf(session: Any, url: str) -> str:
    page = session.get(url, timeout=10)
    assert page.status_code == 200, (url, page.status_code)
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, url
    return found.group(1)


def _logged_in(server: str) -> Any:
    session = requests.Session()
    token = _csrf(session, f"{server}/logg-inn/")
    answer = session.post(
        f"{server}/logg-inn/",
        {"username": ADMIN, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{server}/logg-inn/"},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text[-500:]
    return session


def test_a_form_saved_on_one_server_is_read_on_the_other_at_once(cluster: Cluster) -> None:
    one, other = cluster.servers
    session = _logged_in(one)
    token = _csrf(session, f"{one}/arenaer/ny/")
    name = f"Tosenterrådet {uuid.uuid4().hex[:6]}"
    saved = session.post(
        f"{one}/arenaer/ny/",
        {
            "csrfmiddlewaretoken": token,
            "name": name,
            "short_name": name[-10:],
            "kind": "strategic",
            "legal_form": "",
            "status": "active",
        },
        headers={"Referer": f"{one}/arenaer/ny/"},
        allow_redirects=False,
        timeout=10,
    )
    assert saved.status_code == 302, saved.text[-1500:]
    location = saved.headers["Location"]
    assert re.fullmatch(r"/arenaer/\d+/", location), location
    # the session lives in the shared database: the same log-in is valid on the other server
    read = session.get(f"{other}{location}", timeout=10)
    assert read.status_code == 200
    assert name in read.text
    assert name in session.get(f"{other}/arenaer/", timeout=10).text


def test_a_task_queued_on_one_server_is_run_by_the_worker_and_read_on_the_other(
    cluster: Cluster,
) -> None:
    one, other = cluster.servers
    session = _logged_in(one)
    token = _csrf(session, f"{one}/oppgaver/ny/export_all/")
    queued = session.post(
        f"{one}/oppgaver/ny/export_all/",
        {"csrfmiddlewaretoken": token},
        headers={"Referer": f"{one}/oppgaver/ny/export_all/"},
        allow_redirects=False,
        timeout=10,
    )
    assert queued.status_code == 302, queued.text[-1500:]
    task_id = re.fullmatch(r"/oppgaver/(\d+)/", queued.headers["Location"]).group(1)
    headers = {"Authorization": f"Bearer {cluster.token}"}

    def done() -> Any:
        task = requests.get(f"{other}/api/v1/tasks/{task_id}", headers=headers, timeout=10)
        assert task.status_code == 200, task.text
        body = task.json()
        assert body["status"] != "failed", body["error"]
        return body if body["status"] == "done" else None

    task = _until(done, 60, "the export task to be done")
    file = requests.get(f"{other}{task['result_url']}", headers=headers, timeout=30)
    assert file.status_code == 200
    assert file.json()["format"] == "samarbeid-export"
    # the page on the other server shows it too (session shared through the database)
    assert "Ferdig" in session.get(f"{other}/oppgaver/{task_id}/", timeout=10).text


def test_a_server_killed_in_a_burst_of_writes_loses_no_committed_write(
    cluster: Cluster,
) -> None:
    one, other = cluster.servers
    headers = {"Authorization": f"Bearer {cluster.token}"}
    marker = uuid.uuid4().hex[:6]

    answered = threading.Semaphore(0)

    def write(n: int) -> tuple[int, int | None]:
        server = (one, other)[n % 2]
        body = {"name": f"Burst {marker} {n}", "short_name": f"B{marker}{n}", "kind": "strategic"}
        try:
            answer = requests.post(
                f"{server}/api/v1/arenas", json=body, headers=headers, timeout=20
            )
        except requests.RequestException:
            return n, None  # the killed server's connections break: no answer, no promise
        answered.release()
        if 200 <= answer.status_code < 300:
            return n, int(answer.json()["id"])
        return n, None

    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(write, n) for n in range(BURST)]
        for _ in range(40):  # the burst is under way on both servers
            assert answered.acquire(timeout=30)
        cluster.kill("web0")
        results = [f.result() for f in futures]
    committed = {pk for _n, pk in results if pk is not None}
    answered_by_other = [pk for n, pk in results if pk is not None and n % 2 == 1]
    assert len(answered_by_other) == BURST // 2, "the other server answered every write to it"
    answered_by_killed = [pk for n, pk in results if pk is not None and n % 2 == 0]
    assert answered_by_killed, "the killed server had answered some writes"
    assert len(answered_by_killed) < BURST // 2, "the server was killed during the burst"
    stored = {
        row[0]
        for row in cluster.sql(
            "SELECT id FROM arenas_arena WHERE name LIKE %s", f"Burst {marker} %"
        )
    }
    assert committed <= stored, f"lost committed writes: {sorted(committed - stored)}"
    # and it answers on after the kill
    after = requests.get(f"{other}/api/v1/arenas?limit=1", headers=headers, timeout=10)
    assert after.status_code == 200


def test_a_worker_killed_in_the_middle_of_a_task_is_swept_and_the_task_retried(
    cluster: Cluster,
) -> None:
    task_id = int(cluster.helper("queue", SLEEPER))

    def running() -> bool:
        rows = cluster.sql("SELECT status, steps_done FROM jobs_job WHERE id = %s", task_id)
        return rows[0] == ("running", 1)

    _until(running, 60, "the sleeper to run")
    cluster.kill("worker")
    time.sleep(SLEEPER_LIMIT.total_seconds() + 1)
    # the worker is gone: nothing has told the task, which still says it runs
    assert cluster.sql("SELECT status FROM jobs_job WHERE id = %s", task_id) == [("running",)]
    # a new worker sweeps as it starts a task
    cluster.start_worker()
    quick = int(cluster.helper("queue", QUICK))
    _until(
        lambda: cluster.sql("SELECT status FROM jobs_job WHERE id = %s", quick) == [("done",)],
        60,
        "the quick task",
    )
    status, error = cluster.sql("SELECT status, error FROM jobs_job WHERE id = %s", task_id)[0]
    assert status == "failed"
    assert "Arbeideren stoppet" in error
    # and the servers say so (the retry itself: samarbeid/jobs/tests, test_jobs.py)
    headers = {"Authorization": f"Bearer {cluster.token}"}
    other = cluster.servers[1]
    task = requests.get(f"{other}/api/v1/tasks/{task_id}", headers=headers, timeout=10).json()
    assert task["status"] == "failed"
    assert "Arbeideren stoppet" in task["error"]
