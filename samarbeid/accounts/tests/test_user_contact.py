"""The secretariat sets a user's name and e-mail address (on the role administration); a
user sets their own; a coordinator may not edit another user. Validated and audited."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from conftest import _user, login
from samarbeid.accounts.forms import opened_field
from samarbeid.accounts.models import Role
from samarbeid.accounts.services import contact_of, set_contact
from samarbeid.audit.models import AuditEntry
from samarbeid.core.versioning import VersionConflict
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db

STALE = "Posten er endret av noen andre siden du begynte å redigere."


def opened(page: str) -> str:
    """The hidden value a contact page was opened with (what its form sends back)."""
    found = re.search(r'name="opened" value="([^"]+)"', page)
    assert found is not None
    return html.unescape(found.group(1))


@pytest.fixture
def clerk(larvik: Municipality) -> Any:
    return _user("larvik-koordinator", Role.COORDINATOR, municipality=larvik)


def test_the_secretariat_sets_a_users_address_audited(
    client: Client, secretariat: Any, clerk: Any
) -> None:
    login(client, secretariat)
    roles = client.get(reverse("accounts:role_list")).content.decode()
    url = reverse("accounts:user_contact", args=[clerk.pk])
    assert url in roles  # reached from the role administration
    page = client.get(url).content.decode()
    assert 'for="id_email"' in page
    response = client.post(
        url,
        {
            "first_name": "Kari",
            "last_name": "Nordmann",
            "email": "kari@larvik.example.no",
            "opened": opened(page),
        },
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert (clerk.first_name, clerk.email) == ("Kari", "kari@larvik.example.no")
    entry = AuditEntry.objects.filter(object_id=str(clerk.pk), content_type__model="user").last()
    assert entry is not None
    assert entry.actor == secretariat
    assert entry.action == AuditEntry.Action.UPDATE


def test_a_bad_address_is_refused(client: Client, secretariat: Any, clerk: Any) -> None:
    login(client, secretariat)
    url = reverse("accounts:user_contact", args=[clerk.pk])
    seen = opened(client.get(url).content.decode())
    bad = client.post(
        url, {"first_name": "", "last_name": "", "email": "ikke-en-adresse", "opened": seen}
    )
    assert bad.status_code == 200
    assert 'aria-invalid="true"' in bad.content.decode() or "gyldig" in bad.content.decode()
    clerk.refresh_from_db()
    assert clerk.email == ""
    with pytest.raises(ValidationError):
        set_contact(clerk, {"email": "nope"}, expected=None, actor=secretariat)


def test_a_coordinator_may_not_edit_another_user_but_may_set_their_own(
    client: Client, clerk: Any, secretariat: Any, reader: Any
) -> None:
    login(client, clerk)
    other = reverse("accounts:user_contact", args=[reader.pk])
    assert client.get(other).status_code == 403
    assert client.post(other, {"email": "x@example.no"}).status_code == 403
    with pytest.raises(PermissionDenied):
        set_contact(reader, {"email": "x@example.no"}, expected=None, actor=clerk)
    own = reverse("accounts:user_contact", args=[clerk.pk])
    assert own in client.get(reverse("reminders:settings")).content.decode()
    assert own in client.get(reverse("accounts:account")).content.decode()
    seen = opened(client.get(own).content.decode())
    done = client.post(
        own, {"first_name": "K", "last_name": "N", "email": "k@example.no", "opened": seen}
    )
    assert done.status_code == 302
    clerk.refresh_from_db()
    assert clerk.email == "k@example.no"


def test_of_two_tabs_the_second_save_is_refused_and_overwrites_nothing(
    client: Client, secretariat: Any, clerk: Any
) -> None:
    """The secretariat and the clerk open the clerk's form at once; the secretariat saves
    first. The clerk's save is refused in the words every stale form uses, the page shows
    what is stored now beside what the clerk typed, and saving again is then a choice."""
    url = reverse("accounts:user_contact", args=[clerk.pk])
    other = Client()
    login(other, clerk)
    login(client, secretariat)
    theirs = opened(client.get(url).content.decode())
    mine = opened(other.get(url).content.decode())
    first = {"first_name": "Kari", "last_name": "Nordmann", "email": "kari@larvik.example.no"}
    assert client.post(url, {**first, "opened": theirs}).status_code == 302

    typed = {"first_name": "Karl", "last_name": "Nordmann", "email": "karl@larvik.example.no"}
    refused = other.post(url, {**typed, "opened": mine})
    page = refused.content.decode()
    assert refused.status_code == 200
    assert STALE in page
    assert "kari@larvik.example.no" in page  # stored now
    assert 'value="karl@larvik.example.no"' in page  # what the clerk typed is kept
    clerk.refresh_from_db()
    assert contact_of(clerk) == first
    updates = AuditEntry.objects.filter(object_id=str(clerk.pk), content_type__model="user")
    assert updates.count() == 1

    # the page now starts from what is stored: saving it again saves the clerk's entry
    assert other.post(url, {**typed, "opened": opened(page)}).status_code == 302
    clerk.refresh_from_db()
    assert contact_of(clerk) == typed


def test_a_forged_or_missing_opened_value_is_refused(
    client: Client, secretariat: Any, clerk: Any
) -> None:
    login(client, secretariat)
    url = reverse("accounts:user_contact", args=[clerk.pk])
    entry = {"first_name": "Kari", "last_name": "", "email": ""}
    for sent in ({}, {"opened": "tull"}, {"opened": opened_field({"email": ""})}):
        response = client.post(url, {**entry, **sent})
        assert response.status_code == 200
        assert "Skjemaet mangler versjonen du startet fra." in response.content.decode()
    clerk.refresh_from_db()
    assert clerk.first_name == ""


def test_the_service_refuses_a_change_over_values_it_did_not_see(
    secretariat: Any, clerk: Any
) -> None:
    seen = contact_of(clerk)
    set_contact(clerk, {"email": "a@larvik.example.no"}, expected=seen, actor=secretariat)
    with pytest.raises(VersionConflict) as refused:
        set_contact(clerk, {"first_name": "Karl"}, expected=seen, actor=clerk)
    assert str(refused.value) == STALE
    assert refused.value.current.email == "a@larvik.example.no"  # the user as stored now
    clerk.refresh_from_db()
    assert (clerk.first_name, clerk.email) == ("", "a@larvik.example.no")
    # only the fields the caller names are compared: a caller that read the e-mail address
    # as it is now may change it
    now = {"email": "a@larvik.example.no"}
    saved = set_contact(clerk, {"email": "b@larvik.example.no"}, expected=now, actor=clerk)
    assert saved.email == "b@larvik.example.no"
    with pytest.raises(ValidationError):
        set_contact(clerk, {"email": "c@x.no"}, expected={"username": "x"}, actor=clerk)


def test_saving_again_keeps_the_address_the_other_tab_saved(
    client: Client, secretariat: Any, clerk: Any
) -> None:
    """Found in a clerk's trial: tab A set the e-mail address, tab B changed only the last
    name; B's refused form listed the address as B's «forslag» (the old one) and, saved
    again as the box advised, put it back over A's. Now B's form takes in A's address,
    the box names it as taken in, and B's own change is not listed."""
    url = reverse("accounts:user_contact", args=[clerk.pk])
    start = {"first_name": "Ola", "last_name": "Hansen", "email": "ola@larvik.example.no"}
    set_contact(clerk, start, expected=None, actor=secretariat)
    login(client, secretariat)
    tab_a = opened(client.get(url).content.decode())
    tab_b = opened(client.get(url).content.decode())
    new_address = {**start, "email": "koordinator@larvik.example.no"}
    assert client.post(url, {**new_address, "opened": tab_a}).status_code == 302

    refused = client.post(url, {**start, "last_name": "Larvik kommune", "opened": tab_b})
    page = refused.content.decode()
    assert STALE in page
    box = page[page.index("Noen andre har lagret") :]
    box = box[: box.index("</div>")]
    assert "<dt>E-postadresse</dt><dd>koordinator@larvik.example.no</dd>" in box
    assert "Etternavn" not in box  # B's own change
    form = refused.context["form"]
    assert form["email"].value() == "koordinator@larvik.example.no"
    assert form["last_name"].value() == "Larvik kommune"

    again = {name: form[name].value() for name in ("first_name", "last_name", "email", "opened")}
    assert client.post(url, again).status_code == 302
    clerk.refresh_from_db()
    assert contact_of(clerk) == {**new_address, "last_name": "Larvik kommune"}
