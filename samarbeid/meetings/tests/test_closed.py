"""Closed items: the public sees the title and the legal basis, not the text or the
documents; the closed item's files are refused to the public and to the API without
rights; the reason is kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import _user, bearer, login
from samarbeid.accounts.models import Role
from samarbeid.meetings.models import AgendaItem, LegalBasis, Meeting, MeetingDocument
from samarbeid.meetings.services.meetings import add_item, update_item
from samarbeid.meetings.tests.factories import meeting, member

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n"


def _closed(one: Meeting, actor: Any) -> AgendaItem:
    return add_item(
        AgendaItem(
            meeting=one,
            title="Ansettelse av daglig leder",
            description="Søkerliste med navn",
            closed=True,
            legal_basis=LegalBasis.DUTY_OF_CONFIDENTIALITY,
            closed_reason="Personopplysninger om søkerne",
        ),
        actor=actor,
    )


def _file(one: Meeting, item: AgendaItem | None, title: str) -> MeetingDocument:
    return MeetingDocument.objects.create(
        meeting=one,
        item=item,
        title=title,
        date="2025-03-01",
        kind="appendix",
        file=SimpleUploadedFile("x.pdf", PDF),
        filename="x.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )


def test_a_closed_item_needs_its_basis(secretariat: Any) -> None:
    one = meeting()
    with pytest.raises(ValidationError) as exc:
        add_item(AgendaItem(meeting=one, title="Lukket", closed=True), actor=secretariat)
    assert "legal_basis" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        add_item(
            AgendaItem(meeting=one, title="Lukket", closed=True, legal_basis=LegalBasis.OTHER),
            actor=secretariat,
        )
    assert "legal_basis_text" in exc.value.message_dict
    other = add_item(
        AgendaItem(
            meeting=one,
            title="Lukket",
            closed=True,
            legal_basis=LegalBasis.OTHER,
            legal_basis_text="offl. § 15",
        ),
        actor=secretariat,
    )
    assert other.basis_label == "offl. § 15"


def test_the_reason_is_kept_and_opening_clears_the_basis(secretariat: Any) -> None:
    item = _closed(meeting(), secretariat)
    item.refresh_from_db()
    assert item.closed_reason == "Personopplysninger om søkerne"
    update_item(item, {"closed": False}, expected_version=1, actor=secretariat)
    item.refresh_from_db()
    assert (item.legal_basis, item.closed_reason) == ("", "")


def test_an_open_item_with_a_basis_is_refused_on_the_basis(secretariat: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        add_item(
            AgendaItem(
                meeting=meeting(),
                title="Åpen",
                closed=False,
                legal_basis=LegalBasis.DUTY_OF_CONFIDENTIALITY,
            ),
            actor=secretariat,
        )
    assert "Bare en lukket sak har hjemmel" in exc.value.message_dict["legal_basis"][0]


def test_the_public_sees_title_and_basis_only(
    client: Client, secretariat: Any, larvik: Any
) -> None:
    one = meeting()
    item = _closed(one, secretariat)
    add_item(
        AgendaItem(meeting=one, title="Åpen sak", description="Alle kan lese"), actor=secretariat
    )
    closed_file = _file(one, item, "Søkerliste")
    open_file = _file(one, None, "Innkalling")
    page = client.get(one.get_absolute_url()).content.decode()
    assert "Ansettelse av daglig leder" in page
    assert "offl. § 13 jf. fvl. § 13" in page
    assert "Søkerliste med navn" not in page
    assert "Personopplysninger" not in page
    assert "Søkerliste" not in page
    assert "Alle kan lese" in page
    assert "Innkalling" in page
    assert client.get(reverse("meetings:document_file", args=[open_file.pk])).status_code == 200
    refused = reverse("meetings:document_file", args=[closed_file.pk])
    assert client.get(refused).status_code == 404
    notice = client.get(reverse("meetings:notice", args=[one.pk])).content.decode()
    assert "Søkerliste med navn" not in notice

    # a reader without a seat: refused too; the member's coordinator and the secretariat read
    reader = _user("leser", Role.READER)
    login(client, reader)
    assert client.get(refused).status_code == 404
    member(one.body, "3909")
    coordinator = _user("larvik-k", Role.COORDINATOR, municipality=larvik)
    login(client, coordinator)
    assert client.get(refused).status_code == 200
    assert "Søkerliste med navn" in client.get(one.get_absolute_url()).content.decode()
    login(client, secretariat)
    assert client.get(refused).status_code == 200


def test_the_api_withholds_a_closed_item(client: Client, secretariat: Any, reader: Any) -> None:
    one = meeting()
    item = _closed(one, secretariat)
    closed_file = _file(one, item, "Søkerliste")
    for headers in ({}, bearer(reader)):
        items = client.get(f"/api/v1/meetings/{one.pk}/items", headers=headers).json()
        assert items[0]["title"] == "Ansettelse av daglig leder"
        assert items[0]["legal_basis_label"].startswith("offl. § 13")
        assert items[0]["description"] == ""
        assert items[0]["closed_reason"] == ""
        listed = client.get(f"/api/v1/meetings/{one.pk}/documents", headers=headers).json()
        assert listed == []
        got = client.get(f"/api/v1/meetings/documents/{closed_file.pk}/file", headers=headers)
        assert got.status_code == 404
        assert got["Content-Type"] == "application/problem+json"
    items = client.get(f"/api/v1/meetings/{one.pk}/items", headers=bearer(secretariat)).json()
    assert items[0]["description"] == "Søkerliste med navn"
    got = client.get(
        f"/api/v1/meetings/documents/{closed_file.pk}/file", headers=bearer(secretariat)
    )
    assert got.status_code == 200


def test_a_closed_items_minutes_are_withheld_everywhere(
    client: Client, secretariat: Any, reader: Any
) -> None:
    """The page says "Behandlingen er unntatt offentlighet"; the API said `outcome: adopted`
    to the public (a clerk's trial): the outcome and the decision it recorded are withheld
    with the treatment."""
    one = meeting()
    item = _closed(one, secretariat)
    AgendaItem.objects.filter(pk=item.pk).update(
        treatment="Drøftet i lukket møte",
        decision_text="Kari Nordmann tilsettes",
        outcome="adopted",
    )
    for headers in ({}, bearer(reader)):
        for url in (f"/api/v1/meetings/{one.pk}/items", f"/api/v1/meetings/items/{item.pk}"):
            got = client.get(url, headers=headers).json()
            read = got[0] if isinstance(got, list) else got
            assert (read["treatment"], read["decision_text"]) == ("", "")
            assert (read["outcome"], read["decision"]) == ("", None), url
    read = client.get(f"/api/v1/meetings/items/{item.pk}", headers=bearer(secretariat)).json()
    assert read["outcome"] == "adopted"
