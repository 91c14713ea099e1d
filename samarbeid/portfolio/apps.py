from samarbeid.core import domain


class PortfolioConfig(domain.DomainConfig):
    name = "samarbeid.portfolio"
    label = "portfolio"
