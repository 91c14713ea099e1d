"""The review's services, one module per feature: rounds, overlap, proposals, advisor,
comparison, exits (and costs, from finance)."""
