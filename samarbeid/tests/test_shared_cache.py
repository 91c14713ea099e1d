"""The shared cache: with REDIS_URL set, every app server reads and writes one real Redis.

Each test starts its own `redis-server` (Debian's package; `.ci/run` installs it) on a free
loopback port, with nothing kept on disk. Without the program the tests skip on a developer
machine and fail in CI (CI=true), so a missing server never passes silently.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from samarbeid.core.stamps import cached_aggregate
from samarbeid.core.tests.test_home import HEALTHY

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def redis_url() -> Iterator[str]:
    program = shutil.which("redis-server")
    if program is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("redis-server is not installed (Debian package redis-server)")
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 — the installed program, fixed arguments
        [program, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _redis_caches(url: str) -> dict[str, dict[str, str]]:
    """What settings.py configures when REDIS_URL is set (the first test checks it does)."""
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "samarbeid",
        }
    }


def test_settings_choose_the_redis_cache_when_redis_url_is_set(redis_url: str) -> None:
    script = (
        "from django.conf import settings;"
        "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'])"
    )
    out = _other_process(script, redis_url)
    assert out.split() == ["django.core.cache.backends.redis.RedisCache", redis_url]
    without = _other_process(
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])", ""
    )
    assert without.strip() == "samarbeid.core.cache.SizeBoundedLocMemCache"


def _other_process(script: str, url: str) -> str:
    """Run `script` in a second Django process (another app server) with REDIS_URL=url."""
    env = {**os.environ, "REDIS_URL": url, "DJANGO_SETTINGS_MODULE": "samarbeid.settings"}
    done = subprocess.run(  # noqa: S603 — this interpreter, the tests' own scripts
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_figure_cached_by_one_app_server_is_read_by_another(redis_url: str) -> None:
    with override_settings(CACHES=_redis_caches(redis_url)):
        cache.set("budget-split:probe", {"3909": Decimal("438515.41")}, 60)
        read = _other_process(
            "from django.core.cache import cache; print(cache.get('budget-split:probe'))",
            redis_url,
        )
        assert read.strip() == "{'3909': Decimal('438515.41')}"
        # and the other way: what the second server computed, this one does not compute again
        _other_process(
            "from django.core.cache import cache; cache.set('written-there', 7, 60)", redis_url
        )
        assert cache.get("written-there") == 7


def test_cached_figures_work_on_redis(redis_url: str) -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return 42

    with override_settings(CACHES=_redis_caches(redis_url)):
        assert cached_aggregate("probe-figure", compute) == 42
        assert cached_aggregate("probe-figure", compute) == 42
    assert calls == [1]  # the second read came from Redis


def test_health_reports_the_cache_and_refuses_when_redis_is_gone(
    redis_url: str, client: Client
) -> None:
    with override_settings(CACHES=_redis_caches(redis_url)):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == HEALTHY

    gone = f"redis://127.0.0.1:{_free_port()}/0"  # nothing listens there
    with override_settings(CACHES=_redis_caches(gone)):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["cache"] != "ok"
