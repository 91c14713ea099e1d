"""A process plan as an iCalendar file that calendar programs import."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from icalendar import Calendar, Event, vText

from samarbeid.governance.models import ProcessPlan


def plan_to_ics(
    plan: ProcessPlan, steps: list[Any] | None = None, *, domain: str = "samarbeid"
) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Samarbeid//Prosessplan//NO")
    cal.add("version", "2.0")
    # An X- property has no known type: without vText a line break in the title is not
    # escaped and the file cannot be written. Known text properties are escaped as vText.
    cal.add("x-wr-calname", vText(plan.title))
    for step in steps if steps is not None else plan.steps.select_related("case"):
        event = Event()
        event.add("uid", f"step-{step.pk}@{domain}")
        summary = step.title if not step.body else f"{step.title} ({step.body})"
        event.add("summary", summary)
        event.add("dtstart", step.planned_date)
        event.add("dtend", (step.planned_end or step.planned_date) + timedelta(days=1))
        description = [plan.title]
        if step.case_id:
            description.append(f"Sak: {step.case}")
        if step.done_date:
            description.append(f"Utført {step.done_date:%d.%m.%Y}")
        event.add("description", "\n".join(description))
        event.add("dtstamp", plan_stamp())
        cal.add_component(event)
    return bytes(cal.to_ical())


def plan_stamp() -> datetime:

    return timezone.now()
