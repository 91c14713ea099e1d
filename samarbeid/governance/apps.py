from django.apps import AppConfig

from samarbeid.core.stamps import register_feeds


class GovernanceConfig(AppConfig):
    name = "samarbeid.governance"
    label = "governance"

    def ready(self) -> None:
        register_feeds(self)  # its records feed cached figures (core.stamps)
