from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from conftest import login
from samarbeid.arenas.models import Arena
from samarbeid.finance.figures import host_share
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.models import Budget, Invoice, InvoiceLine, InvoiceRun
from samarbeid.finance.outputs import ehf_problems, render_ehf
from samarbeid.finance.tests import helpers as h
from samarbeid.lib.money import format_nok
from samarbeid.portal.demo import load_demo

pytestmark = pytest.mark.django_db


def test_demo_issues_12k_2008_and_refuses_n_k(secretariat: object) -> None:
    load_demo()
    run = h.demo_run(2008)  # the demo loaded again: idempotent
    assert run.status == InvoiceRun.Status.ISSUED
    assert run.is_example_data
    budget = Budget.objects.get(arena__short_name="12K", year=2008)
    planned = sum((line.amount for line in budget.lines.all()), Decimal(0))
    first = run.invoices.filter(kind=Invoice.Kind.INVOICE, replaces=None)
    # the host Tønsberg pays its own share, not invoiced: invoiced + own share = budget
    assert not run.invoices.filter(buyer__number="3905").exists()
    host = host_share(run)
    assert host is not None
    assert host.municipality.number == "3905"
    assert sum(i.total for i in first) + host.amount == planned
    for invoice in run.invoices.all():
        assert ehf_problems(invoice) == []
    # Færder's invoice: Tjøme's base contribution credited and invoiced again, corrected.
    note = run.invoices.get(kind=Invoice.Kind.CREDIT_NOTE)
    corrected = run.invoices.get(replaces__isnull=False)
    assert note.credited_id == corrected.replaces_id == first.get(buyer__number="3911").pk
    assert corrected.total == note.total - Decimal("2188.35")
    net = sum(i.total for i in run.invoices.all()) - 2 * note.total
    assert net + host.amount == planned - Decimal("2188.35")
    notes = set(InvoiceLine.objects.filter(invoice__run=run).values_list("note", flat=True))
    assert "Andel for Nøtterøy (0722), nå Færder (3911)" in notes
    # Horten only changed number: its lines carry no note
    assert not any(n.startswith("Andel for Horten") for n in notes)
    # the invoices carry the buyers' references, registered names and addresses
    faerder = first.get(buyer__number="3911")
    assert faerder.buyer_reference == "3911-12K"
    assert faerder.buyer_registered_name == "FÆRDER KOMMUNE"
    assert faerder.seller_registered_name == "TØNSBERG KOMMUNE"
    assert (faerder.seller_postal_code, faerder.seller_city) == ("3104", "TØNSBERG")
    assert run.seller_account == "86011117947"
    n_k = Arena.objects.get(short_name="n-k")
    with pytest.raises(ValidationError, match="ingen medlemmer i 2009"):
        create_run(n_k, 2009, actor=secretariat)


def test_the_runs_api_gives_the_run_pages_figures(secretariat: object, client: Any) -> None:
    """Found in a clerk's trial: the runs API added the 2008 credit note to `total`
    (1 924 103,69) where the page subtracts it (1 797 225,49). `total` is the invoices,
    `credited` the credit notes and `net` what the page calls "Fakturert"."""
    run = h.demo_run(2008)
    documents = list(run.invoices.all())
    invoiced = sum((i.total for i in documents if i.kind == Invoice.Kind.INVOICE), Decimal(0))
    credited = sum((i.total for i in documents if i.is_credit_note), Decimal(0))
    [row] = [r for r in client.get("/api/v1/finance/runs").json()["items"] if r["id"] == run.pk]
    assert row["invoices"] == len([i for i in documents if i.kind == Invoice.Kind.INVOICE])
    assert row["credit_notes"] == 1
    assert Decimal(row["total"]) == invoiced
    assert Decimal(row["credited"]) == credited == Decimal("63439.10")
    assert Decimal(row["net"]) == invoiced - credited
    login(client, secretariat)
    html = client.get(f"/okonomi/kjoring/{run.pk}/").content.decode()
    assert format_nok(invoiced - credited, "nb") in html


def test_credit_notes_and_corrected_invoices_carry_the_parties_as_sent(secretariat: object) -> None:
    """Found in a clerk's trial: Færder's credit note and corrected invoice of 2008 said
    "12K 2008" where the invoice said "3911-12K", and lost both parties' registered names and
    postal addresses, which an accounts department matches on (issue 17 point 4)."""
    run = h.demo_run(2008)
    original = run.invoices.get(buyer__number="3911", kind=Invoice.Kind.INVOICE, replaces=None)
    note = run.invoices.get(kind=Invoice.Kind.CREDIT_NOTE)
    corrected = run.invoices.get(replaces__isnull=False)
    for document in (note, corrected):
        for name in Invoice.PARTIES:
            assert getattr(document, name) == getattr(original, name), (document, name)
        xml = render_ehf(document).decode()
        assert "<cbc:BuyerReference>3911-12K</cbc:BuyerReference>" in xml
        assert "FÆRDER KOMMUNE" in xml
        assert "TØNSBERG KOMMUNE" in xml
        assert "<cbc:PostalZone>3104</cbc:PostalZone>" in xml


def test_the_invoice_page_shows_the_reference_and_addresses(
    secretariat: object, client: Any
) -> None:
    """A clerk checking references had to open the EHF file: the invoice page shows the
    buyer's reference and both parties' registered names and postal addresses."""
    run = h.demo_run(2008)
    invoice = run.invoices.get(buyer__number="3911", kind=Invoice.Kind.INVOICE, replaces=None)
    login(client, secretariat)
    page = client.get(invoice.get_absolute_url()).content.decode()
    assert "Deres referanse" in page
    assert "3911-12K" in page
    assert "FÆRDER KOMMUNE" in page
    assert "3104 TØNSBERG" in page


def test_an_invoiced_key_names_each_year_once(secretariat: object) -> None:
    """A clerk's trial read "brukt i budsjett som er fakturert (2008, 2008, 2008, 2008,
    2026)": one year per line. Each year once."""
    from samarbeid.finance.keys import update_key

    run = h.demo_run(2008)
    key = run.invoices.first().lines.first().budget_line.key  # type: ignore[union-attr]
    with pytest.raises(ValidationError) as refused:
        update_key(
            key,
            {"equal": key.equal + 1, "per_capita": key.per_capita - 1},
            expected_version=key.version,
            actor=secretariat,
        )
    message = " ".join(refused.value.messages)
    years = message[message.index("(") + 1 : message.index(")")].split(", ")
    assert years == sorted(set(years)), message


def test_a_figure_changed_after_invoicing_is_flagged_on_the_budget(
    secretariat: object, client: Any
) -> None:
    """A clerk's trial changed Tjøme's 2007 population after the 2008 run was issued: the
    budget page then showed Horten 186 328,71 where the invoice says 186 380,84, without a
    word. The invoices stand; the page says the split differs from what was invoiced."""
    from samarbeid.registry.models import Population

    load_demo()
    budget = Budget.objects.get(arena__short_name="12K", year=2008)
    login(client, secretariat)
    url = f"/okonomi/budsjett/{budget.pk}/"
    assert "avviker fra det som ble fakturert" not in client.get(url).content.decode()
    Population.objects.filter(municipality__number="0723", year=2007).update(count=4900)
    from samarbeid.core.stamps import bump

    bump(arenas=())  # a bulk update, as an import would do it
    page = client.get(url).content.decode()
    assert "avviker fra det som ble fakturert" in page
    assert "186\u00a0380,84 kr fakturert" in page
