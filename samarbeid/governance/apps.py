from samarbeid.core import domain


class GovernanceConfig(domain.DomainConfig):
    name = "samarbeid.governance"
    label = "governance"
