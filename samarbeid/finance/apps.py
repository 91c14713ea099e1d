from django.apps import AppConfig

from samarbeid.core.stamps import register_feeds


class FinanceConfig(AppConfig):
    name = "samarbeid.finance"
    domain = True  # its records are the product's data (core.domain.domain_apps)
    label = "finance"

    def ready(self) -> None:
        # Its models are loaded only now, after every app's config.
        from samarbeid.finance.feeds import SPLIT_INPUTS

        register_feeds(self, splits=SPLIT_INPUTS)  # records feed figures; what splits read
        from samarbeid.finance.jobs import register_kinds  # the models again

        register_kinds()  # invoice runs as background tasks (samarbeid.jobs)
