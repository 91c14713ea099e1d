from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "samarbeid.core"
    label = "core"
    verbose_name = "Samarbeid"

    def ready(self) -> None:
        from samarbeid.core.api_schemas import name_choices_for_the_api
        from samarbeid.core.stamps import connect_signals

        connect_signals()
        name_choices_for_the_api()
