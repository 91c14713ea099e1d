"""Arenas that share a name are told apart where one is chosen (issue 19 point 8)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.arenas.tests.factories import ArenaFactory

pytestmark = pytest.mark.django_db


def test_same_named_arenas_show_short_name_and_year(client: Client, secretariat: Any) -> None:
    ArenaFactory(name="Regionrådet", short_name="RR-H", established=date(2004, 1, 1))
    ArenaFactory(name="Regionrådet", short_name="RR-I", established=None)
    ArenaFactory(name="Vestfold innkjøp", short_name="VI")
    login(client, secretariat)
    page = client.get(reverse("arenas:arena_create")).content.decode()
    select = re.search(r'<select name="parent".*?</select>', page, re.S)
    assert select is not None
    labels = re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))
    assert "Regionrådet (RR-H, 2004)" in labels
    assert "Regionrådet (RR-I)" in labels
    assert "Vestfold innkjøp" in labels  # a name of its own keeps it
    assert "Regionrådet" not in labels
