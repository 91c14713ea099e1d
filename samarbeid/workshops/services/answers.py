"""The groups' contributions: an answer per group and question, written without an
account while the question is open (the caller has checked the group's link), at most
RATE_LIMIT submissions per link per minute."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record, update_record
from samarbeid.lib import text as textlib
from samarbeid.workshops.models import MAX_ANSWER_CHARS, MAX_THEME_CHARS, Answer, Group, Question

RATE_LIMIT = 30  # submissions per group per minute
RATE_WINDOW_SECONDS = 60


class RateLimited(Exception):
    """Too many submissions from one group link in the current minute."""


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
        # "Sist lagret" on the group's page: a versioned save writes only the fields named
        # (a queryset update), so auto_now does not stamp `updated`; the service does when
        # the answer changes (the same answer sent again writes nothing, as before)
        if any(getattr(existing, name) != value for name, value in values.items()):
            values["updated"] = timezone.now()
        update_record(existing, values, expected_version=None, actor=actor, channel=channel)
        return existing


def answer_of(group: Group, question: Question) -> Answer | None:
    return Answer.objects.filter(group=group, question=question).first()
