"""The invoice references page offers each role only what it may do: a clerk's trial found
Larvik's coordinator offered every municipality in Norway and "Slett" on Horten's reference,
both refused when used (what was typed lost). A coordinator sets its own municipality's,
a secretariat any, a reader none."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.finance.models import InvoiceReference
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db


def _references() -> tuple[InvoiceReference, InvoiceReference]:
    larvik = Municipality.objects.current().get(number="3909")
    horten = Municipality.objects.current().get(number="3901")
    return (
        InvoiceReference.objects.create(municipality=larvik, reference="LARVIK-1"),
        InvoiceReference.objects.create(municipality=horten, reference="HORTEN-1"),
    )


def _page(client: Client) -> str:
    return client.get(reverse("finance:references")).content.decode()


def _deletable(page: str) -> set[int]:
    return {int(pk) for pk in re.findall(r"/fakturareferanser/(\d+)/slett/", page)}


def _offered(page: str) -> list[str]:
    select = re.search(r'<select name="municipality".*?</select>', page, re.S)
    return re.findall(r'<option value="(\d+)"', select[0]) if select else []


def test_a_coordinator_is_offered_its_own_municipality_only(
    client: Client, coordinator: Any
) -> None:
    own, _other = _references()
    login(client, coordinator)
    page = _page(client)
    assert _deletable(page) == {own.pk}
    assert _offered(page) == [str(own.municipality_id)]


def test_a_secretariat_is_offered_every_one_and_a_reader_none(
    client: Client, secretariat: Any, reader: Any
) -> None:
    own, other = _references()
    login(client, secretariat)
    page = _page(client)
    assert _deletable(page) == {own.pk, other.pk}
    assert len(_offered(page)) > 300
    login(client, reader)
    page = _page(client)
    assert _deletable(page) == set()
    assert _offered(page) == []
    assert "Lagre fakturareferansen" not in page
