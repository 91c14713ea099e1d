from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "samarbeid.strategy"
    label = "strategy"
