from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """Archive extracts (Noark 5) of an arena's cases and meetings. No records of its own:
    it reads governance, arenas and meetings."""

    name = "samarbeid.archive"
    label = "archive"

    def ready(self) -> None:
        # imported here: it reads the models, which are loaded only now
        from samarbeid.archive.jobs import register_kinds

        register_kinds()  # the extract made as a background task (samarbeid.jobs)
