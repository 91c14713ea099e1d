from django.apps import AppConfig

from samarbeid.core.stamps import register_feeds


class ArenasConfig(AppConfig):
    name = "samarbeid.arenas"
    domain = True  # its records are the product's data (core.domain.domain_apps)
    label = "arenas"

    def ready(self) -> None:
        register_feeds(self)  # its records feed cached figures (core.stamps)
        # imported here: it reads the models, which are loaded only now
        from samarbeid.arenas.jobs import register_kinds

        register_kinds()  # follow_successors as a background task (samarbeid.jobs)
