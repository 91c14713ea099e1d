"""`{{ meeting.start_time|clock }}`: a time of day as meetings write it, "09.00" in bokmål
and "09:00" in English (one way in every meetings page, PDF and e-mail)."""

from __future__ import annotations

from typing import Any

from django import template

from samarbeid.meetings.clock import clock as _clock

register = template.Library()


@register.filter
def clock(moment: Any) -> str:
    """The time, or "" when there is none."""
    if moment in (None, ""):
        return ""
    return _clock(moment)
