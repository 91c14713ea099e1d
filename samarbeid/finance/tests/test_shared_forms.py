"""Finance's forms render through the shared partials (partials/post_form.html and
filter_form.html): a key's page holds a preview that narrows (GET) and two forms beside it
that post elsewhere; a budget's page adds a line; a refused delete offers only the way back."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026

pytestmark = pytest.mark.django_db


def test_a_keys_page_previews_by_get_and_posts_its_figures_beside_it(
    client: Client, secretariat: Any
) -> None:
    arena = h.arena(VESTFOLD_NOW, Y2026, short_name="VF")
    key = h.key(arena)
    login(client, secretariat)
    page = client.get(key.get_absolute_url(), {"total": "abc", "year": "2026"}).content.decode()
    assert '<form method="get" class="filters" novalidate>' in page
    assert '<button class="ds-button" type="submit">Vis fordeling</button>' in page
    assert "Skjemaet har feil som må rettes" in page  # the preview's error, in the summary
    for view, words in (("key_usage_add", "Lagre forbruk"), ("key_fixed_add", "Lagre prosent")):
        assert f'action="{reverse(f"finance:{view}", args=[key.pk])}"' in page
        assert f'data-variant="secondary" type="submit">{words}</button>' in page


def test_a_budgets_page_adds_a_line_and_a_used_keys_delete_only_goes_back(
    client: Client, secretariat: Any
) -> None:
    arena = h.arena(VESTFOLD_NOW, Y2026, short_name="VF")
    key = h.key(arena)
    budget = h.budget(arena, 2026, "100000", key)
    login(client, secretariat)
    page = client.get(budget.get_absolute_url()).content.decode()
    assert f'action="{reverse("finance:line_add", args=[budget.pk])}"' in page
    assert ">Legg til</button>" in page
    page = client.get(reverse("finance:key_delete", args=[key.pk])).content.decode()
    assert "Nøkkelen brukes i budsjettlinjer" in page
    assert "Slett nøkkelen</button>" not in page
    assert f'<a class="ds-link" href="{key.get_absolute_url()}">Tilbake</a>' in page
    budget.lines.all().delete()
    page = client.get(reverse("finance:key_delete", args=[key.pk])).content.decode()
    assert 'data-color="danger" type="submit">Slett nøkkelen</button>' in page
    assert f'<a class="ds-link" href="{key.get_absolute_url()}">Avbryt</a>' in page
