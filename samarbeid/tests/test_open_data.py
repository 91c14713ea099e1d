"""Open data: published records only, as JSON, CSV and Popolo, in a bounded number of
queries."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samarbeid.arenas.tests.factories import ArenaFactory, arena_with_members
from samarbeid.portal.opendata import DATASETS

pytestmark = pytest.mark.django_db


def test_page_lists_every_dataset(client: Client) -> None:
    page = client.get(reverse("core:open_data")).content.decode()
    for dataset in DATASETS:
        assert reverse("core:open_data_file", args=[dataset.slug, "csv"]) in page
        assert reverse("core:open_data_file", args=[dataset.slug, "json"]) in page
    assert reverse("core:open_data_popolo") in page


def test_only_published_records(client: Client) -> None:
    arena_with_members(["3909", "3901"], name="Åpen arena")
    arena_with_members(["3909"], name="Intern arena", published=False)
    arenas = client.get(reverse("core:open_data_file", args=["arenaer", "json"])).json()
    assert [a["name"] for a in arenas["items"]] == ["Åpen arena"]
    members = client.get(reverse("core:open_data_file", args=["medlemskap", "json"])).json()
    assert {m["arena"] for m in members["items"]} == {"Åpen arena"}
    assert len(members["items"]) == 2
    decisions = client.get(reverse("core:open_data_file", args=["vedtak", "json"])).json()
    assert len(decisions["items"]) == 3  # the council decisions the memberships rest on


def test_csv_has_header_and_rows(client: Client) -> None:
    arena_with_members(["3909"], name="Åpen arena")
    response = client.get(reverse("core:open_data_file", args=["medlemskap", "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["arena"] == "Åpen arena"
    assert rows[0]["municipality"] == "3909"


@pytest.mark.parametrize("slug", [d.slug for d in DATASETS])
def test_every_dataset_downloads_in_both_formats(client: Client, slug: str) -> None:
    arena_with_members(["3909"])
    assert client.get(reverse("core:open_data_file", args=[slug, "json"])).status_code == 200
    assert client.get(reverse("core:open_data_file", args=[slug, "csv"])).status_code == 200


def test_unknown_dataset_is_404(client: Client) -> None:
    assert client.get("/apne-data/ukjent.json").status_code == 404
    assert client.get("/apne-data/arenaer.xml").status_code == 404


def test_popolo_organisation_member_of_organisation(client: Client) -> None:
    parent: Any = ArenaFactory(name="12K", organisation_number="974575086")
    arena_with_members(["3909"], name="Fagnettverk", parent=parent)
    data = json.loads(client.get(reverse("core:open_data_popolo")).content)
    orgs = {o["id"]: o for o in data["organizations"]}
    larvik = next(o for o in orgs.values() if o["classification"] == "municipality")
    schemes = {i["scheme"]: i["identifier"] for i in larvik["identifiers"]}
    assert schemes["no-kommunenummer"] == "3909"
    assert len(schemes["no-orgnr"]) == 9
    child = next(o for o in orgs.values() if o["name"] == "Fagnettverk")
    assert child["parent_id"] == f"arena/{parent.pk}"
    assert orgs[f"arena/{parent.pk}"]["identifiers"][0]["identifier"] == "974575086"
    membership = data["memberships"][0]
    assert membership["organization_id"] == child["id"]
    assert membership["member"] == {"@type": "Organization", "id": larvik["id"]}
    assert membership["start_date"] == "2024-03-01"


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [f"/apne-data/{d.slug}.json" for d in DATASETS] + ["/apne-data/popolo.json"],
)
def test_bounded_queries(client: Client, url: str) -> None:
    arena_with_members(["3909"])
    small = _queries(client, url)
    for _ in range(4):
        arena_with_members(["3909", "3901", "3907"], parent=ArenaFactory())
    assert _queries(client, url) == small


def test_invoice_totals_follow_the_finance_app(client: Client) -> None:
    from samarbeid.portal.opendata import _invoice_model

    data: Any = client.get("/apne-data/fakturert.json").json()
    assert data["count"] == 0
    assert _invoice_model() is None or data["items"] == []


def test_invoiced_amounts_are_filed_under_the_runs_year(client: Client) -> None:
    """Found in a clerk's trial: the demo's 2008 run (issued on a 2026 date) was filed under
    2026 together with the 2026 run. Each run's amounts go under its budget year, net of
    credit notes."""
    from samarbeid.finance.models import Invoice, InvoiceRun
    from samarbeid.portal.demo import load_demo

    load_demo()
    run = InvoiceRun.objects.get(arena__short_name="12K", year=2008)
    rows = client.get("/apne-data/fakturert.json").json()["items"]
    horten_2008 = [r for r in rows if r["municipality"] == "3901" and r["year"] == 2008]
    invoice = run.invoices.get(buyer__number="3901", kind=Invoice.Kind.INVOICE)
    assert [r["total"] for r in horten_2008] == [f"{invoice.total:.2f}"]
    faerder = [r for r in rows if r["municipality"] == "3911" and r["year"] == 2008]
    net = sum(
        (
            -i.total if i.is_credit_note else i.total
            for i in run.invoices.filter(buyer__number="3911")
        ),
        Decimal(0),
    )
    assert [r["total"] for r in faerder] == [f"{net:.2f}"]
