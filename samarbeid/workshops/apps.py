from samarbeid.core import domain


class WorkshopsConfig(domain.DomainConfig):
    name = "samarbeid.workshops"
    label = "workshops"
