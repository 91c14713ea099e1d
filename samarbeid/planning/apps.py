from django.apps import AppConfig

from samarbeid.core.stamps import register_feeds


class PlanningConfig(AppConfig):
    name = "samarbeid.planning"
    domain = True  # its records are the product's data (core.domain.domain_apps)
    label = "planning"

    def ready(self) -> None:
        register_feeds(self)  # its records feed cached figures (core.stamps)
