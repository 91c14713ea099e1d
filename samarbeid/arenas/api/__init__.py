"""API for arenas: the arenas themselves, and their memberships with the decisions they rest
on. One router (tag "arenas") built from one module per aggregate."""

from samarbeid.arenas.api import arenas, memberships
from samarbeid.core.api_forms import one_router

router = one_router("arenas", (arenas, memberships), named_as="samarbeid.arenas.api")
