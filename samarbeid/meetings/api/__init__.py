"""API for bodies and meetings: one router (tag "meetings") of one module per aggregate."""

# /api/v1/meetings/...: open reads (what the caller may see), and writes (WRITE_AUTH) through
# the pages' forms and services, by the arena's secretariat.

from samarbeid.core.api_forms import one_router
from samarbeid.meetings.api import bodies, documents, meetings, minutes, notice

router = one_router(
    "meetings", (bodies, meetings, notice, documents, minutes), named_as="samarbeid.meetings.api"
)
