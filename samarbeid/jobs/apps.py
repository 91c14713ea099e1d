import sys
from collections.abc import Sequence

from django.apps import AppConfig

from samarbeid.core import pdf


def started_as_worker(argv: Sequence[str]) -> bool:
    """Whether this process is the background worker (`manage.py db_worker`)."""
    return len(argv) > 1 and argv[1] == "db_worker"


class JobsConfig(AppConfig):
    """Background tasks as users see them: what was started, by whom, how far it has
    come, and its result or why it failed (the work itself runs on django-tasks' worker)."""

    name = "samarbeid.jobs"
    label = "jobs"

    def ready(self) -> None:
        # The worker loads the PDF engine as it starts, so that the first report or invoice
        # made as a task does not wait for it (0.3–0.5 s).
        if started_as_worker(sys.argv):
            pdf.warm_up()
