from django.apps import AppConfig


class ArenasConfig(AppConfig):
    name = "samarbeid.arenas"
    label = "arenas"
