"""The workshop pages' delete buttons send the version they showed (issue 23): what someone
changed since is not deleted, and the page says so."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.audit.models import Channel
from samarbeid.workshops.models import Group, Participant, Question, ThemeMerge, Workshop
from samarbeid.workshops.services.answers import submit_answer
from samarbeid.workshops.services.groups import add_participant, renew_group_link
from samarbeid.workshops.services.themes import merge_themes

pytestmark = pytest.mark.django_db
STALE = "Posten er endret av noen andre siden du begynte å redigere."


def test_the_detail_page_sends_the_versions(
    secretariat: Any, workshop: Workshop, groups: list[Group]
) -> None:
    add_participant(
        Participant(workshop=workshop, name="Kari"), actor=secretariat, channel=Channel.COMMAND
    )
    renew_group_link(groups[0], actor=secretariat, channel=Channel.COMMAND)
    html = login(Client(), secretariat).get(workshop.get_absolute_url()).content.decode()
    assert html.count('name="version" value="2"') == 1  # the renewed group
    assert html.count('name="version" value="1"') == 3  # two groups, one participant


def test_a_group_renewed_since_the_page_was_shown_is_not_deleted(
    secretariat: Any, groups: list[Group]
) -> None:
    client = login(Client(), secretariat)
    renew_group_link(groups[0], actor=secretariat, channel=Channel.COMMAND)
    url = reverse("workshops:group_delete", args=[groups[0].pk])
    response = client.post(url, {"version": 1}, follow=True)
    assert STALE in response.content.decode()
    assert Group.objects.filter(pk=groups[0].pk).exists()
    client.post(url, {"version": 2})
    assert not Group.objects.filter(pk=groups[0].pk).exists()


def test_a_stale_participant_or_merge_is_not_deleted(
    secretariat: Any, workshop: Workshop, groups: list[Group], ranked: Question
) -> None:
    client = login(Client(), secretariat)
    participant = add_participant(
        Participant(workshop=workshop, name="Kari"), actor=secretariat, channel=Channel.COMMAND
    )
    Participant.objects.filter(pk=participant.pk).update(version=F("version") + 1)
    url = reverse("workshops:participant_delete", args=[participant.pk])
    assert STALE in client.post(url, {"version": 1}, follow=True).content.decode()
    assert Participant.objects.filter(pk=participant.pk).exists()
    submit_answer(groups[0], ranked, themes=["IKT-drift"])
    submit_answer(groups[1], ranked, themes=["felles IKT"])
    merge = merge_themes(ranked, "felles IKT", "IKT-drift", actor=secretariat)
    ThemeMerge.objects.filter(pk=merge.pk).update(version=F("version") + 1)
    themes = reverse("workshops:themes", args=[ranked.pk])
    response = client.post(themes, {"action": "undo", "merge": merge.pk, "version": 1}, follow=True)
    assert STALE in response.content.decode()
    assert ThemeMerge.objects.filter(pk=merge.pk).exists()
    client.post(themes, {"action": "undo", "merge": merge.pk, "version": 2})
    assert not ThemeMerge.objects.exists()
