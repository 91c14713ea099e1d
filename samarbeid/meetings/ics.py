"""A meeting as an iCalendar invitation that calendar programs import."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vText

from samarbeid.meetings.models import Meeting

OSLO = ZoneInfo("Europe/Oslo")


def oslo_timezone() -> Timezone:
    """The VTIMEZONE of Europe/Oslo (RFC 5545 3.6.5) that DTSTART's TZID names: CET, and
    CEST from the last Sunday of March at 02:00 to the last Sunday of October at 03:00
    (the EU rule since 1996)."""
    zone = Timezone()
    zone.add("tzid", "Europe/Oslo")
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("dtstart", datetime(1996, 3, 31, 2, 0))  # noqa: DTZ001 (local time, RFC 5545)
    summer.add("tzoffsetfrom", timedelta(hours=1))
    summer.add("tzoffsetto", timedelta(hours=2))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("dtstart", datetime(1996, 10, 27, 3, 0))  # noqa: DTZ001 (local time, RFC 5545)
    winter.add("tzoffsetfrom", timedelta(hours=2))
    winter.add("tzoffsetto", timedelta(hours=1))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def meeting_to_ics(
    meeting: Meeting, items: list[Any], *, url: str, domain: str = "samarbeid"
) -> bytes:
    """One event: the body's meeting, its place (or video link), the agenda's titles."""
    cal = Calendar()
    cal.add("prodid", "-//Samarbeid//Innkalling//NO")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", vText(meeting.body.name))
    cal.add_component(oslo_timezone())
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{domain}")
    event.add("summary", f"{meeting.body.name}: møte")
    event.add("dtstart", datetime.combine(meeting.date, meeting.start_time, tzinfo=OSLO))
    # No end time: no DTEND (nor a DURATION) is invented. RFC 5545 3.6.1: an event whose
    # DTSTART is a DATE-TIME and has no DTEND or DURATION ends when it starts; calendar
    # programs show it at its start.
    if meeting.end_time:
        event.add("dtend", datetime.combine(meeting.date, meeting.end_time, tzinfo=OSLO))
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
