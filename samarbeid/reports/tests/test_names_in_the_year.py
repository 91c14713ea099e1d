"""An annual report names each municipality as it was that year, and only those that were
the arena's members (a clerk's trial read "Holmestrand (0702), Sande (Vestfold) (0713) og
Hof (0714)" in 12K's 2008 report; Sande was never a 12K member)."""

from __future__ import annotations

from typing import Any

import pytest

from samarbeid.arenas.models import Arena
from samarbeid.portal.demo import load_demo
from samarbeid.reports import services

pytestmark = pytest.mark.django_db


def test_the_2008_report_names_holmestrand_and_hof_not_sande(secretariat: Any) -> None:
    load_demo()
    twelve_k = Arena.objects.get(short_name="12K")
    report = services.annual_report(twelve_k, 2008, secretariat)
    names = [name for name, _row in report.named_rows]
    [holmestrand] = [n for n in names if "Holmestrand" in n]
    assert holmestrand == "Holmestrand (0702) og Hof (0714) (i dag Holmestrand 3903)"
    assert not any("Sande (Vestfold)" in n for n in names)
