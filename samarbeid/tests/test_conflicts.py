"""No lost updates: two people edit the same arena at the same time. The first save wins;
the second is refused with the conflict shown (both values), on the page and in the API."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.forms import BaseForm
from django.test import Client
from django.urls import reverse

from conftest import api_call, login
from samarbeid.arenas.forms import ArenaForm
from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.audit.models import AuditEntry
from samarbeid.audit.services import history

pytestmark = pytest.mark.django_db


def browser_data(form: BaseForm) -> dict[str, Any]:
    """What a browser posts back for a form as rendered."""
    data: dict[str, Any] = {}
    for field in form:
        value = field.value()
        if isinstance(value, bool):
            if value:
                data[field.html_name] = "on"
            continue
        if value is None:
            value = ""
        if isinstance(value, date):
            value = value.isoformat()
        data[field.html_name] = value
    return data


def test_two_simultaneous_edits_of_one_arena_on_the_page(secretariat: Any) -> None:
    arena: Any = ArenaFactory(name="Fagnettverk IKT")
    url = reverse("arenas:arena_edit", args=[arena.pk])
    anne, bjorn = login(Client(), secretariat), login(Client(), secretariat)
    # Both open the form at the same version.
    assert anne.get(url).status_code == 200
    assert bjorn.get(url).status_code == 200
    loaded = browser_data(ArenaForm(instance=Arena.objects.get(pk=arena.pk)))
    assert loaded["version"] == 1

    first = anne.post(url, {**loaded, "name": "Fagnettverk digitalisering"})
    assert first.status_code == 302

    second = bjorn.post(url, {**loaded, "name": "IKT-nettverket"})
    assert second.status_code == 200
    page = second.content.decode()
    assert "Noen andre har lagret en nyere versjon" in page
    assert "Fagnettverk digitalisering" in page  # what is stored
    assert "IKT-nettverket" in page  # what this user proposed
    stored = Arena.objects.get(pk=arena.pk)
    assert stored.name == "Fagnettverk digitalisering"
    assert stored.version == 2
    assert history(stored).filter(action=AuditEntry.Action.UPDATE).count() == 1

    # Reloading gives the newest version, and then the save goes through.
    fresh = browser_data(ArenaForm(instance=stored))
    assert bjorn.post(url, {**fresh, "name": "IKT-nettverket"}).status_code == 302
    assert Arena.objects.get(pk=arena.pk).name == "IKT-nettverket"


def test_two_simultaneous_edits_through_the_api(client: Client, secretariat: Any) -> None:
    arena: Any = ArenaFactory(name="Fagnettverk IKT")
    read = client.get(f"/api/v1/arenas/{arena.pk}").json()
    assert read["version"] == 1
    url = f"/api/v1/arenas/{arena.pk}"
    first_change = {"version": read["version"], "name": "Fagnettverk digitalisering"}
    first = api_call(client, "PATCH", url, first_change, secretariat)
    assert first.status_code == 200
    assert first.json()["version"] == 2
    second_change = {"version": read["version"], "name": "IKT-nettverket"}
    second = api_call(client, "PATCH", url, second_change, secretariat)
    assert second.status_code == 409
    assert second["Content-Type"] == "application/problem+json"
    assert second.json()["current_version"] == 2
    assert Arena.objects.get(pk=arena.pk).name == "Fagnettverk digitalisering"


def test_the_conflict_shows_only_what_differs_as_a_clerk_reads_it(secretariat: Any) -> None:
    """Found in a clerk's trial: the conflict listed all 23 arena fields with raw values
    ("None", "True", "1500000.00" beside "1 500 000,00"). Now: only the fields where what is
    stored differs from what was sent, each as the pages show it."""
    arena: Any = ArenaFactory(name="Fagnettverk IKT", published=True)
    url = reverse("arenas:arena_edit", args=[arena.pk])
    anne, bjorn = login(Client(), secretariat), login(Client(), secretariat)
    loaded = browser_data(ArenaForm(instance=Arena.objects.get(pk=arena.pk)))
    assert anne.post(url, {**loaded, "name": "Fagnettverk digitalisering"}).status_code == 302
    page = bjorn.post(url, {**loaded, "name": "IKT-nettverket"}).content.decode()
    alert = page[page.index("Noen andre har lagret") :]
    alert = alert[: alert.index("Lagrer du skjemaet på nytt")]
    assert alert.count("<dt>") == 1, alert
    assert "Fagnettverk digitalisering" in alert
    assert "IKT-nettverket" in alert
    for raw in ("None", "True", "False"):
        assert raw not in alert


@pytest.mark.parametrize("kind", ["workshop", "plan", "proposal"])
def test_every_edit_page_shows_what_someone_else_saved(secretariat: Any, kind: str) -> None:
    """A clerk's trial found six edit pages that refused a stale save without showing what
    was stored (review item, proposal, criterion, workshop, question, strategic plan)."""
    from samarbeid.review.forms import ProposalForm
    from samarbeid.review.models import CooperationProposal
    from samarbeid.strategy.forms import PlanForm
    from samarbeid.strategy.models import StrategicPlan
    from samarbeid.workshops.forms import WorkshopForm
    from samarbeid.workshops.models import Workshop

    arena: Any = ArenaFactory(name="Fagnettverk IKT", published=True)
    make: dict[str, Any] = {
        "workshop": (Workshop, WorkshopForm, "workshops:edit", "title"),
        "plan": (StrategicPlan, PlanForm, "strategy:plan_edit", "title"),
        "proposal": (CooperationProposal, ProposalForm, "review:proposal_edit", "title"),
    }
    model, form_class, url_name, field = make[kind]
    fields = {"arena": arena, field: "Første tittel"}
    if kind == "plan":
        fields.update(first_year=2024, last_year=2027)
    if kind == "workshop":
        fields.update(date=date(2026, 3, 1))
    if kind == "proposal":
        fields.update(need="Felles beredskap")
    record = model.objects.create(**fields)
    url = reverse(url_name, args=[record.pk])
    anne, bjorn = login(Client(), secretariat), login(Client(), secretariat)
    loaded = browser_data(form_class(instance=model.objects.get(pk=record.pk)))
    assert anne.post(url, {**loaded, field: "Annes tittel"}).status_code == 302
    page = bjorn.post(url, {**loaded, field: "Bjørns tittel"}).content.decode()
    assert "Noen andre har lagret en nyere versjon" in page
    assert "Annes tittel" in page
    assert "Bjørns tittel" in page
    assert page.count("Noen andre har lagret en nyere versjon") == 1


def test_after_a_conflict_saving_again_keeps_what_was_typed(secretariat: Any) -> None:
    """Found in a clerk's trial: after a refused save the form kept the old version, so every
    later save was refused too, until a reload lost what had been typed. Now the refused form
    carries the version it showed: the clerk, having seen what differs, saves it over that."""
    arena: Any = ArenaFactory(name="Fagnettverk IKT", published=True)
    url = reverse("arenas:arena_edit", args=[arena.pk])
    anne, bjorn = login(Client(), secretariat), login(Client(), secretariat)
    loaded = browser_data(ArenaForm(instance=Arena.objects.get(pk=arena.pk)))
    assert anne.post(url, {**loaded, "name": "Fagnettverk digitalisering"}).status_code == 302
    refused = bjorn.post(url, {**loaded, "name": "IKT-nettverket"})
    assert refused.status_code == 200
    shown = refused.context["form"]
    assert shown["name"].value() == "IKT-nettverket"  # what was typed stays
    assert "Lagrer du skjemaet på nytt" in refused.content.decode()
    again = bjorn.post(url, browser_data(shown))
    assert again.status_code == 302
    assert Arena.objects.get(pk=arena.pk).name == "IKT-nettverket"
    # and a third party who read before both is still refused
    late = login(Client(), secretariat).post(url, {**loaded, "name": "Tredje navn"})
    assert late.status_code == 200
    assert Arena.objects.get(pk=arena.pk).name == "IKT-nettverket"


def test_saving_again_keeps_what_someone_else_saved_in_the_fields_left_alone(
    secretariat: Any,
) -> None:
    """Found in the next clerk's trial: Anne changed the website, Bjørn the primary task; the
    conflict was shown, Bjørn saved again, and the website Anne saved was gone, though Bjørn
    never touched it. Now the form shown again takes in what others saved in the fields the
    user left alone; only the fields both changed are the user's choice."""
    arena: Any = ArenaFactory(name="KS Vestfold", published=True, website="")
    url = reverse("arenas:arena_edit", args=[arena.pk])
    anne, bjorn = login(Client(), secretariat), login(Client(), secretariat)
    loaded = browser_data(ArenaForm(instance=Arena.objects.get(pk=arena.pk)))
    saved = anne.post(url, {**loaded, "website": "https://ks.no/vestfold"})
    assert saved.status_code == 302
    refused = bjorn.post(url, {**loaded, "primary_task": "Interessepolitikk"})
    assert refused.status_code == 200
    shown = refused.context["form"]
    assert shown["website"].value() == "https://ks.no/vestfold"  # taken in
    assert shown["primary_task"].value() == "Interessepolitikk"  # kept
    page = refused.content.decode()
    alert = page[page.index("Noen andre har lagret") : page.index("Lagrer du skjemaet på nytt")]
    # the third trial: the box listed Bjørn's own change and not Anne's; now it names what
    # Anne changed, as taken in, and leaves out what only Bjørn changed
    taken = alert[alert.index("Endringer i felt du ikke hadde rørt, er tatt inn i skjemaet:") :]
    assert "<dt>Nettside</dt><dd>https://ks.no/vestfold</dd>" in taken
    assert "Primæroppgave" not in alert  # only Bjørn's: nothing for him to choose
    assert "endret begge steder" not in alert
    assert bjorn.post(url, browser_data(shown)).status_code == 302
    stored = Arena.objects.get(pk=arena.pk)
    assert (stored.website, stored.primary_task) == ("https://ks.no/vestfold", "Interessepolitikk")


def test_the_box_names_what_others_changed_taken_in_apart_from_what_both_changed(
    secretariat: Any,
) -> None:
    """The third clerk's trial: the box listed the fields where the user's value differed
    from the stored one, the user's own changes among them, and not the fields the form had
    taken in. Now: Anne's website (left alone by Bjørn) as taken in, the name both changed
    with both values, Bjørn's own primary task not at all."""
    arena: Any = ArenaFactory(name="KS Vestfold", published=True, website="")
    url = reverse("arenas:arena_edit", args=[arena.pk])
    anne, bjorn = login(Client(), secretariat), login(Client(), secretariat)
    loaded = browser_data(ArenaForm(instance=Arena.objects.get(pk=arena.pk)))
    anne_saves = {**loaded, "website": "https://ks.no/vestfold", "name": "KS Vestfold og Telemark"}
    assert anne.post(url, anne_saves).status_code == 302
    refused = bjorn.post(
        url, {**loaded, "name": "KS-nettverket", "primary_task": "Interessepolitikk"}
    )
    page = refused.content.decode()
    alert = page[page.index("Noen andre har lagret") : page.index("Lagrer du skjemaet på nytt")]
    taken, both = alert.split("Disse feltene er endret begge steder. Skjemaet viser det du skrev:")
    assert "<dt>Nettside</dt><dd>https://ks.no/vestfold</dd>" in taken
    assert (
        "<dt>Navn</dt><dd>lagret: KS Vestfold og Telemark · ditt forslag: KS-nettverket</dd>"
        in both
    )
    assert "Primæroppgave" not in alert
    assert "Nettside" not in both


def test_a_refusal_over_a_newer_version_has_nothing_to_correct(secretariat: Any) -> None:
    """The clerk's trial: the summary said «Skjemaet har feil som må rettes» though nothing
    was wrong, and the box's «åpner du siden på nytt» read as a reload (which posts the
    form again). Now the summary says the form was not saved, and the box links to the
    latest version, saying what that costs."""
    arena: Any = ArenaFactory(name="Fagnettverk IKT", published=True)
    url = reverse("arenas:arena_edit", args=[arena.pk])
    anne, bjorn = login(Client(), secretariat), login(Client(), secretariat)
    loaded = browser_data(ArenaForm(instance=Arena.objects.get(pk=arena.pk)))
    assert anne.post(url, {**loaded, "name": "Fagnettverk digitalisering"}).status_code == 302
    page = bjorn.post(url, {**loaded, "name": "IKT-nettverket"}).content.decode()
    assert "Skjemaet er ikke lagret" in page
    assert "Skjemaet har feil som må rettes" not in page
    assert f'<a class="ds-link" href="{url}">Åpne den nyeste versjonen</a>' in page
    # a field error besides: the usual heading
    page = bjorn.post(url, {**loaded, "name": ""}).content.decode()
    assert "Skjemaet har feil som må rettes" in page
