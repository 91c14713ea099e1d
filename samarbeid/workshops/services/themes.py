"""Themes after the plenary, for the minutes: merging the groups' themes (and undoing it)
and turning a prioritised theme into a project idea or a cooperation proposal."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_edit_arena, require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.linked_text import LinkedText
from samarbeid.core.services import create_record, delete_record
from samarbeid.lib import text as textlib
from samarbeid.lib.ranking import resolve_merges
from samarbeid.portfolio.models import Project
from samarbeid.portfolio.services import create_project
from samarbeid.review.models import CooperationProposal
from samarbeid.review.services.proposals import create_proposal
from samarbeid.workshops.models import Question, ThemeMerge, ThemeOutcome
from samarbeid.workshops.services.plenary import (
    ThemeResult,
    all_theme_labels,
    merge_map,
    ranked_results,
)

SUGGESTION_THRESHOLD = 0.45


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


def undo_merge(
    merge: ThemeMerge,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    expected_version: int | None = None,
) -> None:
    require(can_edit_arena(actor, merge.question.workshop.arena))
    delete_record(merge, actor=actor, channel=channel, expected_version=expected_version)


# --- from theme to work -------------------------------------------------------------------------


def _prioritised(question: Question, theme: str, actor: Actor) -> ThemeResult:
    """The theme among the question's prioritised themes, for the secretariat of the
    workshop's arena (403); a theme not there is refused (422)."""
    require(can_edit_arena(actor, question.workshop.arena))
    for result in ranked_results(question):
        if result.label == theme:
            return result
    raise ValidationError({"theme": _("Ukjent tema.")})


def project_description(question: Question, theme: str) -> str:
    """What a project made from a theme says of where it came from: the theme, the workshop
    and the question's whole text (never cut)."""
    return "\n\n".join(
        [
            _("Prioritert tema fra gruppearbeidet på %(w)s: «%(t)s».")
            % {"w": question.workshop, "t": theme},
            _("Spørsmålet: %(q)s") % {"q": _asked(question)},
        ]
    )


def _asked(question: Question) -> str:
    """The question as asked, whole (its str is cut at 80 characters, for lists)."""
    asked = f"{question.label}. {question.text}" if question.label else question.text
    return asked.strip()


def _not_made_yet(question: Question, theme: str, kind: str) -> None:
    """Refuse a theme's second project (or second proposal): a clerk's trial made one twice
    without a word. The question's row is locked, so two clicks at once make one."""
    Question.objects.select_for_update().filter(pk=question.pk).first()
    made = (
        ThemeOutcome.objects.filter(question=question, theme=theme, **{f"{kind}__isnull": False})
        .select_related(kind)
        .first()
    )
    if made is None:
        return
    message = (
        _("Temaet «%(t)s» er allerede gjort om til prosjektidéen %(p)s.")
        if kind == "project"
        else _("Temaet «%(t)s» er allerede gjort om til samarbeidsforslaget %(p)s.")
    ) % {"t": theme, "p": made.target}
    url = made.target_url()
    raise ValidationError(
        {"theme": LinkedText(message, url, _("Se den")) if url else message}, code="made"
    )


def theme_to_project(
    question: Question,
    theme: str,
    *,
    code: str,
    title: str = "",
    start: date | None = None,
    end: date | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
    is_example_data: bool = False,
) -> ThemeOutcome:
    """Turn a prioritised theme into a project idea under the workshop's arena, linked back
    to the question (`ThemeOutcome`: the project's origin). Its period runs from `start`
    (default: the workshop's date) to `end` (open when None). A theme already made into a
    project is refused (ValidationError on `theme`, linking to it). The project is the
    user's, not example data, even from the demo's workshop: only the demo says
    `is_example_data`."""

    _prioritised(question, theme, actor)
    workshop = question.workshop
    with transaction.atomic():
        _not_made_yet(question, theme, "project")
        project = create_project(
            Project(
                arena=workshop.arena,
                code=code.strip(),
                title=title.strip() or theme,
                status="idea",
                description=project_description(question, theme),
                start=start or workshop.date,
                end=end,
                is_example_data=is_example_data,
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
    is_example_data: bool = False,
) -> ThemeOutcome:
    """Turn a prioritised theme into a cooperation proposal (checked later against the
    criteria), linked back to the question. A second proposal from the theme is refused;
    the proposal is the user's (example data only when the demo says so)."""

    result = _prioritised(question, theme, actor)
    workshop = question.workshop
    need = _("%(n)d grupper prioriterte temaet «%(t)s» på %(w)s (spørsmål %(q)s).") % {
        "n": result.groups,
        "t": theme,
        "w": workshop,
        "q": _asked(question),
    }
    with transaction.atomic():
        _not_made_yet(question, theme, "proposal")
        proposal = create_proposal(
            CooperationProposal(
                title=(title.strip() or theme)[:200],
                need=need,
                arena=workshop.arena,
                source=(_("Samling: %(w)s") % {"w": workshop})[:200],
                is_example_data=is_example_data,
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
    start: date | None = None,
    end: date | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> ThemeOutcome:
    """Turn a prioritised theme into a project idea (`kind` "project", needs a `code`; its
    period `start`–`end`) or a cooperation proposal ("proposal"). The page's form and the
    API both come here."""
    require(can_edit_arena(actor, question.workshop.arena))
    if kind not in OUTCOME_KINDS:
        raise ValidationError({"kind": _("Ukjent type.")})
    if kind == "project":
        if not code.strip():
            raise ValidationError({"code": _("Oppgi en prosjektkode.")})
        return theme_to_project(
            question,
            theme,
            code=code,
            title=title,
            start=start,
            end=end,
            actor=actor,
            channel=channel,
        )
    return theme_to_proposal(question, theme, title=title, actor=actor, channel=channel)
