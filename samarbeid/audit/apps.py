from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "samarbeid.audit"
    label = "audit"
