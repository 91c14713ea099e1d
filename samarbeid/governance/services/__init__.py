"""The governance services, one module per aggregate: decisions, cases, treatments, votes,
process plans."""
