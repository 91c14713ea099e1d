"""The OParl 1.1 objects (https://schema.oparl.org/1.1/) as dicts, from the records.

The mapping, by the standard's meaning:
- System: this service.
- Body (Körperschaft: the corporate body whose council information is published, with its
  papers, organizations and meetings): one per published arena. An arena is the body the
  product's cases belong to (an IPR, a KO, an IKS are legal entities with bodies of their
  own; a network's cases are its own), so its papers, consultations and, later, meetings
  and bodies are listed under it. One body for the whole service would have no meaning as
  a Körperschaft and would mix unrelated arenas' cases; a body per municipality would
  scatter one case over many bodies.
- Organization: the arena's own governing body («styringsorgan»), and the municipal
  councils and executive committees that treat its cases (each once, under every arena
  whose cases it treats; its municipality is no OParl Body here, so `body` is left out).
  Seam: the meetings app's bodies (board, mayors' meeting, …) become organizations of the
  arena with `subOrganizationOf` the arena's own.
- Paper: a published case, with its consultations embedded (as the schema says; the
  paper's `modified` follows theirs). Consultation: the case's treatment in one body
  (council, executive committee, the arena's board or another body).
- Organization also: each body of the arena in the meetings app (board, mayors' meeting, …),
  `subOrganizationOf` the arena's own, with its memberships (a municipality's seat and the
  person holding it) and its meetings.
- Meeting: a public meeting (`queries.public_meetings`: announced, of a published arena),
  its agenda items and files embedded; AgendaItem: an item, its `consultation` the case's
  treatment recorded from the minutes when the case is public (and that consultation's
  `meeting`/`agendaItem` point back); a closed item shows its number, title and legal basis
  only (never its text, result or files). File: a document of a public meeting, never one
  of a closed item; `accessUrl`/`downloadUrl` are the product's own file view, which
  checks again who may have it. A meeting without an uploaded notice or minutes has the
  ones the meetings app prints (PDF) as its `invitation` (once the notice is sent) and
  `resultsProtocol` (once the minutes are approved), at `meeting/<id>/invitation|resultsProtocol`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.urls import reverse
from django.utils import timezone

from samarbeid.arenas.models import Arena
from samarbeid.governance.models import Case, Decision
from samarbeid.meetings.models import AgendaItem, BodyMember, Meeting, MeetingDocument
from samarbeid.meetings.models import Body as MeetingBody
from samarbeid.oparl.queries import MunicipalBody, is_public_meeting

SCHEMA = "https://schema.oparl.org/1.1/"
LICENSE = "https://data.norge.no/nlod/no/2.0"  # Norsk lisens for offentlige data (NLOD) 2.0

# The body's external lists with nothing in them: persons are not published (a member is a
# municipality's seat; the person holding it is named in the membership's role, not as an
# OParl Person with a list of their own), nor legislative terms (an arena has none).
SEAM_LISTS = ("person", "legislativeTermList")
# The body's lists of the meetings app's records.
MEETING_LISTS = ("meeting", "agendaItem", "file")

MUNICIPAL_KEYS: dict[str, str] = {
    Decision.Body.COUNCIL: "council",
    Decision.Body.EXECUTIVE_COMMITTEE: "executive-committee",
}
MUNICIPAL_NAMES: dict[str, str] = {
    Decision.Body.COUNCIL: "Kommunestyret i {name}",
    Decision.Body.EXECUTIVE_COMMITTEE: "Formannskapet i {name}",
}


@dataclass(frozen=True)
class Urls:
    """Absolute URLs of the objects and lists, under `base` (…/oparl/v1/)."""

    base: str
    site: str  # the site's root, for `web`

    def system(self) -> str:
        return self.base

    def body_list(self) -> str:
        return f"{self.base}body"

    def body(self, arena_id: int) -> str:
        return f"{self.base}body/{arena_id}"

    def body_part(self, arena_id: int, part: str) -> str:
        return f"{self.base}body/{arena_id}/{part}"

    def arena_organization(self, arena_id: int) -> str:
        return f"{self.base}organization/arena-{arena_id}"

    def municipal_organization(self, body: str, code: str) -> str:
        return f"{self.base}organization/{MUNICIPAL_KEYS[body]}-{code}"

    def paper(self, case_id: int) -> str:
        return f"{self.base}paper/{case_id}"

    def consultation(self, decision_id: int) -> str:
        return f"{self.base}consultation/{decision_id}"

    def body_organization(self, body_id: int) -> str:
        return f"{self.base}organization/body-{body_id}"

    def organization_meetings(self, body_id: int) -> str:
        return f"{self.base}organization/body-{body_id}/meeting"

    def membership(self, member_id: int) -> str:
        return f"{self.base}membership/{member_id}"

    def meeting(self, meeting_id: int) -> str:
        return f"{self.base}meeting/{meeting_id}"

    def agenda_item(self, item_id: int) -> str:
        return f"{self.base}agendaItem/{item_id}"

    def file(self, document_id: int) -> str:
        return f"{self.base}file/{document_id}"

    def printed(self, meeting_id: int, kind: str) -> str:
        """A meeting's printed notice ("invitation") or minutes ("resultsProtocol")."""
        return f"{self.base}meeting/{meeting_id}/{kind}"

    def web(self, path: str) -> str:
        return self.site.rstrip("/") + path


def _stamps(record: Any) -> dict[str, str]:
    return _dated(getattr(record, "oparl_created", None), getattr(record, "oparl_modified", None))


def _dated(created: datetime | None, modified: datetime | None) -> dict[str, str]:
    found = {}
    if created is not None:
        found["created"] = created.isoformat()
    if modified is not None:
        found["modified"] = modified.isoformat()
    return found


def _type(name: str) -> str:
    return f"{SCHEMA}{name}"


def system(urls: Urls) -> dict[str, Any]:
    return {
        "id": urls.system(),
        "type": _type("System"),
        "oparlVersion": SCHEMA,
        "license": LICENSE,
        "body": urls.body_list(),
        "name": "Samarbeid",
        "website": urls.web("/"),
        "web": urls.web("/"),
    }


def body(arena: Arena, urls: Urls) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": urls.body(arena.pk),
        "type": _type("Body"),
        "system": urls.system(),
        "name": arena.name,
        "shortName": arena.short_name,
        "license": LICENSE,
        "organization": urls.body_part(arena.pk, "organization"),
        "paper": urls.body_part(arena.pk, "paper"),
        "consultation": urls.body_part(arena.pk, "consultation"),
        "legislativeTerm": [],
        "classification": arena.get_kind_display(),
        "web": urls.web(arena.get_absolute_url()),
        **{part: urls.body_part(arena.pk, part) for part in SEAM_LISTS + MEETING_LISTS},
        **_stamps(arena),
    }
    if arena.website:
        found["website"] = arena.website
    return found


def arena_organization(arena: Arena, urls: Urls) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": urls.arena_organization(arena.pk),
        "type": _type("Organization"),
        "body": urls.body(arena.pk),
        "name": arena.name,
        "shortName": arena.short_name,
        "organizationType": "Styringsorgan",
        "classification": arena.get_kind_display(),
        "web": urls.web(arena.get_absolute_url()),
        **_stamps(arena),
    }
    if arena.established:
        found["startDate"] = arena.established.isoformat()
    if arena.ended:
        found["endDate"] = arena.ended.isoformat()
    if arena.website:
        found["website"] = arena.website
    return found


def municipal_organization(found: MunicipalBody, urls: Urls) -> dict[str, Any]:
    return {
        "id": urls.municipal_organization(found.body, found.code),
        "type": _type("Organization"),
        "name": MUNICIPAL_NAMES[found.body].format(name=found.name),
        "organizationType": "Gremium",
        "classification": "Kommunestyre" if found.body == Decision.Body.COUNCIL else "Formannskap",
        "web": urls.web(f"/kommuner/{found.code}/"),
        **_dated(found.created, found.modified),
    }


def paper(case: Case, urls: Urls) -> dict[str, Any]:
    assert case.arena_id is not None  # only an arena's cases are published as papers
    consultations = getattr(case, "oparl_consultations", None)
    if consultations is None:
        consultations = list(case.decisions.order_by("pk"))
    found: dict[str, Any] = {
        "id": urls.paper(case.pk),
        "type": _type("Paper"),
        "body": urls.body(case.arena_id),
        "name": case.title,
        "reference": f"{case.opened.year}/{case.pk}",
        "date": case.opened.isoformat(),
        "paperType": "Sak",
        "originatorOrganization": [urls.arena_organization(case.arena_id)],
        "consultation": [consultation(d, urls) for d in consultations],
        "web": urls.web(case.get_absolute_url()),
        **_stamps(case),
    }
    if case.document_title:
        found["keyword"] = [case.document_title]
    return found


def organization_of(decision: Decision, urls: Urls) -> str | None:
    if decision.body in MUNICIPAL_KEYS and decision.municipality is not None:
        return urls.municipal_organization(decision.body, decision.municipality.code)
    board = decision.arena if decision.body == Decision.Body.ARENA_BOARD else None
    if board is not None and board.published:  # an unpublished arena's body is not published
        return urls.arena_organization(board.pk)
    return None  # another body, named only by text


def _public_label(decision: Decision) -> str:
    """The body's name, without an unpublished arena's name."""
    if decision.arena is not None and not decision.arena.published:
        return decision.body_name or str(decision.get_body_display())
    return decision.body_label


def consultation(decision: Decision, urls: Urls) -> dict[str, Any]:
    assert decision.case_id is not None  # only a case's treatments are consultations
    organization = organization_of(decision, urls)
    found: dict[str, Any] = {
        "id": urls.consultation(decision.pk),
        "type": _type("Consultation"),
        "paper": urls.paper(decision.case_id),
        "authoritative": not decision.is_lapsed,
        "role": "Vedtak",  # every treatment recorded here is the body's decision
        **_stamps(decision),
    }
    item = getattr(decision, "agenda_item", None)
    if item is not None and is_public_meeting(item.meeting):  # recorded from the minutes
        found["meeting"] = urls.meeting(item.meeting_id)
        found["agendaItem"] = urls.agenda_item(item.pk)
    keywords = [str(decision.get_outcome_display())] if decision.outcome else []
    if organization:
        found["organization"] = [organization]
    else:
        keywords.append(_public_label(decision))  # the body is named only by text
    if keywords:
        found["keyword"] = keywords
    if decision.case is not None:
        found["web"] = urls.web(decision.case.get_absolute_url())
    return found


# --- the meetings app --------------------------------------------------------------------


def _aware(day: date, at: time) -> str:
    return timezone.make_aware(datetime.combine(day, at)).isoformat()


def body_organization(found: MeetingBody, urls: Urls) -> dict[str, Any]:
    members = getattr(found, "oparl_members", None)
    if members is None:
        members = list(found.members.select_related("municipality").order_by("pk"))
    result: dict[str, Any] = {
        "id": urls.body_organization(found.pk),
        "type": _type("Organization"),
        "body": urls.body(found.arena_id),
        "name": found.name,
        "organizationType": "Gremium",
        "classification": str(found.get_kind_display()),
        "subOrganizationOf": urls.arena_organization(found.arena_id),
        "membership": [urls.membership(m.pk) for m in members],
        "meeting": urls.organization_meetings(found.pk),
        "web": urls.web(found.get_absolute_url()),
        **_stamps(found),
    }
    return result


def membership(member: BodyMember, urls: Urls) -> dict[str, Any]:
    """A seat in a body: its role and period, and (as a keyword) the municipality and the
    person holding it."""
    found: dict[str, Any] = {
        "id": urls.membership(member.pk),
        "type": _type("Membership"),
        "organization": urls.body_organization(member.body_id),
        "role": f"{member.get_role_display()}: {member.person}",
        "votingRight": member.role
        not in (BodyMember.Role.SECRETARY, BodyMember.Role.DEPUTY_MEMBER),
        "startDate": member.valid_from.isoformat(),
        **_stamps(member),
    }
    if member.valid_to:
        found["endDate"] = member.valid_to.isoformat()
    if member.municipality is not None:
        found["keyword"] = [member.municipality.name]
    return found


def file(document: MeetingDocument, urls: Urls) -> dict[str, Any]:
    """A public document; its URLs are the file view's, which serves it to anyone who may
    see the meeting (a closed item's files never get here)."""
    found: dict[str, Any] = {
        "id": urls.file(document.pk),
        "type": _type("File"),
        "name": document.title,
        "fileName": document.filename,
        "mimeType": document.content_type,
        "date": document.date.isoformat(),
        "size": document.size,
        "accessUrl": urls.web(document.get_absolute_url()),
        "downloadUrl": urls.web(document.get_absolute_url()),
        "meeting": [urls.meeting(document.meeting_id)],
        "keyword": [str(document.get_kind_display())],
        **_stamps(document),
    }
    if document.item_id is not None:
        found["agendaItem"] = [urls.agenda_item(document.item_id)]
    return found


def _approved(meeting: Meeting) -> bool:
    return meeting.status == Meeting.Status.MINUTES_APPROVED


# The meetings app prints a meeting's notice and minutes as PDF (its own views, which check
# again who may read them): as OParl, the notice is the meeting's `invitation`, the approved
# minutes its `resultsProtocol`.
PRINTED = {
    "invitation": ("meetings:notice_pdf", "Møteinnkalling", "innkalling"),
    "resultsProtocol": ("meetings:minutes_pdf", "Møteprotokoll", "protokoll"),
}


def printed_kinds(found: Meeting) -> list[str]:
    """The printed files a public meeting has: the notice once it is sent, the minutes once
    they are approved."""
    kinds = []
    if found.notice_sent_on or found.status in (
        Meeting.Status.NOTICE_SENT,
        Meeting.Status.HELD,
        Meeting.Status.MINUTES_APPROVED,
    ):
        kinds.append("invitation")
    if _approved(found):
        kinds.append("resultsProtocol")
    return kinds


def printed_file(found: Meeting, kind: str, urls: Urls) -> dict[str, Any]:
    """The meeting's printed notice or minutes as a File (`kind` one of `PRINTED`)."""
    view, title, name = PRINTED[kind]
    day = found.notice_sent_on if kind == "invitation" else found.minutes_approved_on
    url = urls.web(reverse(view, args=[found.pk]))
    return {
        "id": urls.printed(found.pk, kind),
        "type": _type("File"),
        "name": f"{title} {found}",
        "fileName": f"{name}-{found.pk}.pdf",
        "mimeType": "application/pdf",
        "date": (day or found.date).isoformat(),
        "accessUrl": url,
        "downloadUrl": url,
        "meeting": [urls.meeting(found.pk)],
        "keyword": [title],
        **_stamps(found),
    }


def agenda_item(item: AgendaItem, urls: Urls, meeting: Meeting | None = None) -> dict[str, Any]:
    """An item; a closed one with its number, title and legal basis only. The result and
    resolution once the minutes are approved (what the public may read of the minutes)."""
    meeting = meeting or item.meeting
    found: dict[str, Any] = {
        "id": urls.agenda_item(item.pk),
        "type": _type("AgendaItem"),
        "meeting": urls.meeting(item.meeting_id),
        "order": item.position,
        "name": item.title,
        "public": not item.closed,
        "web": urls.web(item.get_absolute_url()),
        **_stamps(item),
    }
    if item.number_label:
        found["number"] = item.number_label
    if item.closed:
        if item.basis_label:
            found["keyword"] = [item.basis_label]
        return found
    case = item.case
    decision = item.decision
    if (
        decision is not None
        and case is not None
        and case.published
        and case.arena is not None
        and case.arena.published
    ):
        found["consultation"] = urls.consultation(decision.pk)
    if _approved(meeting):
        if item.outcome:
            found["result"] = str(item.get_outcome_display())
        if item.decision_text:
            found["resolutionText"] = item.decision_text
    documents = getattr(item, "oparl_files", None)
    if documents:
        found["auxiliaryFile"] = [file(d, urls) for d in documents]
    return found


def meeting(found: Meeting, urls: Urls) -> dict[str, Any]:
    """A public meeting with its agenda and files embedded: the notice is `invitation`,
    the approved minutes `resultsProtocol`, the rest `auxiliaryFile`."""
    result: dict[str, Any] = {
        "id": urls.meeting(found.pk),
        "type": _type("Meeting"),
        "name": str(found),
        "meetingState": str(found.get_status_display()),
        "cancelled": found.status == Meeting.Status.CANCELLED,
        "start": _aware(found.date, found.start_time),
        "organization": [urls.body_organization(found.body_id)],
        "web": urls.web(found.get_absolute_url()),
        **_stamps(found),
    }
    if found.end_time:
        result["end"] = _aware(found.date, found.end_time)
    place = found.place or found.video_link
    result["location"] = {
        "id": urls.meeting(found.pk) + "#sted",
        "type": _type("Location"),
        "description": place,
    }
    items = getattr(found, "oparl_items", None)
    if items is None:
        items = list(found.items.select_related("case__arena", "decision").order_by("position"))
    result["agendaItem"] = [agenda_item(item, urls, found) for item in items]
    documents = getattr(found, "oparl_files", None)
    if documents is None:
        documents = []
    auxiliary = []
    for document in documents:
        if document.kind == MeetingDocument.Kind.NOTICE and "invitation" not in result:
            result["invitation"] = file(document, urls)
        elif (
            document.kind == MeetingDocument.Kind.MINUTES
            and _approved(found)
            and "resultsProtocol" not in result
        ):
            result["resultsProtocol"] = file(document, urls)
        else:
            auxiliary.append(file(document, urls))
    # without an uploaded notice or minutes, the ones the meetings app prints
    for kind in printed_kinds(found):
        result.setdefault(kind, printed_file(found, kind, urls))
    if auxiliary:
        result["auxiliaryFile"] = auxiliary
    return result
