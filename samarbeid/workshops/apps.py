from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "samarbeid.workshops"
    label = "workshops"
