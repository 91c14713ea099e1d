"""Each user is offered only the reminder kinds their roles can receive (one function for
the form and the sender); the settings page's choices are a fieldset with a legend before
them; the unsubscribe page speaks the token's user's language; grant reports due are a
secretariat's reminder kind."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.portal.tests.test_dashboard import _treatment
from samarbeid.registry.models import Municipality
from samarbeid.reminders.digest import digest_for, kinds_for, prefs_for
from samarbeid.reminders.mail import contact_token, unsubscribe_token
from samarbeid.reminders.models import KINDS, ReminderSettings

pytestmark = pytest.mark.django_db

SECRETARIAT_ONLY = {"steps", "ceased", "runs", "drafts", "reviews", "grant-reports"}
COORDINATOR_ONLY = {"treatments", "benefits", "reviews", "invoices", "notices"}


def test_one_function_says_which_kinds_a_users_roles_can_receive(
    larvik_clerk: Any, secretariat: Any, reader: Any
) -> None:
    assert set(kinds_for(larvik_clerk)) == COORDINATOR_ONLY
    assert set(kinds_for(secretariat)) == SECRETARIAT_ONLY
    assert kinds_for(reader) == []
    assert {slug for slug, _label in KINDS} == COORDINATOR_ONLY | SECRETARIAT_ONLY


def test_a_coordinator_is_offered_only_a_coordinators_kinds(
    client: Client, larvik_clerk: Any
) -> None:
    url = reverse("reminders:settings")
    page = login(client, larvik_clerk).get(url).content.decode()
    assert 'value="treatments"' in page
    assert 'value="steps"' not in page
    assert 'value="runs"' not in page
    refused = client.post(url, {"kinds": ["steps"], "frequency": "daily", "language": "nb"})
    assert refused.status_code == 200
    assert not ReminderSettings.objects.filter(user=larvik_clerk).exists()


def test_the_sender_holds_back_a_kind_the_roles_cannot_receive(
    larvik_clerk: Any, larvik: Municipality, today: date
) -> None:
    _treatment(larvik, "Felles barnevern", today - timedelta(days=5))
    prefs = ReminderSettings.objects.create(user=larvik_clerk, kinds=["steps"])
    assert digest_for(larvik_clerk, prefs, today).parts == []
    prefs.kinds = ["treatments"]
    assert [p.section.slug for p in digest_for(larvik_clerk, prefs, today).parts] == ["treatments"]


def test_the_choices_are_a_fieldset_whose_legend_comes_first(
    client: Client, larvik_clerk: Any
) -> None:
    page = login(client, larvik_clerk).get(reverse("reminders:settings")).content.decode()
    fieldset = re.search(r"<fieldset[^>]*>(.*?)</fieldset>", page, re.S)
    assert fieldset, page
    inside = fieldset.group(1)
    legend = inside.find("<legend")
    assert 0 <= legend < inside.find('type="checkbox"')
    assert "Påminnelser om" in inside[legend : inside.find("</legend>")]


def test_the_unsubscribe_page_speaks_the_users_language(client: Client, larvik_clerk: Any) -> None:
    link = reverse("reminders:unsubscribe", args=[unsubscribe_token(larvik_clerk)])
    assert "Meld meg av" in client.get(link).content.decode()
    ReminderSettings.objects.create(user=larvik_clerk, language="en")
    english = client.get(link)
    assert "Meld meg av" not in english.content.decode()
    assert english["Content-Language"] == "en"
    # ?lang= (and the header's switch) still decides when used
    assert "Meld meg av" in client.get(link + "?lang=nb").content.decode()
    done = client.post(link)
    assert done["Content-Language"] == "en"
    assert ReminderSettings.objects.get(user=larvik_clerk).frequency == "never"


def test_an_invoice_contacts_unsubscribe_page_is_in_bokmal_unless_switched(
    client: Client, larvik_clerk: Any
) -> None:
    link = reverse("reminders:contact_unsubscribe", args=[contact_token("faktura@example.no")])
    page = client.get(link)
    assert page["Content-Language"] == "nb"
    assert client.get(link + "?lang=en")["Content-Language"] == "en"


def test_a_grant_report_due_is_a_secretariats_reminder_once_per_state(
    secretariat: Any, today: date
) -> None:
    from samarbeid.finance.models import Grant
    from samarbeid.finance.tests import helpers as h
    from samarbeid.finance.tests.test_grants import MEMBERS, Y2026, grant

    arena = h.arena(MEMBERS, Y2026, host="3905", short_name="12K")
    key = h.key(arena, 100, 0)
    budget = h.budget(arena, 2026, None, key)
    project = h.project(arena, "P-1", MEMBERS, Y2026)
    line = h.project_line(budget, project, "1000000.00", key)
    due = grant(
        line,
        status=Grant.Status.GRANTED,
        amount_granted="400000.00",
        report_due=today + timedelta(days=3),
    )
    prefs = prefs_for(secretariat)
    assert "grant-reports" in prefs.kinds  # on by default
    digest = digest_for(secretariat, prefs, today)
    part = next(p for p in digest.parts if p.section.slug == "grant-reports")
    assert [row.url for row in part.rows] == [due.get_absolute_url()]
    # once sent, the same state is not sent again; overdue is a new state
    prefs.save()
    from samarbeid.reminders.models import SentReminder

    SentReminder.objects.bulk_create([SentReminder(user=secretariat, key=k) for k in digest.keys])
    again = digest_for(secretariat, prefs, today)
    assert "grant-reports" not in [p.section.slug for p in again.parts]
    later = digest_for(secretariat, prefs, today + timedelta(days=4))
    late = next(p for p in later.parts if p.section.slug == "grant-reports")
    assert late.rows[0].late


def test_the_invoice_references_page_marks_a_contact_who_opted_out(
    client: Client, secretariat: Any, larvik: Municipality, horten: Municipality
) -> None:
    from samarbeid.finance.models import InvoiceReference
    from samarbeid.reminders.models import ContactOptOut

    InvoiceReference.objects.create(
        municipality=larvik, reference="LAR-1", contact_email="Faktura@Larvik.example.no"
    )
    InvoiceReference.objects.create(
        municipality=horten, reference="HOR-1", contact_email="regnskap@horten.example.no"
    )
    gone = ContactOptOut.objects.create(email="faktura@larvik.example.no")
    page = login(client, secretariat).get(reverse("finance:references")).content.decode()
    row = next(line for line in page.split("<tr>") if "LAR-1" in line)
    assert f"avmeldt varsler {gone.opted_out.astimezone():%d.%m.%Y}" in row
    other = next(line for line in page.split("<tr>") if "HOR-1" in line)
    assert "avmeldt" not in other


def test_a_secretariat_is_offered_reviews_due_and_drafts_say_what_they_are(
    client: Client, secretariat: Any
) -> None:
    page = login(client, secretariat).get(reverse("reminders:settings")).content.decode()
    assert 'value="reviews"' in page
    assert "Medlemskap som skal gjennomgås" in page
    assert "Utkast: strategiske planer, samarbeidsforslag og gjennomganger under arbeid" in page


def test_a_secretariats_digest_has_the_reviews_due_in_the_arenas_it_serves(
    arena_secretariat: Any, own_arena: Any, today: date
) -> None:
    from samarbeid.arenas.tests.factories import ArenaFactory, MembershipFactory

    own_arena.next_review = today + timedelta(days=20)
    own_arena.save()
    mine = MembershipFactory(arena=own_arena, next_review=today - timedelta(days=3))
    other = ArenaFactory(name="Et annet samarbeid", short_name="AAS")
    MembershipFactory(arena=other, next_review=today + timedelta(days=5))
    prefs = prefs_for(arena_secretariat)
    assert "reviews" in prefs.kinds  # on by default
    digest = digest_for(arena_secretariat, prefs, today)
    part = next(p for p in digest.parts if p.section.slug == "reviews")
    assert [(row.text, row.when, row.late) for row in part.rows] == [
        (own_arena.name, mine.next_review, True),
        (own_arena.name, own_arena.next_review, False),
    ]
    assert mine.municipality.name in part.rows[0].detail
    assert part.section.total == 2
    prefs.kinds = [k for k in prefs.kinds if k != "reviews"]
    assert "reviews" not in [
        p.section.slug for p in digest_for(arena_secretariat, prefs, today).parts
    ]


def test_a_reader_is_told_plainly_that_the_role_gets_no_reminders(
    client: Client, reader: Any
) -> None:
    page = login(client, reader).get(reverse("reminders:settings")).content.decode()
    assert "Rollen din får ingen påminnelser eller varsler på e-post" in page
    assert "Påminnelser om" not in page  # no empty box of kinds
    assert 'id="id_frequency_0"' not in page
    assert 'id="id_language"' not in page  # nothing is e-mailed to a reader in any language
