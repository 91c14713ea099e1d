"""The shared create/edit step of a page (`submit`): saved, refused, or overtaken by
someone else's save."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.test import RequestFactory

from samarbeid.arenas.models import Arena
from samarbeid.arenas.services import update_arena
from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.audit.models import AuditEntry
from samarbeid.audit.services import history
from samarbeid.core.forms import VersionedForm, save_changes, submit
from samarbeid.core.versioning import VersionConflict

pytestmark = pytest.mark.django_db


class PurposeForm(VersionedForm):
    class Meta:
        model = Arena
        fields = ["purpose"]


def post(data: dict[str, Any]) -> HttpRequest:
    request = RequestFactory().post("/", data)
    request._messages = CookieStorage(request)
    return request


def edit(request: HttpRequest, arena: Arena, actor: Any) -> tuple[PurposeForm, Any]:
    form = PurposeForm(request.POST, instance=arena)
    result = submit(
        request,
        form,
        lambda: update_arena(
            Arena.objects.get(pk=arena.pk),
            form.changes(),
            expected_version=form.cleaned_data.get("version"),
            actor=actor,
        ),
        "Lagret",
    )
    return form, result


def test_a_conflict_is_shown_on_the_form_with_the_record_as_stored(secretariat: Any) -> None:
    arena = ArenaFactory()
    update_arena(arena, {"purpose": "Lagret av en annen"}, expected_version=1, actor=secretariat)
    request = post({"purpose": "Mitt forslag", "version": 1})
    form, result = edit(request, arena, secretariat)
    assert result.saved is None
    assert result.conflict is not None
    assert (result.conflict.purpose, result.conflict.version) == ("Lagret av en annen", 2)
    assert form.non_field_errors() == [str(VersionConflict(arena))]
    assert list(get_messages(request)) == []  # no success message
    arena.refresh_from_db()
    assert (arena.purpose, arena.version) == ("Lagret av en annen", 2)


def test_a_save_returns_the_record_and_adds_the_message(secretariat: Any) -> None:
    arena = ArenaFactory()
    request = post({"purpose": "Mitt forslag", "version": 1})
    form, result = edit(request, arena, secretariat)
    assert result.saved is not None
    assert result.saved.purpose == "Mitt forslag"
    assert result.conflict is None
    assert not form.errors
    assert [str(m) for m in get_messages(request)] == ["Lagret"]


def test_a_get_only_shows_the_form(secretariat: Any) -> None:
    arena = ArenaFactory()
    request = RequestFactory().get("/")
    form = PurposeForm(None, instance=arena)
    result = submit(request, form, lambda: pytest.fail("nothing is saved on GET"), "Lagret")
    assert (result.saved, result.conflict) == (None, None)


def test_save_changes_records_what_changed_against_the_record_as_stored(
    secretariat: Any,
) -> None:
    """Validating writes the posted values into the form's instance; `save_changes` copied
    the record before, so the audit entry holds the old value and the new one."""
    arena = ArenaFactory(purpose="Gammelt formål")
    request = post({"purpose": "Nytt formål", "version": 1})
    request.user = secretariat
    form = PurposeForm(request.POST, instance=arena)
    result = submit(request, form, save_changes(request, form, update_arena), "Lagret")
    assert result.saved is not None
    assert result.saved.version == 2
    entry = history(Arena.objects.get(pk=arena.pk)).get(action=AuditEntry.Action.UPDATE)
    assert entry.changes["purpose"] == ["Gammelt formål", "Nytt formål"]


def test_a_field_names_its_help_and_errors_for_screen_readers() -> None:
    """Every id the input's aria-describedby names is on the page once: the help text and
    the errors are read out with the field (WCAG 1.3.1, 3.3.1)."""

    class Form(forms.Form):
        amount = forms.IntegerField(help_text="Hele kroner", min_value=10)

        def clean(self) -> dict[str, Any]:
            self.add_error("amount", "Enda en feil")
            return {}

    form = Form({"amount": "3"})
    assert not form.is_valid()
    assert len(form.errors["amount"]) == 2
    html = render_to_string("partials/field.html", {"field": form["amount"]})
    described = re.search(r'aria-describedby="([^"]+)"', html)
    assert described is not None
    for target in described.group(1).split():
        assert html.count(f'id="{target}"') == 1, target
    assert "Hele kroner" in html
    assert "Enda en feil" in html
