"""The app server's entry point loads every view before the first request and freezes what
it loaded out of the garbage collector's walks (a full collection over the startup objects
was the p95 of the national lists)."""

from __future__ import annotations

import os
import subprocess
import sys

CHECK = (
    "import gc, sys; import samarbeid.wsgi; "
    "print(gc.get_freeze_count(), 'samarbeid.meetings.api.bodies' in sys.modules)"
)


def test_the_wsgi_entry_point_loads_the_views_and_freezes_them() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "samarbeid.settings"}
    done = subprocess.run(  # noqa: S603 — this Python, fixed arguments
        [sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, check=True
    )
    frozen, views_loaded = done.stdout.split()
    assert int(frozen) > 100_000  # the whole app, not a handful of objects
    assert views_loaded == "True"
