from samarbeid.core import domain


class PlanningConfig(domain.DomainConfig):
    name = "samarbeid.planning"
    label = "planning"
