from samarbeid.core import domain


class ArenasConfig(domain.DomainConfig):
    name = "samarbeid.arenas"
    label = "arenas"

    def ready(self) -> None:
        super().ready()  # its records feed cached figures (core.stamps)
        # imported here: it reads the models, which are loaded only now
        from samarbeid.arenas.jobs import register_kinds

        register_kinds()  # follow_successors as a background task (samarbeid.jobs)
