from samarbeid.core import domain


class StrategyConfig(domain.DomainConfig):
    name = "samarbeid.strategy"
    label = "strategy"
