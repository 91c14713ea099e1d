from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "samarbeid.reports"
    domain = True  # its records are the product's data (core.domain.domain_apps)
    label = "reports"
