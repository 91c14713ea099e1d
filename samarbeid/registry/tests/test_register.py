"""The register's history, as loaded from the real classification file."""

from __future__ import annotations

from datetime import date

import pytest

from samarbeid.registry.models import Municipality, MunicipalityChange
from samarbeid.registry.services import SuccessorMap, import_municipalities, resolve_number

pytestmark = pytest.mark.django_db


def chain(code: str) -> list[str]:
    """Follow the single successor of a code to today."""
    steps = [code]
    current = Municipality.objects.get(code=code)
    while True:
        nexts = list(current.successors.all())
        if not nexts:
            return steps
        assert len(nexts) == 1, f"{current} has several successors"
        current = nexts[0]
        steps.append(current.code)


def test_notteroy_and_tjome_lead_to_faerder() -> None:
    assert chain("0722") == ["0722", "0729", "3811", "3911"]
    assert chain("0723") == ["0723", "0729", "3811", "3911"]
    change = MunicipalityChange.objects.get(predecessor__code="0722")
    assert change.kind == MunicipalityChange.Kind.MERGER
    assert change.effective == date(2018, 1, 1)
    renumbering = MunicipalityChange.objects.get(predecessor__code="3811")
    assert renumbering.kind == MunicipalityChange.Kind.RENUMBERING
    assert renumbering.effective == date(2024, 1, 1)


def test_andebu_and_stokke_lead_to_sandefjord() -> None:
    assert chain("0719") == ["0719", "0710", "3804", "3907"]
    assert chain("0720")[-1] == "3907"
    assert chain("0706")[1] == "0710"


def test_innherred_levanger_and_verdal() -> None:
    assert chain("1719") == ["1719", "5037"]
    assert chain("1721") == ["1721", "5038"]
    levanger = Municipality.objects.get(code="5037")
    assert levanger.valid_from == date(2018, 1, 1)
    assert levanger.valid_to is None


def test_periods_and_current_records() -> None:
    notteroy = Municipality.objects.get(code="0722")
    assert notteroy.valid_from is None  # in use before 1994
    assert notteroy.valid_to == date(2017, 12, 31)
    faerder = Municipality.objects.get(code="3811")
    assert (faerder.valid_from, faerder.valid_to) == (date(2020, 1, 1), date(2023, 12, 31))
    assert Municipality.objects.get(code="3911").valid_from == date(2024, 1, 1)
    assert Municipality.objects.current().count() == 357


def test_organisation_numbers_follow_renumbering_but_not_merger() -> None:
    assert Municipality.objects.get(code="3911").organisation_number == "817263992"
    assert Municipality.objects.get(code="3811").organisation_number == "817263992"
    assert Municipality.objects.get(code="0722").organisation_number == ""
    assert Municipality.objects.get(code="3911").latitude is not None


def test_reused_number_is_two_records() -> None:
    vale, re = Municipality.objects.get(code="0716u"), Municipality.objects.get(code="0716")
    assert (vale.number, vale.name) == ("0716", "Våle")
    assert (re.number, re.name) == ("0716", "Re")
    assert resolve_number("0716", date(2000, 6, 1)) == vale
    assert resolve_number("0716", date(2010, 6, 1)) == re
    assert resolve_number("0716") == re  # the most recent without a date


def test_split_municipalities_have_their_successors_entered_by_hand() -> None:
    snillfjord = Municipality.objects.get(code="5012")
    assert sorted(s.number for s in snillfjord.successors.all()) == ["5055", "5056", "5059"]
    haram = Municipality.objects.get(code="1580")
    assert haram.valid_from == date(2024, 1, 1)
    assert [p.code for p in haram.predecessors.all()] == ["1507"]


def test_successor_map_follows_mergers_by_date() -> None:
    successors = SuccessorMap()
    notteroy = Municipality.objects.get(code="0722")
    assert successors.successor_ids_on(notteroy.pk, date(2008, 1, 1)) == [notteroy.pk]
    on_2026 = successors.successor_ids_on(notteroy.pk, date(2026, 1, 1))
    assert on_2026 == [Municipality.objects.get(code="3911").pk]


def test_predecessors_go_back_through_every_change() -> None:
    codes = {m.pk: m.code for m in Municipality.objects.all()}
    faerder = Municipality.objects.get(code="3911")
    found = [codes[pk] for pk in SuccessorMap().predecessor_ids(faerder.pk)]
    assert found[0] == "3811"  # nearest first
    assert {"0722", "0723", "0729", "3811"} <= set(found)
    assert len(found) == len(set(found))


def test_import_is_idempotent() -> None:
    before = (Municipality.objects.count(), MunicipalityChange.objects.count())
    summary = import_municipalities()
    assert (summary.created, summary.updated) == (0, 0)
    assert (Municipality.objects.count(), MunicipalityChange.objects.count()) == before


def test_manual_changes_survive_a_reimport() -> None:
    halden = Municipality.objects.get(code="3101")
    moss = Municipality.objects.get(code="3103")
    MunicipalityChange.objects.create(
        predecessor=halden,
        successor=moss,
        effective=date(2030, 1, 1),
        kind=MunicipalityChange.Kind.MERGER,
        source=MunicipalityChange.Source.MANUAL,
    )
    import_municipalities()
    assert MunicipalityChange.objects.filter(predecessor=halden, successor=moss).exists()
