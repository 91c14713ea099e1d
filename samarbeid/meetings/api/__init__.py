"""API for bodies and meetings: one router (tag "meetings") of one module per aggregate."""

from samarbeid.core.api_forms import one_router
from samarbeid.meetings.api import bodies, documents, meetings, minutes, notice

router = one_router(
    "meetings", (bodies, meetings, notice, documents, minutes), named_as="samarbeid.meetings.api"
)
