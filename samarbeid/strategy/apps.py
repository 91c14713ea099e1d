from django.apps import AppConfig

from samarbeid.core.stamps import register_feeds


class StrategyConfig(AppConfig):
    name = "samarbeid.strategy"
    label = "strategy"

    def ready(self) -> None:
        register_feeds(self)  # its records feed cached figures (core.stamps)
