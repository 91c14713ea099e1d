"""The secretariat sets a user's name and e-mail address (on the role administration); a
user sets their own; a coordinator may not edit another user. Validated and audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from conftest import _user, login
from samarbeid.accounts.models import Role
from samarbeid.accounts.services import set_contact
from samarbeid.audit.models import AuditEntry
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db


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
        url, {"first_name": "Kari", "last_name": "Nordmann", "email": "kari@larvik.example.no"}
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
    bad = client.post(url, {"first_name": "", "last_name": "", "email": "ikke-en-adresse"})
    assert bad.status_code == 200
    assert 'aria-invalid="true"' in bad.content.decode() or "gyldig" in bad.content.decode()
    clerk.refresh_from_db()
    assert clerk.email == ""
    with pytest.raises(ValidationError):
        set_contact(clerk, {"email": "nope"}, actor=secretariat)


def test_a_coordinator_may_not_edit_another_user_but_may_set_their_own(
    client: Client, clerk: Any, secretariat: Any, reader: Any
) -> None:
    login(client, clerk)
    other = reverse("accounts:user_contact", args=[reader.pk])
    assert client.get(other).status_code == 403
    assert client.post(other, {"email": "x@example.no"}).status_code == 403
    with pytest.raises(PermissionDenied):
        set_contact(reader, {"email": "x@example.no"}, actor=clerk)
    own = reverse("accounts:user_contact", args=[clerk.pk])
    assert own in client.get(reverse("reminders:settings")).content.decode()
    assert own in client.get(reverse("accounts:account")).content.decode()
    done = client.post(own, {"first_name": "K", "last_name": "N", "email": "k@example.no"})
    assert done.status_code == 302
    clerk.refresh_from_db()
    assert clerk.email == "k@example.no"
