from django.apps import AppConfig

from samarbeid.core.stamps import register_feeds


class ArenasConfig(AppConfig):
    name = "samarbeid.arenas"
    label = "arenas"

    def ready(self) -> None:
        register_feeds(self)  # its records feed cached figures (core.stamps)
