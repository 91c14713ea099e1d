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
- Meeting, AgendaItem, File: lists that are empty until the meetings app publishes them
  (`SEAM_LISTS`); a consultation's `meeting`/`agendaItem` and a paper's `mainFile` come then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from samarbeid.arenas.models import Arena
from samarbeid.governance.models import Case, Decision
from samarbeid.oparl.queries import MunicipalBody

SCHEMA = "https://schema.oparl.org/1.1/"
LICENSE = "https://data.norge.no/nlod/no/2.0"  # Norsk lisens for offentlige data (NLOD) 2.0

# The body's external lists that the meetings app will fill (empty until then).
SEAM_LISTS = ("person", "meeting", "agendaItem", "file", "legislativeTermList")

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
        **{part: urls.body_part(arena.pk, part) for part in SEAM_LISTS},
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
