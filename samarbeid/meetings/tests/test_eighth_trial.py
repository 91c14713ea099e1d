"""What the clerk's trial of session 37 found: the notice page and its PDF showed the agenda as
it is now under «Innkalling sendt …», with nothing said of what changed after the notice;
«Send innkalling» for a body with nobody seated said it was sent (and numbered and locked
the items), in one click; an attendance with nobody ticked said «Frammøtet er lagret.»; a
text's line breaks counted twice in its length limit; and a decision too long and without
an outcome was told one error at a time."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from pypdf import PdfReader

from conftest import bearer, login, problem_of
from samarbeid.meetings.models import AgendaItem, Meeting
from samarbeid.meetings.services.attendance import set_attendance
from samarbeid.meetings.services.meetings import add_item, update_item
from samarbeid.meetings.services.notice import record_outside_notice, send_notice
from samarbeid.meetings.tests.factories import meeting, member

pytestmark = pytest.mark.django_db
JSON = "application/json"
MEETING_DAY = date(2025, 3, 12)
PROPOSAL = "Styret slutter seg til mandatet."


def _pdf_text(content: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def _flat(html: str) -> str:
    return " ".join(html.split())


def _text(html: str) -> str:
    """The page's words, as read."""
    return _flat(strip_tags(html))


def _edit(item: AgendaItem, actor: Any, **changes: Any) -> None:
    item.refresh_from_db()
    update_item(item, changes, expected_version=item.version, actor=actor)


# --- 1. the notice page and its PDF say what changed after the notice ---


@pytest.mark.usefixtures("noticed_early")
def test_the_notice_page_and_pdf_mark_what_changed_after_the_notice(
    client: Client, secretariat: Any
) -> None:
    one = meeting(date=MEETING_DAY)
    member(one.body)
    ikt, _budget = (
        add_item(AgendaItem(meeting=one, title=title, proposal=PROPOSAL), actor=secretariat)
        for title in ("Felles IKT", "Budsjett 2026")
    )
    send_notice(one, expected_version=1, actor=secretariat)
    login(client, secretariat)
    notice = reverse("meetings:notice", args=[one.pk])
    pdf = reverse("meetings:notice_pdf", args=[one.pk])
    before = _text(client.get(notice).content.decode())
    assert "Endringer etter innkallingen" not in before
    assert "Endret etter innkallingen" not in before
    assert "Lagt til etter innkallingen" not in before

    _edit(ikt, secretariat, proposal="Styret vedtar mandatet med endringer.")
    add_item(AgendaItem(meeting=one, title="Sent innkommet sak"), actor=secretariat)
    changed = "Sak 1/25 «Felles IKT»: forslag til vedtak endret etter innkallingen 01.01.2025."
    was = f"Forslaget i innkallingen var: {PROPOSAL}"
    added = "Ny sak i sakskartet: Sak 3/25 Sent innkommet sak."
    for url in (notice, one.get_absolute_url()):
        response = client.get(url)
        page = _text(response.content.decode())
        assert "Endringer etter innkallingen" in page, url
        assert f"{changed} {was}" in page, url
        assert added in page, url
        # at the items: the changed one and the added one, not the one as noticed
        items = {item.title: item for item in response.context["items"]}
        assert items["Felles IKT"].changed_after_notice
        assert not getattr(items["Budsjett 2026"], "changed_after_notice", False)
        assert items["Sent innkommet sak"].added_after_notice == date(2025, 1, 1)
        assert items["Budsjett 2026"].added_after_notice is None
        assert "Sak 1/25 Felles IKT Endret etter innkallingen" in page, url
        assert "Sak 3/25 Sent innkommet sak Lagt til etter innkallingen 01.01.2025" in page, url
        assert "Sak 2/25 Budsjett 2026 Forslag til vedtak" in page, url  # unmarked
    text = _pdf_text(client.get(pdf).content)
    assert "Endringer etter innkallingen" in text
    assert was in text
    assert "Lagt til etter innkallingen 01.01.2025" in text
    assert "Endret etter innkallingen" in text
    # the public reads the same (an open meeting), without to whom it went
    one.published = True
    one.save()
    one.body.arena.published = True
    one.body.arena.save()
    client.logout()
    assert f"{changed} {was}" in _text(client.get(notice).content.decode())
    assert was in _pdf_text(client.get(pdf).content)


@pytest.mark.usefixtures("noticed_early")
def test_a_proposal_the_notice_did_not_have_is_said_so(client: Client, secretariat: Any) -> None:
    one = meeting(date=MEETING_DAY)
    member(one.body)
    item = add_item(AgendaItem(meeting=one, title="Felles IKT"), actor=secretariat)
    send_notice(one, expected_version=1, actor=secretariat)
    _edit(item, secretariat, proposal=PROPOSAL)
    login(client, secretariat)
    page = _text(client.get(reverse("meetings:notice", args=[one.pk])).content.decode())
    assert "Innkallingen hadde ikke noe forslag til vedtak." in page


@pytest.mark.usefixtures("noticed_early")
def test_the_notice_page_reads_the_changes_in_bounded_queries(
    client: Client, secretariat: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    one = meeting(date=MEETING_DAY)
    member(one.body)
    items = [
        add_item(AgendaItem(meeting=one, title=f"Sak {n}", proposal=PROPOSAL), actor=secretariat)
        for n in range(6)
    ]
    send_notice(one, expected_version=1, actor=secretariat)
    login(client, secretariat)
    url = reverse("meetings:notice", args=[one.pk])

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _edit(items[0], secretariat, proposal="Nytt.")
    add_item(AgendaItem(meeting=one, title="Tillegg 1"), actor=secretariat)
    few = counted()
    for item in items[1:]:
        _edit(item, secretariat, proposal="Nytt.", title=f"{item.title} (ny)")
    for n in range(2, 5):
        add_item(AgendaItem(meeting=one, title=f"Tillegg {n}"), actor=secretariat)
    assert counted() == few


# --- 2. «Send innkalling» to a body with nobody seated is refused, after asking ---

REFUSED = (
    "Innkallingen kan ikke sendes: Rådmannsutvalget har ingen medlemmer på møtedagen "
    "{d}. Legg til medlemmer, eller registrer at innkallingen er sendt utenfor Samarbeid."
)


def _coming(**fields: Any) -> Meeting:
    one = meeting(date=timezone.localdate() + timedelta(days=20), **fields)
    AgendaItem.objects.create(meeting=one, body=one.body, title="Felles IKT")
    return one


def test_the_service_refuses_a_notice_nobody_would_get(secretariat: Any) -> None:
    one = _coming()
    # a seat that ended before the meeting's day is no member on it
    member(one.body, valid_from=date(2024, 1, 1), valid_to=timezone.localdate())
    with pytest.raises(ValidationError) as refused:
        send_notice(one, expected_version=1, actor=secretariat)
    assert refused.value.messages == [REFUSED.format(d=f"{one.date:%d.%m.%Y}")]
    one.refresh_from_db()
    assert (one.status, one.version) == (Meeting.Status.PLANNED, 1)
    assert one.items.get().number is None  # not numbered, still to be taken off
    # recorded as sent outside Samarbeid: still allowed
    record_outside_notice(one, timezone.localdate(), expected_version=1, actor=secretariat)
    one.refresh_from_db()
    assert one.status == Meeting.Status.NOTICE_SENT


def test_the_api_refuses_it_too(client: Client, secretariat: Any) -> None:
    one = _coming()
    body = problem_of(
        client.post(
            f"/api/v1/meetings/{one.pk}/notice", {"version": 1}, content_type=JSON,
            headers=bearer(secretariat),
        ),
        422,
    )  # fmt: skip
    assert body["detail"] == REFUSED.format(d=f"{one.date:%d.%m.%Y}")
    one.refresh_from_db()
    assert one.status == Meeting.Status.PLANNED


def test_the_page_asks_before_sending_and_says_why_it_cannot(
    client: Client, secretariat: Any
) -> None:
    one = _coming()
    login(client, secretariat)
    url = reverse("meetings:notice_send", args=[one.pk])
    detail = client.get(one.get_absolute_url()).content.decode()
    assert f'<a class="ds-button" href="{url}">Send innkalling</a>' in detail  # asks first
    asked = client.get(url)
    assert asked.status_code == 200
    page = _flat(asked.content.decode())
    assert REFUSED.format(d=f"{one.date:%d.%m.%Y}") in page
    assert '<button class="ds-button" data-color="danger" type="submit">' not in page
    posted = client.post(url, {"version": 1}, follow=True)
    assert REFUSED.format(d=f"{one.date:%d.%m.%Y}") in _flat(posted.content.decode())
    assert "Innkallingen er sendt" not in posted.content.decode()
    one.refresh_from_db()
    assert one.status == Meeting.Status.PLANNED

    member(one.body, "3909")
    member(one.body, "3901", person="Ola Nordmann")
    asked = client.get(url)
    page = _flat(asked.content.decode())
    assert "Send innkallingen til 2 medlemmer?" in page
    assert "Sakene får nummer og kan ikke tas ut etterpå." in page
    assert 'name="version" value="1"' in page
    assert '<form method="post" class="form" novalidate>' in page  # posts to the same URL
    one.refresh_from_db()
    assert one.status == Meeting.Status.PLANNED  # asking sends nothing
    sent = client.post(url, {"version": 1}, follow=True)
    assert "Innkallingen er sendt" in sent.content.decode()
    one.refresh_from_db()
    assert one.status == Meeting.Status.NOTICE_SENT
    # once sent: the page says it cannot be sent again
    again = _flat(client.get(url).content.decode())
    assert "Innkallingen kan ikke sendes nå" in again


def test_the_confirmation_in_english(client: Client, secretariat: Any) -> None:
    one = _coming()
    member(one.body, "3909")
    login(client, secretariat)
    url = reverse("meetings:notice_send", args=[one.pk])
    client.cookies["django_language"] = "en"
    page = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "Send the notice to 1 member?" in page


# --- 4. an attendance with nobody ticked, members seated, is refused ---


def _held() -> Meeting:
    return meeting(status=Meeting.Status.HELD, date=MEETING_DAY)


def test_the_service_refuses_an_attendance_with_nobody_present(secretariat: Any) -> None:
    one = _held()
    member(one.body)
    with pytest.raises(ValidationError) as refused:
        set_attendance(one, [], actor=secretariat)
    assert refused.value.message_dict == {"members": ["Kryss av for dem som var til stede."]}
    one.refresh_from_db()
    assert one.version == 1


def test_the_page_says_it_on_the_list(client: Client, secretariat: Any) -> None:
    one = _held()
    member(one.body)
    login(client, secretariat)
    url = reverse("meetings:attendance", args=[one.pk])
    response = client.post(url, {"version": 1}, follow=True)
    assert response.status_code == 200
    assert response.context["form"].errors["members"] == ["Kryss av for dem som var til stede."]
    assert "Frammøtet er lagret." not in response.content.decode()
    assert not one.attendance.exists()


def test_the_api_answers_422_for_an_empty_list(client: Client, secretariat: Any) -> None:
    one = _held()
    member(one.body)
    body = problem_of(
        client.put(
            f"/api/v1/meetings/{one.pk}/attendance", {"members": [], "version": 1},
            content_type=JSON, headers=bearer(secretariat),
        ),
        422,
    )  # fmt: skip
    assert body["errors"][0]["loc"] == ["members"]
    assert body["errors"][0]["msg"] == "Kryss av for dem som var til stede."


# --- 3. a line break is one character in the length limits, said the Norwegian way ---

NBSP = "\u00a0"


def _typed(letters: int, breaks: int) -> str:
    """A text of `letters` letters in `breaks` + 1 lines, as a browser posts it (CR LF)."""
    line = letters // (breaks + 1)
    lines = ["x" * line] * breaks + ["x" * (letters - line * breaks)]
    return "\r\n".join(lines)


def _minutes_item() -> AgendaItem:
    one = _held()
    return AgendaItem.objects.create(
        meeting=one, body=one.body, year=2025, number=3, title="Felles IKT"
    )


def test_a_decision_at_the_limit_with_line_breaks_typed_in_the_browser_is_saved(
    client: Client, secretariat: Any
) -> None:
    item = _minutes_item()
    login(client, secretariat)
    url = reverse("meetings:item_minutes", args=[item.pk])
    # 20 000 characters, 200 of them line breaks: 20 200 as posted
    text = _typed(19_800, 200)
    assert len(text) == 20_200
    response = client.post(
        url,
        {"treatment": text, "decision_text": text, "outcome": "adopted", "version": 1},
    )
    assert response.status_code == 302, response.context["form"].errors
    item.refresh_from_db()
    assert item.decision_text == text.replace("\r\n", "\n")
    assert len(item.decision_text) == len(item.treatment) == 20_000
    assert "\r" not in item.treatment


def test_a_decision_over_the_limit_is_told_in_norwegian_figures(
    client: Client, secretariat: Any
) -> None:
    item = _minutes_item()
    login(client, secretariat)
    url = reverse("meetings:item_minutes", args=[item.pk])
    text = _typed(19_801, 200)  # 20 001 characters (20 201 as posted)
    response = client.post(
        url, {"treatment": "", "decision_text": text, "outcome": "adopted", "version": 1}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["decision_text"] == [
        f"Teksten kan være på høyst 20{NBSP}000 tegn (den har nå 20{NBSP}001)."
    ]
    item.refresh_from_db()
    assert (item.decision_text, item.version) == ("", 1)


def test_a_lone_carriage_return_is_a_line_break_too(secretariat: Any) -> None:
    from samarbeid.meetings.forms import ItemForm

    one = meeting(date=MEETING_DAY)
    form = ItemForm(
        {"title": "Felles IKT", "proposal": "Første linje.\rAndre linje.", "version": 1},
        instance=AgendaItem(meeting=one),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["proposal"] == "Første linje.\nAndre linje."


def test_the_proposal_and_description_count_a_line_break_once(
    client: Client, secretariat: Any
) -> None:
    from samarbeid.meetings.item_terms import PROPOSAL_MAX

    one = meeting(date=MEETING_DAY)
    login(client, secretariat)
    proposal = _typed(PROPOSAL_MAX - 100, 100)  # 10 000 characters, 10 100 as posted
    description = _typed(30_000, 300)
    response = client.post(
        reverse("meetings:item_create", args=[one.pk]),
        {"title": "Felles IKT", "proposal": proposal, "description": description},
    )
    assert response.status_code == 302, response.context["form"].errors
    item = one.items.get()
    assert len(item.proposal) == PROPOSAL_MAX
    assert item.description == description.replace("\r\n", "\n")
    over = client.post(
        reverse("meetings:item_edit", args=[item.pk]),
        {"title": "Felles IKT", "proposal": proposal + "x", "version": 1},
    )
    assert over.context["form"].errors["proposal"] == [
        f"Teksten kan være på høyst 10{NBSP}000 tegn (den har nå 10{NBSP}001)."
    ]


def test_the_api_counts_a_line_break_once_too(client: Client, secretariat: Any) -> None:
    item = _minutes_item()
    text = _typed(19_800, 200)
    response = client.patch(
        f"/api/v1/meetings/items/{item.pk}/minutes",
        {"version": 1, "decision_text": text, "outcome": "adopted"},
        content_type=JSON,
        headers=bearer(secretariat),
    )
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert len(item.decision_text) == 20_000


def test_the_limit_in_english(client: Client, secretariat: Any) -> None:
    item = _minutes_item()
    login(client, secretariat)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("meetings:item_minutes", args=[item.pk]),
        {"decision_text": "x" * 20_001, "outcome": "adopted", "version": 1},
        headers={"accept-language": "en"},
    )
    assert response.context["form"].errors["decision_text"] == [
        "The text can be at most 20,000 characters long (it now has 20,001)."
    ]


# --- 5. a decision too long and without its outcome: both told at once ---

NO_OUTCOME = "Velg utfallet av saken når vedtaket er skrevet."


def test_a_long_decision_without_an_outcome_is_told_both_at_once(
    client: Client, secretariat: Any
) -> None:
    item = _minutes_item()
    login(client, secretariat)
    response = client.post(
        reverse("meetings:item_minutes", args=[item.pk]),
        {"treatment": "Drøftet.", "decision_text": "x" * 25_000, "outcome": "", "version": 1},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["decision_text"] == [
        f"Teksten kan være på høyst 20{NBSP}000 tegn (den har nå 25{NBSP}000)."
    ]
    assert errors["outcome"] == [NO_OUTCOME]
    page = response.content.decode()
    assert 'id="id_decision_text_error"' in page
    assert 'id="id_outcome_error"' in page


def test_the_api_tells_both_at_once_too(client: Client, secretariat: Any) -> None:
    item = _minutes_item()
    body = problem_of(
        client.patch(
            f"/api/v1/meetings/items/{item.pk}/minutes",
            {"version": 1, "decision_text": "x" * 25_000},
            content_type=JSON,
            headers=bearer(secretariat),
        ),
        422,
    )
    assert sorted(error["loc"][0] for error in body["errors"]) == ["decision_text", "outcome"]


def test_a_case_items_decision_without_an_outcome_says_it_goes_into_the_case(
    client: Client, secretariat: Any
) -> None:
    from samarbeid.arenas.tests.factories import CaseFactory

    item = _minutes_item()
    item.case = CaseFactory(arena=item.meeting.body.arena, opened=date(2025, 1, 1))
    item.save()
    login(client, secretariat)
    response = client.post(
        reverse("meetings:item_minutes", args=[item.pk]),
        {"decision_text": "x" * 25_000, "outcome": "", "version": 1},
    )
    assert response.context["form"].errors["outcome"] == [
        "Velg utfallet: vedtaket i en sak føres i saken med sitt utfall."
    ]
