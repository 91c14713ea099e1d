"""A meeting as an iCalendar invitation that calendar programs import."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from icalendar import Calendar, Event, vText

from samarbeid.meetings.models import Meeting


def meeting_to_ics(
    meeting: Meeting, items: list[Any], *, url: str, domain: str = "samarbeid"
) -> bytes:
    """One event: the body's meeting, its place (or video link), the agenda's titles."""
    cal = Calendar()
    cal.add("prodid", "-//Samarbeid//Innkalling//NO")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", vText(meeting.body.name))
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{domain}")
    event.add("summary", f"{meeting.body.name}: møte")
    zone = timezone.get_current_timezone()
    start = datetime.combine(meeting.date, meeting.start_time, tzinfo=zone)
    end = (
        datetime.combine(meeting.date, meeting.end_time, tzinfo=zone)
        if meeting.end_time
        else start + timedelta(hours=2)
    )
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("location", meeting.place or meeting.video_link)
    lines = [f"{item.reference} {item.title}" for item in items]
    if meeting.video_link:
        lines.append(f"Videomøte: {meeting.video_link}")
    lines.append(url)
    event.add("description", "\n".join(lines))
    event.add("url", url)
    event.add("sequence", meeting.version)
    event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
    event.add("dtstamp", timezone.now())
    cal.add_component(event)
    return bytes(cal.to_ical())
