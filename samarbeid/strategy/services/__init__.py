"""The strategy services, one module per aggregate: plans, links, results, benefits,
attainment, account (read side); scope holds what they share."""
