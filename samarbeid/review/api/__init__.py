"""API for reviews, cooperation proposals, the legal-form advisor, model comparisons, the
overlap list and the exit analysis: one router (tag "review") built from one module per feature.

Everything the review pages can create or change. Every write needs a personal token
(`Authorization: Bearer smb_…`) or the signed-in session with its CSRF token; the endpoint
fills the page's form from the payload (core.api_forms) and calls the service the page calls,
which decides who may (the secretariat of the arena concerned). A change of a record carries
the `version` it started from; a newer stored version answers 409.
"""

from ninja import Router

from samarbeid.review.api import advisor, comparisons, exits, overlap, proposals, rounds

router = Router(tags=["review"])
for part in (rounds, proposals, advisor, comparisons, overlap, exits):
    router.add_router("", part.router)
