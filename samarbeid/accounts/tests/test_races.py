"""Two people at once on the same account pages, on both databases (tests.concurrency),
each request held (finance's `held_after`) until the other has got as far: of two saves of
a contact form opened alike, one is saved and the other refused; of two removals of one
role, one removes it and the other is told it was removed already."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from conftest import _user, race_secretariat
from samarbeid.accounts import services
from samarbeid.accounts.forms import opened_field
from samarbeid.accounts.models import RoleAssignment
from samarbeid.accounts.services import contact_of
from samarbeid.audit.models import AuditEntry
from samarbeid.finance.tests.test_races import held_after
from samarbeid.tests.concurrency import concurrent_database, together


@pytest.mark.django_db(transaction=True)
def test_two_contact_saves_from_the_same_form_at_once_save_one() -> None:
    clerk = race_secretariat("kontakt-sekretariat")
    person = _user("kontakt-bruker")
    url = reverse("accounts:user_contact", args=[person.pk])
    opened = opened_field(contact_of(person))

    def save(number: int) -> str:
        client = Client()
        client.force_login(clerk)
        entry = {"first_name": f"Navn {number}", "last_name": "", "email": ""}
        return str(client.post(url, {**entry, "opened": opened}).status_code)

    # held once each has read the stored values (under the row lock: the second waits)
    with concurrent_database(), held_after(services, "contact_of"):
        results = together(save, 2)
        person.refresh_from_db()
        audited = AuditEntry.objects.filter(
            content_type__model="user", object_id=str(person.pk)
        ).count()
    assert results == ["200", "302"]
    assert person.first_name in {"Navn 0", "Navn 1"}
    assert audited == 1


@pytest.mark.django_db(transaction=True)
def test_two_removals_of_one_role_at_once_remove_it_once() -> None:
    clerk = race_secretariat("rolle-sekretariat")
    person = _user("rolle-bruker", "reader")
    role = RoleAssignment.objects.get(user=person)
    url = reverse("accounts:role_remove", args=[role.pk])

    def remove(_number: int) -> str:
        client = Client()
        client.force_login(clerk)
        response = client.post(url)
        said = [str(m) for m in response.wsgi_request._messages]  # type: ignore[attr-defined]
        return f"{response.status_code} {said}"

    # held once each has found the role and may remove it
    with concurrent_database(), held_after(services, "can_manage_roles"):
        results = together(remove, 2)
        removals = AuditEntry.objects.filter(
            content_type__model="roleassignment",
            object_id=str(role.pk),
            action=AuditEntry.Action.DELETE,
        ).count()
        left = RoleAssignment.objects.filter(user=person).exists()
    assert results == ["302 ['Rollen er fjernet.']", "302 ['Rollen var allerede fjernet.']"]
    assert removals == 1
    assert not left


@pytest.mark.django_db(transaction=True)
def test_two_users_made_at_once_with_one_address_make_one() -> None:
    """A clerk's trial: parallel «Ny bruker» requests with one address made two users with
    it. Both requests pass the check that the address is free (held there until both have,
    or the second waits for the first's transaction): one user is made, the other refused."""
    clerk = race_secretariat("adresse-sekretariat")

    def make(number: int) -> str:
        client = Client()
        client.force_login(clerk)
        entry = {"username": f"samme{number}", "first_name": "", "last_name": ""}
        response = client.post(
            reverse("accounts:user_create"), {**entry, "email": "Samme@Example.no"}
        )
        return str(response.status_code)

    with concurrent_database(), held_after(services, "check_email_free"):
        results = together(make, 2)
        made = get_user_model().objects.filter(email__iexact="samme@example.no").count()
    assert results == ["200", "302"]
    assert made == 1
