"""Issue 22 in a real browser: the secretariat plans a meeting of a body, puts an open and a
closed item on the agenda, attaches a file to the closed one, sends the notice, marks the
meeting held, writes the minutes and approves them; an anonymous visitor then sees the open
item and its minutes, the closed item's title and legal basis, and not its document. The
pages are scanned with axe-core on the way (no serious or critical findings)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.meetings.models import Meeting, MeetingDocument
from samarbeid.meetings.services import notice as notice_services
from samarbeid.meetings.tests.factories import body, member
from samarbeid.tests.browser.conftest import log_in
from samarbeid.tests.browser.test_accessibility import violations


def test_the_secretariat_holds_a_meeting_and_the_public_sees_what_is_open(
    page: Any, secretariat_user: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    # the notice goes out on 01.03.2025, before the meeting of 12.03.2025 (a notice for a
    # meeting whose day has passed is refused); the minutes are written after it
    monkeypatch.setattr(notice_services, "notice_day", lambda: date(2025, 3, 1))
    problems: list[str] = []
    arena = ArenaFactory(name="Vestfoldsamarbeidet", short_name="VS")
    mayors = body(arena, kind="mayors", name="Ordførermøtet")
    member(mayors, "3909", person="Ordfører i Larvik", role="leader")
    log_in(page, secretariat_user)

    page.goto(f"/moter/organ/{mayors.pk}/")
    problems += violations(page)
    page.get_by_role("link", name="Nytt møte").click()
    page.get_by_label("Dato").fill("2025-03-12")
    page.get_by_label("Starttid").fill("10:00")
    page.get_by_label("Sted").fill("Larvik rådhus")
    problems += violations(page)
    page.get_by_role("button", name="Lagre").click()
    page.get_by_role("heading", level=1, name=re.compile("Møte i Ordførermøtet")).wait_for()

    page.get_by_role("link", name="Ny sak i sakskartet").click()
    page.get_by_label("Tittel").fill("Felles innkjøpsordning")
    page.get_by_label("Saksframstilling").fill("Forslag om felles innkjøpskontor.")
    problems += violations(page)
    page.get_by_role("button", name="Lagre").click()
    page.get_by_role("link", name="Ny sak i sakskartet").click()
    page.get_by_label("Tittel").fill("Ansettelse av daglig leder")
    page.get_by_label("Saksframstilling").fill("Søkerlisten med navn og vurderinger.")
    page.get_by_label("Unntatt offentlighet").check()
    page.get_by_label("Hjemmel", exact=True).select_option(value="offl_13_fvl_13")
    page.get_by_label("Begrunnelse").fill("Personopplysninger")
    page.get_by_role("button", name="Lagre").click()
    page.get_by_role("heading", name=re.compile("Ansettelse av daglig leder")).wait_for()

    pdf = tmp_path / "sokerliste.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% sokerliste\n")
    page.get_by_role("link", name="Legg ved dokument").click()
    page.get_by_label("Tittel").fill("Søkerliste")
    page.get_by_label(re.compile(r"^Dato")).fill("2025-03-01")
    page.get_by_label("Type dokument").select_option(value="appendix")
    page.get_by_label("Sak", exact=True).select_option(
        label="Sak (nummereres ved innkalling) Ansettelse av daglig leder"
    )
    page.get_by_label("Fil").set_input_files(str(pdf))
    problems += violations(page)
    page.get_by_role("button", name="Lagre").click()
    page.get_by_role("link", name="Søkerliste", exact=True).wait_for()

    page.get_by_role("link", name="Send innkalling").click()  # the notice asks first
    page.get_by_role("heading", name="Send innkallingen til 1 medlem?").wait_for()
    problems += violations(page)
    page.get_by_role("button", name="Send innkalling").click()
    page.get_by_role("heading", name="Sak 1/25 Felles innkjøpsordning").wait_for()
    page.get_by_role("heading", name="Sak 2/25 Ansettelse av daglig leder").wait_for()
    problems += violations(page)
    page.get_by_role("button", name="Sett status «avholdt»").click()
    page.get_by_role("link", name="Skriv protokollen").click()
    page.get_by_role("link", name="Registrer frammøte").click()
    page.get_by_label(re.compile("Ordfører i Larvik")).check()
    problems += violations(page)
    page.get_by_role("button", name="Lagre").click()
    for ref, treatment in (("Sak 1/25", "Drøftet og vedtatt."), ("Sak 2/25", "Ansatt Kari.")):
        page.get_by_role("link", name=f"Skriv behandlingen av {ref}").click()
        page.get_by_label("Behandling").fill(treatment)
        page.get_by_label("Vedtak", exact=True).fill("Som foreslått.")
        page.get_by_label("Utfall").select_option(value="adopted")
        page.get_by_role("button", name="Lagre").click()
        page.get_by_text(treatment).wait_for()
    problems += violations(page)
    page.get_by_role("link", name="Godkjenn protokollen").click()
    page.get_by_label("Godkjent dato").fill("2025-03-20")
    page.get_by_label("Godkjent av").fill("Møteleder og ett medlem")
    problems += violations(page)
    page.get_by_role("button", name="Lagre").click()
    page.get_by_text("Godkjent 20.03.2025 av Møteleder og ett medlem").wait_for()
    meeting = Meeting.objects.get(body=mayors)
    assert meeting.status == Meeting.Status.MINUTES_APPROVED
    document = MeetingDocument.objects.get()

    page.context.clear_cookies()
    page.goto(f"/moter/{meeting.pk}/")
    page.get_by_role("heading", name="Sak 1/25 Felles innkjøpsordning").wait_for()
    page.get_by_text("Forslag om felles innkjøpskontor.").wait_for()
    page.get_by_role("heading", name="Sak 2/25 Ansettelse av daglig leder").wait_for()
    page.get_by_text(re.compile("offl. § 13 jf. fvl. § 13")).first.wait_for()
    assert page.get_by_text("Søkerlisten med navn og vurderinger.").count() == 0
    assert page.get_by_role("link", name="Søkerliste", exact=True).count() == 0
    problems += violations(page)
    page.goto(f"/moter/{meeting.pk}/protokoll/")
    page.get_by_text("Drøftet og vedtatt.").wait_for()
    assert page.get_by_text("Ansatt Kari.").count() == 0
    problems += violations(page)
    response = page.request.get(f"/moter/dokument/{document.pk}/")
    assert response.status == 404
    assert not problems, "\n".join(problems)
