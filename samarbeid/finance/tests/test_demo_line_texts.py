"""The demo's invoices read as real ones: no "(eksempel)" in an EHF line text or note (the
demo says it is example data elsewhere: the runs are marked, the pages say so)."""

from __future__ import annotations

import pytest

from samarbeid.finance.models import Invoice, InvoiceLine, InvoiceRun
from samarbeid.finance.outputs import render_ehf
from samarbeid.portal.demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_invoices_read_as_real_ones(secretariat: object) -> None:
    load_demo()
    lines = InvoiceLine.objects.all()
    assert lines.exists()
    for line in lines:
        assert "eksempel" not in line.description.casefold(), line.description
        assert "eksempel" not in line.note.casefold(), line.note
    for invoice in Invoice.objects.filter(issued_at__isnull=False):
        assert "eksempel" not in invoice.reason.casefold()
        document = render_ehf(invoice)
        text = document.decode() if isinstance(document, bytes) else str(document)
        assert "eksempel" not in text.casefold()
    # the runs are still marked as example data
    assert all(run.is_example_data for run in InvoiceRun.objects.all())
