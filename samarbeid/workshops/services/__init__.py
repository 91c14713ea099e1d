"""Workshops' services by aggregate: `workshops` (workshops and questions), `groups`
(groups, participants, links), `answers` (the groups' contributions), `plenary` (results
gathered live) and `themes` (merges and outcomes, for the minutes)."""
