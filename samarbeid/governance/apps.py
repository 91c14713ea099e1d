from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "samarbeid.governance"
    label = "governance"
