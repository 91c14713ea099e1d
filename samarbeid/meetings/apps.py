from django.apps import AppConfig

from samarbeid.core.stamps import register_feeds


class MeetingsConfig(AppConfig):
    """An arena's bodies, their meetings, the notice with its agenda, the documents and the
    minutes."""

    name = "samarbeid.meetings"
    domain = True  # its records are the product's data (core.domain.domain_apps)
    label = "meetings"
    verbose_name = "Møter"

    def ready(self) -> None:
        register_feeds(self)  # its records feed cached figures (core.stamps)
