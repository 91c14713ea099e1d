"""One e-mail address a user: reminders and notices go to the address, so two users who
share one would read each other's mail. Refused when a user is made (the admin) and when
the contact details are changed (the contact page, its service), compared without regard
to case and surrounding spaces; an empty address is nobody's, and duplicates stored before
the rule do not stop a change of the name (there is no unique constraint)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import _user, login
from samarbeid.accounts.forms import UserWithAddressChangeForm
from samarbeid.accounts.services import email_taken, set_contact
from samarbeid.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

TAKEN = "En annen bruker har allerede denne e-postadressen."


@pytest.fixture
def kari(db: None) -> Any:
    user = _user("kari")
    user.email = "Kari.Nordmann@larvik.example.no"
    user.save()
    return user


@pytest.fixture
def clerk(db: None) -> Any:
    return _user("saksbehandler")


def _audited(user: Any) -> int:
    return AuditEntry.objects.filter(content_type__model="user", object_id=str(user.pk)).count()


@pytest.mark.parametrize(
    "address",
    [
        "Kari.Nordmann@larvik.example.no",
        "kari.nordmann@larvik.example.no",
        "  KARI.NORDMANN@LARVIK.EXAMPLE.NO  ",
    ],
)
def test_the_service_refuses_another_users_address_on_the_field(
    secretariat: Any, kari: Any, clerk: Any, address: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        set_contact(clerk, {"email": address}, expected=None, actor=secretariat)
    assert refused.value.message_dict == {"email": [TAKEN]}
    clerk.refresh_from_db()
    assert clerk.email == ""
    assert _audited(clerk) == 0


def test_a_stored_address_is_compared_without_its_spaces_and_case(
    secretariat: Any, clerk: Any
) -> None:
    # stored by hand, before the rule (the admin or an import)
    get_user_model().objects.filter(pk=clerk.pk).update(email="  Post@Horten.example.no ")
    other = _user("annen")
    assert email_taken("post@horten.example.no")
    assert not email_taken("post@horten.example.no", user=clerk)
    with pytest.raises(ValidationError) as refused:
        set_contact(other, {"email": "post@horten.example.no"}, expected=None, actor=secretariat)
    assert refused.value.message_dict == {"email": [TAKEN]}


def test_the_contact_page_says_it_on_the_address(
    client: Client, secretariat: Any, kari: Any, clerk: Any
) -> None:
    login(client, secretariat)
    url = reverse("accounts:user_contact", args=[clerk.pk])
    page = client.get(url).content.decode()
    found = re.search(r'name="opened" value="([^"]+)"', page)
    assert found is not None
    entry = {"first_name": "Per", "last_name": "", "email": " KARI.nordmann@larvik.example.no"}
    response = client.post(url, {**entry, "opened": html.unescape(found.group(1))})
    assert response.status_code == 200
    assert response.context["form"].errors == {"email": [TAKEN]}
    assert TAKEN in response.content.decode()
    clerk.refresh_from_db()
    assert (clerk.first_name, clerk.email) == ("", "")


def test_the_own_address_and_an_empty_one_are_nobody_elses(secretariat: Any, kari: Any) -> None:
    # the user's own address, in other letters, is theirs
    saved = set_contact(
        kari, {"email": "kari.nordmann@LARVIK.example.no "}, expected=None, actor=secretariat
    )
    assert saved.email == "kari.nordmann@larvik.example.no"  # the domain as the model keeps it
    # no address: two users without one are no duplicates
    first, second = _user("uten-1"), _user("uten-2")
    set_contact(first, {"email": "", "first_name": "En"}, expected=None, actor=secretariat)
    set_contact(second, {"email": "  ", "first_name": "To"}, expected=None, actor=secretariat)
    assert not email_taken("")
    assert not email_taken("   ")
    assert get_user_model().objects.filter(pk__in=[first.pk, second.pk], email="").count() == 2


def test_a_duplicate_from_before_the_rule_does_not_stop_a_change_of_the_name(
    secretariat: Any, kari: Any
) -> None:
    twin = _user("kari-2")
    get_user_model().objects.filter(pk=twin.pk).update(email=kari.email)
    twin.refresh_from_db()
    saved = set_contact(
        twin, {"first_name": "Kari", "email": twin.email}, expected=None, actor=secretariat
    )
    assert (saved.first_name, saved.email) == ("Kari", kari.email)
    # a change of the address must still be to one nobody else has
    third = _user("tredje")
    third.email = "tredje@example.no"
    third.save()
    with pytest.raises(ValidationError) as refused:
        set_contact(twin, {"email": "Tredje@example.no"}, expected=None, actor=secretariat)
    assert refused.value.message_dict == {"email": [TAKEN]}


@pytest.fixture
def admin_user(db: None) -> Any:
    return get_user_model().objects.create_superuser("admin", "", "admin-pass-123")


def test_a_user_made_in_the_admin_takes_an_address_nobody_has(
    client: Client, admin_user: Any, kari: Any
) -> None:
    client.force_login(admin_user)
    url = reverse("admin:auth_user_add")
    new = {"usable_password": "false", "password1": "", "password2": ""}
    refused = client.post(
        url, {**new, "username": "ny", "email": "KARI.nordmann@larvik.example.no"}
    )
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["email"] == [TAKEN]
    assert not get_user_model().objects.filter(username="ny").exists()

    made = client.post(url, {**new, "username": "ny", "email": "ny@larvik.example.no"})
    assert made.status_code == 302, made.context["adminform"].form.errors
    assert get_user_model().objects.get(username="ny").email == "ny@larvik.example.no"
    # without an address, as before
    again = client.post(url, {**new, "username": "ny-uten", "email": ""})
    assert again.status_code == 302
    again = client.post(url, {**new, "username": "ny-uten-2", "email": ""})
    assert again.status_code == 302


def test_the_admins_change_of_a_user_refuses_another_users_address(kari: Any, clerk: Any) -> None:
    def email_errors(user: Any, email: str) -> list[str]:
        data = {"username": user.username, "email": email, "date_joined": user.date_joined}
        return list(UserWithAddressChangeForm(data, instance=user).errors.get("email", []))

    assert email_errors(clerk, " kari.NORDMANN@larvik.example.no") == [TAKEN]
    assert email_errors(clerk, "saksbehandler@larvik.example.no") == []
    assert email_errors(kari, "kari.nordmann@larvik.example.no") == []  # kari's own
    assert email_errors(clerk, "") == []
