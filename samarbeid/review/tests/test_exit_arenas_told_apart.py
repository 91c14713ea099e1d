"""A clerk's trial: the exit analysis offered «Nærings- og regionalpolitisk partnerskap»
twice with nothing to tell which; same-named arenas now show their short name and year."""

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


def _options(page: str) -> list[tuple[str, str, bool]]:
    select = re.search(r'<select id="arena" name="arena">.*?</select>', page, re.S)
    assert select is not None
    return [
        (value, label, bool(selected))
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select.group(0)
        )
    ]


def test_the_exit_analysis_tells_same_named_arenas_apart(client: Client, secretariat: Any) -> None:
    first = ArenaFactory(name="Partnerskapet", short_name="NRP-03", established=date(2003, 5, 1))
    ArenaFactory(name="Partnerskapet", short_name="NRP-27", established=None)
    ArenaFactory(name="Vestfold innkjøp", short_name="VI")
    login(client, secretariat)
    page = client.get(reverse("review:exit_index"), {"arena": first.pk}).content.decode()
    options = _options(page)
    labels = [label for _value, label, _selected in options]
    assert "Partnerskapet (NRP-03, 2003)" in labels
    assert "Partnerskapet (NRP-27)" in labels
    assert "Vestfold innkjøp" in labels  # a name of its own keeps it
    assert "Partnerskapet" not in labels
    assert labels[0] == "Velg"
    chosen = [(value, label) for value, label, selected in options if selected]
    assert chosen == [(str(first.pk), "Partnerskapet (NRP-03, 2003)")]
