from samarbeid.core import domain


class RegistryConfig(domain.DomainConfig):
    name = "samarbeid.registry"
    label = "registry"

    def ready(self) -> None:
        super().ready()  # its records feed cached figures (core.stamps)
        # imported here: it reads the models, which are loaded only now
        from samarbeid.registry.jobs import register_kinds

        register_kinds()  # the imports as background tasks (samarbeid.jobs)
