"""The key's preview speaks of the preview as a clerk would ("i forhåndsvisningen"), never of
a line named «forhåndsvisning» (clerk's trial)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from conftest import login
from samarbeid.finance.components import MESSAGES, PREVIEW_MESSAGES
from samarbeid.finance.keys import preview_key, set_fixed_percent
from samarbeid.finance.tests import helpers as h

pytestmark = pytest.mark.django_db

DAY = date(2025, 1, 1)


def test_every_message_has_its_preview_wording() -> None:
    assert set(PREVIEW_MESSAGES) == set(MESSAGES)
    for message in PREVIEW_MESSAGES.values():
        assert "«%(line)s»" not in str(message)


def test_the_preview_page_speaks_of_the_preview(client: Client, secretariat: Any) -> None:
    arena = h.arena(["3901", "3909"], DAY)
    key = h.key(arena, 0, 100, name="Folketall")
    login(client, secretariat)
    content = client.get(key.get_absolute_url(), {"total": "1000", "year": "2026"}).content
    text = content.decode()
    assert "I forhåndsvisningen mangler folketall for Horten (3901), Larvik (3909)" in text
    assert "forhåndsvisning»" not in text


@pytest.mark.parametrize("code", ["fixed_missing", "fixed_sum"])
def test_fixed_percent_messages_in_the_preview(secretariat: Any, code: str) -> None:
    arena = h.arena(["3901", "3909"], DAY)
    key = h.key(arena, 0, 0, fixed=Decimal(100), name="Fast")
    set_fixed_percent(key, h.municipality("3901", DAY), Decimal(40), actor=secretariat)
    if code == "fixed_sum":
        set_fixed_percent(key, h.municipality("3909", DAY), Decimal(40), actor=secretariat)
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        preview_key(key, Decimal("1000"), 2026)
    message = refused.value.messages[0]
    assert "forhåndsvisningen" in message
    assert "«forhåndsvisning»" not in message


def test_a_preview_without_members_says_so(secretariat: Any) -> None:
    arena = h.arena(["3909"], date(2030, 1, 1))
    key = h.key(arena, 100, 0, name="Likt")
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        preview_key(key, Decimal("1000"), 2026)
    assert refused.value.messages == [
        f"{arena.short_name} har ingen medlemmer i 2026, så det er ingenting å fordele "
        "i forhåndsvisningen."
    ]
