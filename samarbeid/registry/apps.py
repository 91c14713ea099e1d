from django.apps import AppConfig

from samarbeid.core.stamps import register_feeds


class RegistryConfig(AppConfig):
    name = "samarbeid.registry"
    domain = True  # its records are the product's data (core.domain.domain_apps)
    label = "registry"

    def ready(self) -> None:
        register_feeds(self)  # its records feed cached figures (core.stamps)
        # imported here: it reads the models, which are loaded only now
        from samarbeid.registry.jobs import register_kinds

        register_kinds()  # the imports as background tasks (samarbeid.jobs)
