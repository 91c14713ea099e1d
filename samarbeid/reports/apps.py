from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "samarbeid.reports"
    domain = True  # its records are the product's data (core.domain.domain_apps)
    label = "reports"

    def ready(self) -> None:
        # imported here: it reads the models, which are loaded only now
        from samarbeid.reports.jobs import register_kinds

        register_kinds()  # the annual report made as a background task (samarbeid.jobs)
