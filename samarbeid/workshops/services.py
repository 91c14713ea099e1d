"""Workshops: the secretariat prepares and runs them; groups answer through their link.

Changes by the facilitator go through `samarbeid.core.services` with an audit entry and a
permission check (the secretariat of the workshop's arena). A group's answer is written
without an account: the group's token is the permission, checked by `group_for_token`."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_edit_arena, require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record, delete_record, update_record
from samarbeid.lib import text as textlib
from samarbeid.workshops.models import (
    MAX_ANSWER_CHARS,
    MAX_THEME_CHARS,
    Answer,
    Group,
    Participant,
    Question,
    ThemeMerge,
    ThemeOutcome,
    Workshop,
)

RATE_LIMIT = 30  # submissions per group per minute
RATE_WINDOW_SECONDS = 60
SUGGESTION_THRESHOLD = 0.45


class RateLimited(Exception):
    """Too many submissions from one group link in the current minute."""


# --- workshops ------------------------------------------------------------------------------


def _check_workshop(workshop: Workshop) -> None:
    if workshop.links_expire and workshop.links_expire < workshop.date:
        raise ValidationError(
            {"links_expire": _("Lenkene kan ikke utløpe før samlingen er holdt.")}
        )


def create_workshop(workshop: Workshop, *, actor: Actor, channel: str = Channel.PAGE) -> Workshop:
    """Register a workshop under an arena; the arena's secretariat may."""
    require(can_edit_arena(actor, workshop.arena))
    _check_workshop(workshop)
    return create_record(workshop, actor=actor, channel=channel)


def update_workshop(
    workshop: Workshop,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Workshop:
    require(can_edit_arena(actor, workshop.arena))
    if "arena" in changes:
        require(can_edit_arena(actor, changes["arena"]))
    update_record(
        workshop,
        changes,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_workshop,
    )
    return workshop


# --- groups and participants ------------------------------------------------------------------


def _new_nonce() -> tuple[str, str]:
    nonce = secrets.token_urlsafe(32)
    return nonce, Group.hash_token(Group.token_for(nonce))


def add_group(workshop: Workshop, name: str, *, actor: Actor, channel: str = Channel.PAGE) -> Group:
    """Add a group with a fresh unguessable link."""
    require(can_edit_arena(actor, workshop.arena))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Gi gruppen et navn.")})
    if workshop.groups.filter(name=name).exists():
        raise ValidationError({"name": _("Samlingen har allerede en gruppe med dette navnet.")})
    nonce, token_hash = _new_nonce()
    return create_record(
        Group(workshop=workshop, name=name, nonce=nonce, token_hash=token_hash),
        actor=actor,
        channel=channel,
    )


def renew_group_link(group: Group, *, actor: Actor, channel: str = Channel.PAGE) -> Group:
    """Give the group a new link; the old one stops working at once."""
    require(can_edit_arena(actor, group.workshop.arena))
    nonce, token_hash = _new_nonce()
    with transaction.atomic():
        Group.objects.filter(pk=group.pk).update(nonce=nonce, token_hash=token_hash)
        group.nonce, group.token_hash = nonce, token_hash
        from samarbeid.audit.models import AuditEntry
        from samarbeid.audit.services import record

        record(group, AuditEntry.Action.UPDATE, actor=actor, channel=channel, before={})
    return group


def delete_group(group: Group, *, actor: Actor, channel: str = Channel.PAGE) -> None:
    require(can_edit_arena(actor, group.workshop.arena))
    if group.answers.exists():
        raise ValidationError(_("Gruppen har levert svar og kan ikke slettes."))
    delete_record(group, actor=actor, channel=channel)


def add_participant(
    participant: Participant, *, actor: Actor, channel: str = Channel.PAGE
) -> Participant:
    require(can_edit_arena(actor, participant.workshop.arena))
    if participant.group is not None and participant.group.workshop_id != participant.workshop.pk:
        raise ValidationError({"group": _("Gruppen hører til en annen samling.")})
    return create_record(participant, actor=actor, channel=channel)


def remove_participant(
    participant: Participant, *, actor: Actor, channel: str = Channel.PAGE
) -> None:
    require(can_edit_arena(actor, participant.workshop.arena))
    delete_record(participant, actor=actor, channel=channel)


def group_for_token(token: str, *, today: date | None = None) -> Group | None:
    """The group this link belongs to, or None for a wrong, renewed or expired token.
    The lookup is by the token's hash; the final comparison runs in constant time."""
    if not token or len(token) > 100:
        return None
    group = (
        Group.objects.select_related("workshop__arena")
        .filter(token_hash=Group.hash_token(token))
        .first()
    )
    if group is None or not hmac.compare_digest(group.token, token):
        return None
    if not group.workshop.links_valid_on(today or timezone.localdate()):
        return None
    return group


# --- questions ----------------------------------------------------------------------------------


def _check_question(question: Question) -> None:
    errors: dict[str, str] = {}
    if question.kind == Question.Kind.RANKED and question.max_themes < question.min_themes:
        errors["max_themes"] = _("Høyst antall temaer kan ikke være mindre enn minst antall.")
    if question.kind == Question.Kind.PROS_CONS and not question.alternative_list():
        errors["alternatives"] = _("Skriv minst ett alternativ, ett per linje.")
    if len(question.alternative_list()) > 10:
        errors["alternatives"] = _("Høyst 10 alternativer.")
    if errors:
        raise ValidationError(errors)


def create_question(question: Question, *, actor: Actor, channel: str = Channel.PAGE) -> Question:
    require(can_edit_arena(actor, question.workshop.arena))
    _check_question(question)
    return create_record(question, actor=actor, channel=channel)


def update_question(
    question: Question,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Question:
    """Change a question. Its kind cannot change once groups have answered."""
    require(can_edit_arena(actor, question.workshop.arena))
    if "kind" in changes and changes["kind"] != question.kind and question.answers.exists():
        raise ValidationError({"kind": _("Grupper har svart; typen kan ikke endres.")})
    update_record(
        question,
        changes,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_question,
    )
    return question


def set_question_status(
    question: Question,
    status: str,
    *,
    expected_version: int | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Question:
    """Open a question for answers, or close it (closed refuses new answers; it can be
    reopened)."""
    if status not in Question.Status.values:
        raise ValidationError({"status": _("Ukjent status.")})
    return update_question(
        question,
        {"status": status},
        expected_version=expected_version,
        actor=actor,
        channel=channel,
    )


# --- answers ------------------------------------------------------------------------------------


def check_rate(group: Group) -> None:
    """At most RATE_LIMIT submissions per group link per minute (a cache counter)."""
    window = int(timezone.now().timestamp()) // RATE_WINDOW_SECONDS
    key = f"workshops:rate:{group.pk}:{window}"
    if cache.add(key, 1, RATE_WINDOW_SECONDS + 5):
        return
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, RATE_WINDOW_SECONDS + 5)
        return
    if count > RATE_LIMIT:
        raise RateLimited


def _clean_themes(question: Question, themes: list[str]) -> list[str]:
    cleaned: list[str] = []
    seen: set[str] = set()
    for raw in themes:
        label = " ".join(str(raw).split())
        if not label:
            continue
        if len(label) > MAX_THEME_CHARS:
            raise ValidationError(
                {"themes": _("Et tema kan ha høyst %(n)d tegn.") % {"n": MAX_THEME_CHARS}}
            )
        key = textlib.normalise(label)
        if key in seen:
            raise ValidationError({"themes": _("Samme tema er oppgitt to ganger.")})
        seen.add(key)
        cleaned.append(label)
    if len(cleaned) > question.max_themes:
        raise ValidationError(
            {"themes": _("Oppgi høyst %(n)d temaer.") % {"n": question.max_themes}}
        )
    if len(cleaned) < question.min_themes:
        raise ValidationError(
            {"themes": _("Oppgi minst %(n)d temaer.") % {"n": question.min_themes}}
        )
    return cleaned


def _clean_pros_cons(question: Question, items: list[dict[str, str]]) -> list[dict[str, str]]:
    alternatives = question.alternative_list()
    if len(items) != len(alternatives):
        raise ValidationError({"pros_cons": _("Svar på hvert alternativ.")})
    cleaned: list[dict[str, str]] = []
    for item in items:
        pros = str(item.get("pros", "")).strip()
        cons = str(item.get("cons", "")).strip()
        if len(pros) > MAX_ANSWER_CHARS or len(cons) > MAX_ANSWER_CHARS:
            raise ValidationError(
                {"pros_cons": _("Høyst %(n)d tegn per felt.") % {"n": MAX_ANSWER_CHARS}}
            )
        cleaned.append({"pros": pros, "cons": cons})
    if not any(i["pros"] or i["cons"] for i in cleaned):
        raise ValidationError({"pros_cons": _("Skriv minst én fordel eller ulempe.")})
    return cleaned


def submit_answer(
    group: Group,
    question: Question,
    *,
    text: str = "",
    themes: list[str] | None = None,
    pros_cons: list[dict[str, str]] | None = None,
    actor: Actor = None,
    channel: str = Channel.PAGE,
) -> Answer:
    """Save (or replace) the group's answer while the question is open. The group's link
    is the permission; the caller has resolved it with `group_for_token`."""
    if question.workshop_id != group.workshop_id:
        raise ValidationError(_("Spørsmålet hører til en annen samling."))
    fresh = Question.objects.get(pk=question.pk)
    if fresh.status != Question.Status.OPEN:
        raise ValidationError(_("Spørsmålet er lukket for svar."))
    values: dict[str, Any] = {"text": "", "themes": [], "pros_cons": []}
    if fresh.kind == Question.Kind.OPEN:
        cleaned = text.strip()
        if not cleaned:
            raise ValidationError({"text": _("Skriv et svar.")})
        if len(cleaned) > MAX_ANSWER_CHARS:
            raise ValidationError(
                {"text": _("Svaret kan ha høyst %(n)d tegn.") % {"n": MAX_ANSWER_CHARS}}
            )
        values["text"] = cleaned
    elif fresh.kind == Question.Kind.RANKED:
        values["themes"] = _clean_themes(fresh, themes or [])
    else:
        values["pros_cons"] = _clean_pros_cons(fresh, pros_cons or [])
    with transaction.atomic():
        existing = Answer.objects.select_for_update().filter(question=fresh, group=group).first()
        if existing is None:
            try:
                with transaction.atomic():
                    return create_record(
                        Answer(question=fresh, group=group, **values),
                        actor=actor,
                        channel=channel,
                    )
            except (IntegrityError, ValidationError) as exc:
                existing = Answer.objects.filter(question=fresh, group=group).first()
                if existing is None:
                    raise exc from None
        update_record(existing, values, expected_version=None, actor=actor, channel=channel)
        return existing


def answer_of(group: Group, question: Question) -> Answer | None:
    return Answer.objects.filter(group=group, question=question).first()


# --- aggregation --------------------------------------------------------------------------------


@dataclass
class ThemeResult:
    """One theme on the plenary: the label, the groups that chose it and its Borda score."""

    label: str
    groups: int
    borda: int
    variants: list[str] = field(default_factory=list)
    outcomes: list[ThemeOutcome] = field(default_factory=list)


def merge_map(question: Question) -> dict[str, str]:
    return {m.source: m.target for m in question.merges.all()}


def ranked_results(question: Question) -> list[ThemeResult]:
    """Each theme (after the facilitator's merges) with how many groups chose it and its
    Borda score (a theme in place 1 of N gets N points, place N gets 1), sorted by groups,
    then score, then label."""
    from samarbeid.lib.ranking import GroupRanking, aggregate

    answers = list(question.answers.select_related("group").order_by("group__name"))
    rankings = [GroupRanking(group=a.group.name, themes=tuple(a.themes)) for a in answers]
    # The facilitator may have lowered the maximum after some groups answered.
    max_rank = max([question.max_themes, *(len(a.themes) for a in answers)])
    scores = aggregate(rankings, merge_map(question), max_rank)
    outcomes: dict[str, list[ThemeOutcome]] = {}
    for outcome in question.outcomes.select_related("project", "proposal"):
        outcomes.setdefault(outcome.theme, []).append(outcome)
    return [
        ThemeResult(
            label=score.label,
            groups=score.groups,
            borda=score.borda,
            variants=list(score.variants),
            outcomes=outcomes.get(score.label, []),
        )
        for score in scores
    ]


def all_theme_labels(question: Question) -> list[str]:
    """Every distinct theme label the groups wrote (before merging), in first-seen order."""
    labels: dict[str, None] = {}
    for answer in question.answers.order_by("group__name"):
        for theme in answer.themes:
            labels.setdefault(theme, None)
    return list(labels)


def merge_suggestions(
    question: Question, threshold: float = SUGGESTION_THRESHOLD
) -> list[tuple[str, str, float]]:
    """Pairs of (merged) themes that look alike, most alike first."""
    labels = [r.label for r in ranked_results(question)]
    return [
        (labels[i], labels[j], score) for i, j, score in textlib.similarity_pairs(labels, threshold)
    ]


def merge_themes(
    question: Question, source: str, target: str, *, actor: Actor, channel: str = Channel.PAGE
) -> ThemeMerge:
    """Count theme `source` as `target` from now on. Refuses a merge that would make a
    cycle, and themes nobody wrote."""
    from samarbeid.lib.ranking import resolve_merges

    require(can_edit_arena(actor, question.workshop.arena))
    if question.kind != Question.Kind.RANKED:
        raise ValidationError(_("Bare temaer i rangerte spørsmål kan slås sammen."))
    source, target = source.strip(), target.strip()
    merges = merge_map(question)
    known = {textlib.normalise(label) for label in [*all_theme_labels(question), *merges.values()]}
    if textlib.normalise(source) not in known:
        raise ValidationError({"source": _("Ukjent tema.")})
    if textlib.normalise(target) not in known:
        raise ValidationError({"target": _("Ukjent tema.")})
    if textlib.normalise(source) == textlib.normalise(target):
        raise ValidationError({"target": _("Et tema kan ikke slås sammen med seg selv.")})
    if textlib.normalise(source) in {textlib.normalise(s) for s in merges}:
        raise ValidationError({"source": _("Temaet er allerede slått sammen med et annet.")})
    merges[source] = target
    try:
        resolve_merges(merges)
    except ValueError:
        raise ValidationError(
            {"target": _("Sammenslåingen ville gått i ring; angre en tidligere først.")}
        ) from None
    return create_record(
        ThemeMerge(question=question, source=source, target=target), actor=actor, channel=channel
    )


def undo_merge(merge: ThemeMerge, *, actor: Actor, channel: str = Channel.PAGE) -> None:
    require(can_edit_arena(actor, merge.question.workshop.arena))
    delete_record(merge, actor=actor, channel=channel)


@dataclass
class ProsConsRow:
    alternative: str
    pros: list[tuple[str, str]]  # (group name, text)
    cons: list[tuple[str, str]]


def pros_cons_results(question: Question) -> list[ProsConsRow]:
    rows = [ProsConsRow(alternative=a, pros=[], cons=[]) for a in question.alternative_list()]
    for answer in question.answers.select_related("group").order_by("group__name"):
        for index, item in enumerate(answer.pros_cons[: len(rows)]):
            if item.get("pros"):
                rows[index].pros.append((answer.group.name, item["pros"]))
            if item.get("cons"):
                rows[index].cons.append((answer.group.name, item["cons"]))
    return rows


# --- from theme to work -------------------------------------------------------------------------


def _theme_exists(question: Question, theme: str) -> bool:
    return theme in {r.label for r in ranked_results(question)}


def theme_to_project(
    question: Question,
    theme: str,
    *,
    code: str,
    title: str = "",
    actor: Actor,
    channel: str = Channel.PAGE,
) -> ThemeOutcome:
    """Turn a prioritised theme into a project idea under the workshop's arena, linked back
    to the question."""
    from samarbeid.portfolio.models import Project
    from samarbeid.portfolio.services import create_project

    workshop = question.workshop
    require(can_edit_arena(actor, workshop.arena))
    if not _theme_exists(question, theme):
        raise ValidationError({"theme": _("Ukjent tema.")})
    description = _("Prioritert tema fra gruppearbeidet på %(w)s, spørsmål %(q)s.") % {
        "w": workshop,
        "q": question,
    }
    with transaction.atomic():
        project = create_project(
            Project(
                arena=workshop.arena,
                code=code.strip(),
                title=(title.strip() or theme)[:200],
                status="idea",
                description=description,
                is_example_data=workshop.is_example_data,
            ),
            actor=actor,
            channel=channel,
            changed_on=workshop.date,
            reason=_("Fra samlingen %(w)s") % {"w": workshop},
        )
        return create_record(
            ThemeOutcome(question=question, theme=theme, project=project),
            actor=actor,
            channel=channel,
        )


def theme_to_proposal(
    question: Question,
    theme: str,
    *,
    title: str = "",
    actor: Actor,
    channel: str = Channel.PAGE,
) -> ThemeOutcome:
    """Turn a prioritised theme into a cooperation proposal (checked later against the
    criteria), linked back to the question."""
    from samarbeid.review.models import CooperationProposal
    from samarbeid.review.services.proposals import create_proposal

    workshop = question.workshop
    require(can_edit_arena(actor, workshop.arena))
    results = {r.label: r for r in ranked_results(question)}
    if theme not in results:
        raise ValidationError({"theme": _("Ukjent tema.")})
    result = results[theme]
    need = _("%(n)d grupper prioriterte temaet «%(t)s» på %(w)s (spørsmål %(q)s).") % {
        "n": result.groups,
        "t": theme,
        "w": workshop,
        "q": question,
    }
    with transaction.atomic():
        proposal = create_proposal(
            CooperationProposal(
                title=(title.strip() or theme)[:200],
                need=need,
                arena=workshop.arena,
                source=(_("Samling: %(w)s") % {"w": workshop})[:200],
                is_example_data=workshop.is_example_data,
            ),
            actor=actor,
            channel=channel,
        )
        return create_record(
            ThemeOutcome(question=question, theme=theme, proposal=proposal),
            actor=actor,
            channel=channel,
        )


OUTCOME_KINDS = ("project", "proposal")


def theme_to_outcome(
    question: Question,
    theme: str,
    *,
    kind: str,
    code: str = "",
    title: str = "",
    actor: Actor,
    channel: str = Channel.PAGE,
) -> ThemeOutcome:
    """Turn a prioritised theme into a project idea (`kind` "project", needs a `code`) or a
    cooperation proposal ("proposal"). The page's form and the API both come here."""
    require(can_edit_arena(actor, question.workshop.arena))
    if kind not in OUTCOME_KINDS:
        raise ValidationError({"kind": _("Ukjent type.")})
    if kind == "project":
        if not code.strip():
            raise ValidationError({"code": _("Oppgi en prosjektkode.")})
        return theme_to_project(
            question, theme, code=code, title=title, actor=actor, channel=channel
        )
    return theme_to_proposal(question, theme, title=title, actor=actor, channel=channel)


def hide_unseen_outcomes(results: list[ThemeResult], user: object) -> list[ThemeResult]:
    """Drop links to projects and proposals this user may not see (unpublished ones)."""
    from samarbeid.portfolio.models import Project
    from samarbeid.review.models import CooperationProposal

    outcomes = [o for r in results for o in r.outcomes]
    if not outcomes:
        return results
    projects = set(
        Project.objects.visible_to(user)
        .filter(pk__in=[o.project_id for o in outcomes if o.project_id])
        .values_list("pk", flat=True)
    )
    proposals = set(
        CooperationProposal.objects.visible_to(user)
        .filter(pk__in=[o.proposal_id for o in outcomes if o.proposal_id])
        .values_list("pk", flat=True)
    )
    for result in results:
        result.outcomes = [
            o for o in result.outcomes if o.project_id in projects or o.proposal_id in proposals
        ]
    return results
