from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Background tasks as users see them: what was started, by whom, how far it has
    come, and its result or why it failed (the work itself runs on django-tasks' worker)."""

    name = "samarbeid.jobs"
    label = "jobs"
