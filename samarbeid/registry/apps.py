from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "samarbeid.registry"
    label = "registry"
