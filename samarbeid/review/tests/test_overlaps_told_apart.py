"""A round's overlaps tell two arenas of the same name apart (short name, parent), and
a pair of sub-arenas without members of their own says their members were not measured
rather than "Jaccard 0,00" beside "14 (via KS-V)" in both rows (a clerk's trial)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import ArenaFactory, arena_with_members
from samarbeid.review.tests.api_helpers import new_round

pytestmark = pytest.mark.django_db

PURPOSE = "Arbeidsgiverpolitikk, lønnsoppgjør og rekruttering i kommunene i Vestfold"


def test_same_named_sub_arenas_without_members(client: Client, secretariat: Any) -> None:
    ks: Any = arena_with_members(
        ["3901", "3909"], name="KS Vestfold", short_name="KS-V", kind=Arena.Kind.KS_BODY
    )
    for code in ("KS-V-03", "KS-V-17"):
        ArenaFactory(
            name="Arbeidsgiverforum",
            short_name=code,
            parent=ks,
            kind=Arena.Kind.PROJECT_FORUM,
            purpose=PURPOSE,
        )
    review = new_round(ks, secretariat, published=True)
    page = client.get(review.get_absolute_url()).content.decode()
    # each row names the other by its short name and its parent
    assert "Arbeidsgiverforum</a> (KS-V-17, under KS-V)" in page
    assert "Arbeidsgiverforum</a> (KS-V-03, under KS-V)" in page
    assert "Jaccard 0,00" not in page
    assert (
        "Verken KS-V-03 eller KS-V-17 har egne medlemmer (deltakerne følger de overordnede "
        "arenaene), så felles medlemmer er ikke målt" in page
    )
