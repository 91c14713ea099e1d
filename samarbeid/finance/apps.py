from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "samarbeid.finance"
    label = "finance"
