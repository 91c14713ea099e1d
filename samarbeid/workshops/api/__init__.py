"""API for workshops: reads (open; group links are never exposed there) and the
facilitator's writes (the secretariat of the arena; a new or renewed group link is
returned to them only). One router, built from the aggregates' modules: workshops and their
questions, groups and participants, themes (results, merges, outcomes and the summary)
and the groups' answers through their link."""

from ninja import Router

from samarbeid.workshops.api import answers, groups, themes, workshops

router = Router(tags=["workshops"])
router.add_router("/", workshops.router)
router.add_router("/", groups.router)
router.add_router("/", themes.router)
router.add_router("/", answers.router)
