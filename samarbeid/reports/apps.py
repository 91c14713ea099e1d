from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "samarbeid.reports"
    label = "reports"
