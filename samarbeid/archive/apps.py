from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """Archive extracts (Noark 5) of an arena's cases and, later, meetings. No records of
    its own: it reads governance and arenas."""

    name = "samarbeid.archive"
    label = "archive"
