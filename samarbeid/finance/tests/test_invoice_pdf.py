"""The invoice PDF carries what the invoice page and the EHF carry: the buyer's reference
and the parties' registered names and addresses (found in a clerk's trial: "Deres referanse"
3909-12K was on the page and in the EHF, not in the PDF, where an accounts department reads
it to route the invoice)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from conftest import login
from samarbeid.finance.models import Invoice
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_api_writes import issue
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026, run_2026

pytestmark = pytest.mark.django_db


def test_the_pdf_names_the_buyers_reference_and_address(client: Client, secretariat: Any) -> None:
    arena = h.arena(VESTFOLD_NOW, Y2026, host="3905")
    invoice = issue(run_2026(arena, secretariat), secretariat).invoices.order_by("pk").first()
    assert invoice is not None
    Invoice.objects.filter(pk=invoice.pk).update(
        buyer_registered_name="LARVIK KOMMUNE",
        buyer_street="Feltspatveien 20",
        buyer_postal_code="3263",
        buyer_city="LARVIK",
    )
    login(client, secretariat)
    pdf = client.get(reverse("finance:invoice_pdf", args=[invoice.pk]))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert f"Deres referanse: {invoice.buyer_reference}" in text
    assert invoice.buyer_reference
    assert "LARVIK KOMMUNE" in text
    assert "Feltspatveien 20" in text
    assert "3263 LARVIK" in text
