from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """Reminders by e-mail: each person's digest of what waits on them (the dashboard's
    sections), sent once for each state."""

    name = "samarbeid.reminders"
    verbose_name = "Påminnelser"
