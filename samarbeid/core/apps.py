from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "samarbeid.core"
    label = "core"
    verbose_name = "Samarbeid"
