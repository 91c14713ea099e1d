"""A record's page is named once (issue 18, one spelling per concept): a model declares its
detail view (`core.detail_url.DetailUrl`), and only a URL that is more than a view and the
record's own attributes is written by hand, for a reason said here."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.core.detail_url import DetailUrl
from samarbeid.planning.models import CooperationNeed
from samarbeid.planning.tests.factories import strategy
from samarbeid.registry.models import Municipality

# The models whose get_absolute_url is their own, and why.
WRITTEN_BY_HAND = {
    "jobs.Job": "a task a second start answered with adds a query string",
    "planning.CooperationNeed": "its place on its strategy's page",
    "meetings.AgendaItem": "its place in its meeting's agenda",
}


def _own_url(model: type[models.Model]) -> Any:
    return getattr(model, "get_absolute_url", None)


def test_every_declared_detail_view_takes_the_declared_arguments() -> None:
    declared = [m for m in apps.get_models() if issubclass(m, DetailUrl)]
    assert len(declared) >= 20
    for model in declared:
        # each URL argument is a number or a code: "1" fits both converters
        url = reverse(model.detail_view, args=["1"] * len(model.detail_args))
        assert url.startswith("/"), model


def test_no_model_writes_its_detail_url_by_hand_without_a_reason() -> None:
    by_hand = {
        model._meta.label
        for model in apps.get_models()
        if _own_url(model) is not None and _own_url(model) is not DetailUrl.get_absolute_url
    }
    assert by_hand == set(WRITTEN_BY_HAND)


@pytest.mark.django_db
def test_a_record_reverses_its_view_with_its_pk_or_its_declared_attributes(
    larvik: Municipality,
) -> None:
    arena = ArenaFactory()
    assert arena.get_absolute_url() == f"/arenaer/{arena.pk}/"
    assert larvik.get_absolute_url() == f"/kommuner/{larvik.code}/"
    plan = strategy("3909")
    assert plan.get_absolute_url() == f"/kommuner/{larvik.code}/planstrategi/{plan.pk}/"
    assert CooperationNeed(strategy=plan, pk=7).get_absolute_url() == (
        f"/kommuner/{larvik.code}/planstrategi/{plan.pk}/#behov-7"
    )
