"""An invoice line says what its budget line says, once (issue 19 point 10: the demo's
invoices read "Basisbidrag n-k 2026: Basisbidrag n-k 2026" and "drift 2026 2026")."""

from __future__ import annotations

import pytest
from django.utils import translation

from samarbeid.finance.invoice_fields import line_text


@pytest.mark.parametrize(
    ("kind", "description", "expected"),
    [
        ("base", "Drift", "Basisbidrag 12K 2026: Drift"),
        ("base", "Basisbidrag 12K 2026 (eksempel)", "Basisbidrag 12K 2026 (eksempel)"),
        ("base", "Basisbidrag n-k", "Basisbidrag n-k 2026"),
        ("base", "basisbidrag", "basisbidrag 2026"),
        ("base", "Drift 12K", "Basisbidrag 2026: Drift 12K"),
        ("base", "Drift 2026", "Basisbidrag 12K: Drift 2026"),
        ("project", "Felles IKT", "Prosjekt Felles IKT 2026"),
        ("project", "drift 2026", "Prosjekt drift 2026"),
        ("project", "Prosjekt Felles IKT", "Prosjekt Felles IKT 2026"),
    ],
)
def test_a_line_says_each_thing_once(kind: str, description: str, expected: str) -> None:
    with translation.override("nb"):
        assert line_text(kind, description, "12K", 2026) == expected


def test_in_english_the_words_are_english() -> None:
    with translation.override("en"):
        assert line_text("base", "Operations", "12K", 2026) == (
            "Base contribution 12K 2026: Operations"
        )
        assert line_text("project", "Shared IT", "12K", 2026) == "Project Shared IT 2026"
