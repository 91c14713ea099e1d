"""An issued invoice run e-mails each buyer's invoice contact (the accounts department's
address on its invoice reference: for the arena, else the general one) that the EHF invoice
is on its way, through a real SMTP server on loopback; an address can opt out without
signing in, and is then never e-mailed again."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from django.test import Client, TestCase
from django.urls import reverse

from conftest import bearer
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.models import InvoiceReference, InvoiceRun
from samarbeid.finance.run_steps import approve_run, issue_run
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.issued_invoices import vestfold_arena
from samarbeid.registry.models import Municipality
from samarbeid.reminders.mail import contact_token, email_for_contact_token
from samarbeid.reminders.models import ContactOptOut
from samarbeid.reminders.tests.test_send_reminders import Inbox, _body, _subject, inbox

__all__ = ["inbox"]
pytestmark = pytest.mark.django_db


def approved_run(secretariat: Any, *, larvik_arena_reference: str = "") -> InvoiceRun:
    """A 2026 run of the four Vestfold members (Tønsberg hosts: three invoices), approved;
    with `larvik_arena_reference`, Larvik has that address on a reference for the arena."""
    arena = vestfold_arena()
    h.equal_budget(arena, 2026, "400000.00")
    run = create_run(arena, 2026, actor=secretariat, issue_date=date(2026, 3, 2))
    h.ready(run)
    if larvik_arena_reference:
        InvoiceReference.objects.create(
            municipality=Municipality.objects.get(number="3909"),
            arena=arena,
            reference="VF-larvik",
            contact_email=larvik_arena_reference,
        )
    approve_run(run, expected_version=None, actor=secretariat)
    run.refresh_from_db()
    return run


def issue(run: InvoiceRun, actor: Any) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        issue_run(run, expected_version=None, actor=actor)


def test_each_buyers_contact_is_told_the_invoice_is_on_its_way(
    inbox: Inbox, secretariat: Any, larvik: Municipality, horten: Municipality
) -> None:
    # Larvik: a general address and one for this arena, which wins; Horten: general only;
    # Færder: none, so nobody is told.
    run = approved_run(secretariat, larvik_arena_reference="vf-faktura@larvik.example.no")
    InvoiceReference.objects.filter(municipality=larvik, arena=None).update(
        contact_email="faktura@larvik.example.no"
    )
    InvoiceReference.objects.filter(municipality=horten, arena=None).update(
        contact_email="regnskap@horten.example.no"
    )
    issue(run, secretariat)

    assert sorted(m["To"] for m in inbox.messages) == [
        "regnskap@horten.example.no",
        "vf-faktura@larvik.example.no",
    ]
    larvik_invoice = run.invoices.get(buyer=larvik)
    mail = next(m for m in inbox.messages if m["To"].startswith("vf-faktura"))
    assert _subject(mail) == f"EHF-faktura {larvik_invoice.number} fra Tønsberg er på vei"
    text = _body(mail, "text/plain").replace("\xa0", " ")
    assert "Beløp: 100 000,00 kr" in text
    assert f"KID: {larvik_invoice.kid}" in text
    assert "Deres referanse: VF-larvik" in text
    assert "Forfallsdato: " + larvik_invoice.due_date.strftime("%d.%m.%Y") in text
    assert "Horten" not in text  # one buyer's invoice only
    # the link names this address (its token is signed with the second it was made in, so
    # it is read back, not made again: made a second later it differs, and the test flaked)
    prefix = reverse("reminders:contact_unsubscribe", args=["TOKEN"]).split("TOKEN")[0]
    found = re.search(re.escape(prefix) + r"([^/\s]+)/", text)
    assert found is not None, text
    assert email_for_contact_token(found[1]) == mail["To"].casefold()
    assert found[0] in mail["List-Unsubscribe"]


def test_an_address_that_opted_out_is_not_told(
    inbox: Inbox, secretariat: Any, larvik: Municipality, client: Client
) -> None:
    run = approved_run(secretariat)
    InvoiceReference.objects.filter(municipality=larvik, arena=None).update(
        contact_email="Faktura@Larvik.example.no"
    )
    url = reverse(
        "reminders:contact_unsubscribe", args=[contact_token("faktura@larvik.example.no")]
    )
    asked = client.get(url)  # a link scanner's GET opts nobody out
    assert asked.status_code == 200
    assert not ContactOptOut.objects.exists()
    done = client.post(url)
    assert "Det sendes ikke flere varsler" in done.content.decode()
    assert ContactOptOut.objects.filter(email="faktura@larvik.example.no").exists()

    issue(run, secretariat)
    assert inbox.messages == []


def test_a_forged_contact_link_is_refused(client: Client) -> None:
    token = contact_token("faktura@larvik.example.no")
    response = client.post(reverse("reminders:contact_unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 404
    assert not ContactOptOut.objects.exists()


def test_an_smtp_failure_leaves_the_run_issued(
    secretariat: Any, larvik: Municipality, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens
    run = approved_run(secretariat)
    InvoiceReference.objects.filter(municipality=larvik, arena=None).update(
        contact_email="faktura@larvik.example.no"
    )
    issue(run, secretariat)
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.ISSUED


def test_the_page_and_the_api_set_the_contact_and_refuse_a_bad_address(
    client: Client, secretariat: Any, larvik: Municipality
) -> None:
    client.force_login(secretariat)
    bad = client.post(
        reverse("finance:reference_set"),
        {
            "municipality": larvik.pk,
            "reference": "3909-okonomi",
            "contact_email": "ikke en adresse",
        },
    )
    assert bad.status_code == 422
    assert 'id="id_contact_email_error"' in bad.content.decode()
    assert not InvoiceReference.objects.exists()
    good = client.post(
        reverse("finance:reference_set"),
        {"municipality": larvik.pk, "reference": "3909-okonomi", "contact_email": "f@larvik.no"},
    )
    assert good.status_code == 302
    assert InvoiceReference.objects.get().contact_email == "f@larvik.no"
    page = client.get(reverse("finance:references")).content.decode()
    assert "f@larvik.no" in page

    api = Client()
    url = "/api/v1/finance/invoice-references"
    body = {"municipality": "3909", "reference": "3909-okonomi", "contact_email": "nei"}
    refused = api.put(
        url, json.dumps(body), content_type="application/json", headers=bearer(secretariat)
    )
    assert refused.status_code == 422
    assert "contact_email" in refused.content.decode()
    body["contact_email"] = "regnskap@larvik.no"
    saved = api.put(
        url, json.dumps(body), content_type="application/json", headers=bearer(secretariat)
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["contact_email"] == "regnskap@larvik.no"
