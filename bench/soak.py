"""Memory over a long load (`make soak`): not a test, a measurement.

    python bench/soak.py [--minutes 30] [--clients 4] [--workers 2] [--cache-max-bytes N]

Seeds (or reuses) a SQLite database under var/soak/ with `seed_scale --factor 1`, starts
gunicorn on 127.0.0.1 with `--workers` sync workers (DEBUG off, as in production), and
drives it for `--minutes` with `--clients` closed-loop clients (threads + http.client, each
sends a request when the previous one has answered; loopback only). The clients read the
main pages and API lists of randomly chosen municipalities, arenas and projects as the
public, and every `--write-every`-th request records a case through the API as a
secretariat user, so the data version changes all the time and the cache fills with the
figures of new versions, as in a busy office. Every `--sample-seconds` (default a minute)
the resident memory (VmRSS) of each worker is read from /proc.

Prints the samples, and writes them with the machine to var/soak/results.json and a
Markdown table to var/soak/soak.md (for docs/benchmarks.md). `--cache-max-bytes 0` runs with
no bound by size (as before the bound), to compare.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import PYTHON, bench_env, free_port, machine, manage, percentile  # noqa: E402

SOAK_DIR = ROOT / "var" / "soak"
WRITER = "soak-sekretariat"


def _prepare() -> None:
    """In a child with the soak database's settings: a secretariat user with an API token,
    and the ids to read. Prints one JSON line."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samarbeid.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.contrib.auth import get_user_model

    from samarbeid.accounts.models import Role, RoleAssignment
    from samarbeid.accounts.services import create_token
    from samarbeid.arenas.models import Arena
    from samarbeid.portfolio.models import Project
    from samarbeid.registry.models import Municipality

    user, _ = get_user_model().objects.get_or_create(username=WRITER)
    RoleAssignment.objects.get_or_create(user=user, role=Role.SECRETARIAT, arena=None)
    _token, key = create_token(user, "soak")
    answer = {
        "token": key,
        "arenas": list(Arena.objects.filter(published=True).values_list("pk", flat=True)),
        "municipalities": list(Municipality.objects.current().values_list("code", flat=True)),
        "projects": list(Project.objects.filter(published=True).values_list("pk", flat=True)),
    }
    print(json.dumps(answer), flush=True)


def paths(ids: dict[str, Any], rng: random.Random) -> str:
    """A read of a randomly chosen page or API list (the public's view)."""
    arena = rng.choice(ids["arenas"])
    municipality = rng.choice(ids["municipalities"])
    project = rng.choice(ids["projects"])
    return rng.choice(
        [
            "/",
            "/kommuner/",
            f"/kommuner/{municipality}/",
            "/arenaer/",
            f"/arenaer/{arena}/",
            f"/arenaer/?page={rng.randint(1, 8)}",
            "/prosjekter/",
            f"/prosjekter/{project}/",
            "/okonomi/",
            f"/okonomi/arena/{arena}/",
            f"/okonomi/kommune/{municipality}/",
            "/strategi/",
            "/gjennomgang/",
            "/rapporter/",
            "/api/v1/arenas",
            f"/api/v1/arenas/{arena}",
            f"/api/v1/projects?offset={rng.randint(0, 4900)}",
            f"/api/v1/projects/{project}",
            "/api/v1/municipalities",
        ]
    )


class Load:
    """Closed-loop clients until `stop` is set; counts requests, errors and latencies."""

    def __init__(self, port: int, ids: dict[str, Any], clients: int, write_every: int) -> None:
        self.port, self.ids, self.write_every = port, ids, write_every
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.requests = self.writes = 0
        self.errors: dict[str, int] = {}
        self.threads = [
            threading.Thread(target=self._client, args=(n,), daemon=True) for n in range(clients)
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def _client(self, number: int) -> None:
        rng = random.Random(number)
        sent = 0
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while not self.stop.is_set():
            sent += 1
            write = self.write_every > 0 and sent % self.write_every == 0
            headers = {"Host": "127.0.0.1"}
            body = None
            if write:
                method, path = "POST", "/api/v1/cases"
                headers |= {
                    "Authorization": f"Bearer {self.ids['token']}",
                    "Content-Type": "application/json",
                }
                body = json.dumps(
                    {
                        "title": f"Soak {number}-{sent}",
                        "arena": rng.choice(self.ids["arenas"]),
                        "opened": "2026-01-15",
                    }
                )
            else:
                method, path = "GET", paths(self.ids, rng)
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                problem = "" if response.status < 400 else f"HTTP {response.status} {method}"
            except (OSError, http.client.HTTPException) as exc:
                problem = type(exc).__name__
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            elapsed = (time.perf_counter() - started) * 1000
            with self.lock:
                self.requests += 1
                self.writes += write
                self.latencies.append(elapsed)
                if problem:
                    self.errors[problem] = self.errors.get(problem, 0) + 1
        connection.close()

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            latencies, self.latencies = self.latencies, []
            return {
                "requests": self.requests,
                "writes": self.writes,
                "errors": dict(self.errors),
                "p95_ms": round(percentile(latencies, 0.95), 1),
            }


def worker_pids(master: int) -> list[int]:
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []
    return sorted(int(pid) for pid in children)


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def wait_for(port: int) -> None:
    for _ in range(150):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz")


def soak(args: argparse.Namespace) -> dict[str, Any]:
    SOAK_DIR.mkdir(parents=True, exist_ok=True)
    db = SOAK_DIR / f"factor-{args.factor}.sqlite3"
    env = bench_env(db)
    if args.cache_max_bytes is not None:
        env["CACHE_MAX_BYTES"] = str(args.cache_max_bytes)
    if not (args.reuse and db.exists()):
        for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            stale.unlink(missing_ok=True)
        print(f"migrate and seed factor {args.factor} …", flush=True)
        manage(env, "migrate", "--no-input")
        print("  " + manage(env, "seed_scale", "--factor", str(args.factor)), flush=True)
    else:
        manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    prepared = subprocess.run(
        [PYTHON, str(Path(__file__).resolve()), "--prepare"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    ids = json.loads(prepared.stdout.strip().splitlines()[-1])

    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "samarbeid.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    samples: list[dict[str, Any]] = []
    load = Load(port, ids, args.clients, args.write_every)
    try:
        wait_for(port)
        started = time.monotonic()

        def sample() -> None:
            pids = worker_pids(server.pid)
            row = {
                "minute": round((time.monotonic() - started) / 60, 1),
                "rss_mb": [round(rss_mb(pid) or 0.0, 1) for pid in pids],
                "workers": pids,
                "load_average": round(os.getloadavg()[0], 1),
                **load.snapshot(),
            }
            samples.append(row)
            print(
                f"  {row['minute']:5.1f} min  RSS {row['rss_mb']} MB  {row['requests']} "
                f"requests ({row['writes']} writes), errors {row['errors']}, "
                f"p95 {row['p95_ms']} ms, load {row['load_average']}",
                flush=True,
            )

        sample()  # before the load: the workers as started
        load.start()
        deadline = started + args.minutes * 60
        next_sample = started + args.sample_seconds
        while time.monotonic() < deadline:
            time.sleep(max(0.0, min(next_sample, deadline) - time.monotonic()))
            if time.monotonic() >= next_sample - 0.5:
                sample()
                next_sample += args.sample_seconds
        load.finish()
        if samples[-1]["minute"] < args.minutes - 0.05:
            sample()
    finally:
        load.finish()
        server.terminate()
        server.wait(timeout=60)
    return {
        "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "minutes": args.minutes,
        "workers": args.workers,
        "clients": args.clients,
        "write_every": args.write_every,
        "cache_max_bytes": env.get("CACHE_MAX_BYTES", "default"),
        "factor": args.factor,
        "machine": machine(),
        "samples": samples,
    }


def markdown(result: dict[str, Any]) -> str:
    samples = result["samples"]
    workers = max(len(s["rss_mb"]) for s in samples)
    head = " | ".join(f"worker {n + 1} MB" for n in range(workers))
    lines = [
        f"Soak finished {result['finished']}: {result['minutes']} min, gunicorn with "
        f"{result['workers']} sync workers, {result['clients']} clients, a case written "
        f"every {result['write_every']} requests per client, CACHE_MAX_BYTES="
        f"{result['cache_max_bytes']}, factor {result['factor']}.",
        "",
        f"| minute | {head} | requests so far | writes | errors | p95 ms | load average |",
        "| ---: | "
        + " | ".join("---:" for _ in range(workers))
        + " | ---: | ---: | --- | ---: | ---: |",
    ]
    for s in samples:
        rss = " | ".join(f"{v:.1f}" for v in s["rss_mb"]) + " | " * (workers - len(s["rss_mb"]))
        errors = ", ".join(f"{k}: {v}" for k, v in s["errors"].items()) or "0"
        lines.append(
            f"| {s['minute']} | {rss} | {s['requests']} | {s['writes']} | {errors} | "
            f"{s['p95_ms']} | {s['load_average']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    if "--prepare" in sys.argv:
        _prepare()
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--write-every", type=int, default=20)
    parser.add_argument("--sample-seconds", type=float, default=60.0)
    parser.add_argument("--factor", type=int, default=1)
    parser.add_argument("--cache-max-bytes", type=int, default=None)
    parser.add_argument("--reuse", action="store_true", help="Keep a database seeded before")
    parser.add_argument("--name", default="results", help="Name of the result files")
    args = parser.parse_args()
    result = soak(args)
    SOAK_DIR.mkdir(parents=True, exist_ok=True)
    (SOAK_DIR / f"{args.name}.json").write_text(json.dumps(result, indent=2))
    (SOAK_DIR / f"{args.name}.md").write_text(markdown(result))
    print(markdown(result))


if __name__ == "__main__":
    main()
