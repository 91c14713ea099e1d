from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "samarbeid.portfolio"
    label = "portfolio"
