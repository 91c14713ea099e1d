"""A real worker process for test_many_servers: django-tasks' `db_worker` command with two
more task kinds for the test (one that finishes at once, one that reports a step and then
sleeps until it is killed), and the set-up the test needs in its own database.

    python -m samarbeid.tests.servers_worker worker          # db_worker, test kinds added
    python -m samarbeid.tests.servers_worker setup           # prints the admin's API token
    python -m samarbeid.tests.servers_worker queue KIND      # prints the queued task's id
"""

from __future__ import annotations

import os
import sys
import time
from datetime import timedelta
from typing import Any

QUICK = "test_servers_quick"
SLEEPER = "test_servers_sleeper"
# The sleeper's worker is killed: after this long without a sign of life it is taken for dead.
SLEEPER_LIMIT = timedelta(seconds=2)
ADMIN = "admin"
PASSWORD = "to-servere-og-en-arbeider-42"


def _register() -> None:
    from samarbeid.jobs.kinds import KINDS, Kind, Outcome, register
    from samarbeid.jobs.models import Job
    from samarbeid.jobs.services import Progress

    def may(user: Any, job: Job) -> bool:
        return bool(getattr(user, "is_superuser", False))

    def quick(job: Job, progress: Progress) -> Outcome:
        progress("Gjør det", done=1, total=1)
        return Outcome(message=f"Ferdig hos pid {os.getpid()}.")

    def sleeper(job: Job, progress: Progress) -> Outcome:
        progress("Sover", done=1, total=2)
        time.sleep(3600)
        return Outcome(message="Våknet.")

    if QUICK not in KINDS:
        register(Kind(QUICK, "Rask", quick, may))
        register(Kind(SLEEPER, "Sover", sleeper, may, stale_after=SLEEPER_LIMIT))


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samarbeid.settings")
    import django

    django.setup()
    _register()
    command = argv[0]
    if command == "worker":
        from django.core.management import call_command

        call_command("db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2")
    elif command == "setup":
        from django.contrib.auth import get_user_model

        from samarbeid.accounts.services import create_token

        admin = get_user_model().objects.create_superuser(ADMIN, "admin@example.no", PASSWORD)
        _token, key = create_token(admin, "servers")
        print(key)
    elif command == "queue":
        from django.contrib.auth import get_user_model

        from samarbeid.jobs.services import start

        admin = get_user_model().objects.get(username=ADMIN)
        print(start(argv[1], actor=admin, title=argv[1]).pk)
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
