from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "samarbeid.core"
    label = "core"
    verbose_name = "Samarbeid"

    def ready(self) -> None:
        # It reads the models' choices, loaded only now.
        from samarbeid.core.api_schemas import name_choices_for_the_api

        name_choices_for_the_api()
