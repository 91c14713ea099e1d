"""A clerk's second trial of the extract (#22 point 7): cases are chosen by what happened in
them in the period, not only by when they were opened; a meeting file's dates tell the
meeting's own story; the meeting has its own number and a Norwegian mappeID; an agenda item
refers to the case file it treats. Every extract still validates against the shipped XSDs."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from lxml import etree

from conftest import login
from samarbeid.archive.extract import MeetingItem, MeetingRecord, build_extract, meeting_dates
from samarbeid.archive.meetings import arena_extract
from samarbeid.arenas import demo as arenas_demo
from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import ArenaFactory, CaseFactory, DecisionFactory
from samarbeid.governance.models import Decision
from samarbeid.lib import noark5_xml as n5x
from samarbeid.meetings import demo as meetings_demo
from samarbeid.meetings.models import Body, Meeting
from samarbeid.oparl.tests.test_meetings import make_held
from samarbeid.portfolio import demo as portfolio_demo
from samarbeid.review import demo as review_demo
from samarbeid.strategy import demo as strategy_demo

pytestmark = pytest.mark.django_db
NS = {"n": n5x.NS}
TYPE = f"{{{n5x.XSI}}}type"


def fake_pdf(case: Any) -> bytes:
    return f"%PDF-1.4 sak {case.pk}".encode()


def _root(extract: Any) -> etree._Element:
    xml = n5x.arkivstruktur_xml(extract.archive)
    assert n5x.validation_errors(xml) == []
    root: etree._Element = etree.fromstring(xml)
    return root


def _folders(root: etree._Element, kind: str) -> list[etree._Element]:
    return [f for f in root.iterfind(".//n:mappe", NS) if f.get(TYPE) == kind]


def _year(arena: Arena, year: int) -> Any:
    return build_extract(arena, date(year, 1, 1), date(year, 12, 31), by="kari", summary=fake_pdf)


# 1. cases chosen by what happened in them in the period


def test_a_case_opened_in_2006_and_decided_in_2007_is_in_the_2007_extract() -> None:
    arena = ArenaFactory(name="Innherred samkommune", short_name="ISK")
    case = CaseFactory(arena=arena, title="Forprosjekt ISK 2", opened=date(2006, 11, 20))
    DecisionFactory(case=case, meeting_date=date(2007, 5, 3), case_number="12/07")
    lapsed = CaseFactory(arena=arena, title="Bortfalt", opened=date(2005, 3, 1))
    DecisionFactory(case=lapsed, meeting_date=None, outcome="lapsed", lapsed_on=date(2007, 1, 1))
    quiet = CaseFactory(arena=arena, title="Stille i 2007", opened=date(2006, 1, 5))
    DecisionFactory(case=quiet, meeting_date=date(2006, 3, 1))

    extract = _year(arena, 2007)
    assert [c.title for c in extract.cases] == ["Bortfalt", "Forprosjekt ISK 2"]
    [folder] = [
        f
        for f in _folders(_root(extract), "saksmappe")
        if "ISK 2" in f.findtext("n:tittel", namespaces=NS)
    ]
    assert folder.findtext("n:opprettetDato", namespaces=NS).startswith("2006-11-20")
    assert folder.findtext("n:avsluttetDato", namespaces=NS).startswith("2007-05-03")
    numbers = [
        r.findtext("n:registreringsID", namespaces=NS)
        for r in folder.iterfind("n:registrering", NS)
    ]
    assert "12/07" in numbers  # the treatment of the period
    # the 2006 extract has it as opened then, without the 2007 treatment
    earlier = _year(arena, 2006)
    assert {c.title for c in earlier.cases} == {"Forprosjekt ISK 2", "Stille i 2007"}
    assert _year(arena, 2008).cases == []


def test_a_case_on_the_agenda_of_a_meeting_in_the_period_is_in_it(
    secretariat: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    held = make_held(secretariat)
    case = held["case"]
    case.opened = date(2024, 1, 10)
    case.save()
    Decision.objects.filter(case=case).delete()
    DecisionFactory(case=case, meeting_date=date(2024, 6, 1))  # concluded before 2025
    extract = arena_extract(
        held["arena"], date(2025, 1, 1), date(2025, 12, 31), by="kari", summary=fake_pdf
    )
    assert extract.cases == [case]  # on the agenda of 03.05.2025 only
    # a cancelled meeting's agenda does not count
    Meeting.objects.filter(pk=held["meeting"].pk).update(status=Meeting.Status.CANCELLED)
    assert _year(held["arena"], 2025).cases == []


# 2. the dates of a meeting file tell the meeting's own story


def test_a_meeting_entered_after_the_fact_keeps_its_own_dates() -> None:
    loaded = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)  # the demo load
    record = MeetingRecord(
        key="meeting-1",
        body_name="Samkommunestyret",
        number="3/2007",
        day=date(2007, 5, 3),
        created=loaded,
        notice_sent_on=date(2007, 4, 20),
        approved_on=date(2007, 5, 17),
    )
    created, closed = meeting_dates(record)
    assert created.date() == date(2007, 4, 20)  # no later than the notice
    assert closed.date() == date(2007, 5, 17)  # the minutes' approval
    unsent = MeetingRecord("meeting-2", "Samkommunestyret", "4/2007", date(2007, 6, 1), loaded)
    assert [d.date() for d in meeting_dates(unsent)] == [date(2007, 6, 1)] * 2
    early = datetime(2007, 3, 1, 12, 0, tzinfo=UTC)  # created in time: kept
    record = MeetingRecord("meeting-3", "S", "5/2007", date(2007, 9, 1), early)
    assert meeting_dates(record)[0] == early


def _demo(secretariat: Any) -> None:
    arenas_demo.load(secretariat)
    portfolio_demo.load(secretariat)
    strategy_demo.load(secretariat)
    review_demo.load(secretariat)
    meetings_demo.load(secretariat)


def _day(text: str | None) -> str:
    assert text
    return text[:10]


def test_every_date_pair_of_the_demos_extracts_is_ordered(secretariat: Any) -> None:
    _demo(secretariat)
    arenas = Arena.objects.filter(pk__in=Body.objects.values("arena")).order_by("pk")
    assert arenas.count() >= 3  # 12K, Innherred, KS Vestfold
    seen_meetings = 0
    for arena in arenas:
        extract = arena_extract(
            arena, date(2000, 1, 1), date(2026, 12, 31), by="kari", summary=fake_pdf
        )
        root = _root(extract)
        for element in [root, *root.iter(f"{{{n5x.NS}}}arkivdel", f"{{{n5x.NS}}}mappe")]:
            opened = element.findtext("n:opprettetDato", namespaces=NS)
            closed = element.findtext("n:avsluttetDato", namespaces=NS)
            if closed is not None:
                assert _day(opened) <= _day(closed), (
                    arena,
                    element.findtext("n:tittel", namespaces=NS),
                )
        for folder in _folders(root, "moetemappe"):
            seen_meetings += 1
            day = folder.findtext("n:moetedato", namespaces=NS)
            assert _day(folder.findtext("n:opprettetDato", namespaces=NS)) <= _day(day)
            assert _day(folder.findtext("n:avsluttetDato", namespaces=NS)) >= _day(day)
            assert not folder.findtext("n:opprettetDato", namespaces=NS).startswith("2026")
    assert seen_meetings == Meeting.objects.filter(status="minutes_approved").count() >= 3


# 3. numbers and IDs, 4. an agenda item refers to the case file it treats (one demo load)


def test_the_meeting_has_its_own_number_and_its_item_links_the_case_file(
    secretariat: Any,
) -> None:
    _demo(secretariat)
    isk = Meeting.objects.get(body__name="Samkommunestyret")
    item = isk.items.get()
    assert item.reference == "Sak 1/07"
    assert item.case is not None
    extract = arena_extract(
        isk.body.arena, date(2007, 1, 1), date(2007, 12, 31), by="kari", summary=fake_pdf
    )
    assert item.case in extract.cases
    root = _root(extract)  # validated against arkivstruktur.xsd with the reference
    [folder] = _folders(root, "moetemappe")
    # the meeting's own number (the body's first meeting in 2007), not the item's "1/07"
    assert folder.findtext("n:moetenummer", namespaces=NS) == "1/2007"
    folder_id = folder.findtext("n:mappeID", namespaces=NS)
    assert folder_id == "Samkommunestyret møte 1/2007"
    assert not re.search(r"meeting|item|minutes|notice", folder_id, re.IGNORECASE)
    uuid = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
    for element in root.iter(f"{{{n5x.NS}}}systemID"):
        assert uuid.match(element.text or "")
    items = [
        r for r in folder.iterfind("n:registrering", NS)
        if r.findtext("n:moeteregistreringstype", namespaces=NS) == "Saksliste"
    ]  # fmt: skip
    # the item keeps its own number
    assert [r.findtext("n:registreringsID", namespaces=NS) for r in items] == ["1/07"]
    [case_file] = [
        f for f in _folders(root, "saksmappe")
        if f.findtext("n:tittel", namespaces=NS) == item.case.title
    ]  # fmt: skip
    linked = [
        r.findtext("n:kryssreferanse/n:referanseTilMappe", namespaces=NS)
        for r in folder.iterfind("n:registrering", NS)
    ]
    assert [ref for ref in linked if ref] == [case_file.findtext("n:systemID", namespaces=NS)]
    assert items[0].findtext("n:kryssreferanse/n:referanseTilMappe", namespaces=NS)


def test_an_item_whose_case_is_not_in_the_extract_has_no_reference() -> None:
    arena = ArenaFactory(name="Innherred samkommune", short_name="ISK")
    pending = CaseFactory(arena=arena, title="Til behandling", opened=date(2007, 2, 1))
    DecisionFactory(case=pending, meeting_date=None, outcome="")
    record = MeetingRecord(
        key="meeting-9",
        body_name="Samkommunestyret",
        number="2/2007",
        day=date(2007, 5, 3),
        created=datetime(2007, 4, 1, tzinfo=UTC),
        items=[MeetingItem("Sak 5/07", "Til behandling", case_id=pending.pk)],
    )
    extract = build_extract(
        arena, date(2007, 1, 1), date(2007, 12, 31), by="k", summary=fake_pdf, meetings=[record]
    )
    assert extract.left_out == [pending]
    root = _root(extract)
    assert root.find(".//n:kryssreferanse", NS) is None


def test_the_page_says_which_cases_and_meetings_go_in(client: Client, secretariat: Any) -> None:
    login(client, secretariat)
    page = client.get(reverse("archive:extract_page")).content.decode()
    assert "sto på sakslisten til et møte i perioden" in page
    assert "En sak opprettet i 2006 og vedtatt i 2007 er med i uttrekket for 2007." in page
    assert "møtets eget nummer i organets år (for eksempel 3/2007)" in page
    client.cookies["django_language"] = "en"
    page = client.get(reverse("archive:extract_page")).content.decode()
    assert "A case opened in 2006 and decided in 2007 is in the 2007 extract." in page
    assert "the meeting's own number in its body's year" in page
