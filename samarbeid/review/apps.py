from samarbeid.core import domain


class ReviewConfig(domain.DomainConfig):
    name = "samarbeid.review"
    label = "review"
