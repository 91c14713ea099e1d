"""API for reviews, cooperation proposals, the legal-form advisor, model comparisons, the
overlap list and the exit analysis: one router (tag "review") built from one module per feature."""

from ninja import Router

from samarbeid.review.api import advisor, comparisons, exits, overlap, proposals, rounds

router = Router(tags=["review"])
for part in (rounds, proposals, advisor, comparisons, overlap, exits):
    router.add_router("", part.router)
