from django.apps import AppConfig

from samarbeid.core.stamps import register_feeds


class GovernanceConfig(AppConfig):
    name = "samarbeid.governance"
    domain = True  # its records are the product's data (core.domain.domain_apps)
    label = "governance"

    def ready(self) -> None:
        register_feeds(self)  # its records feed cached figures (core.stamps)
