"""Workshop pages: the facilitator's (the secretariat of the arena), the groups' own page
reached through their link, the plenary for the projector and the summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from samarbeid.accounts.permissions import can_edit_arena, is_any_secretariat, require
from samarbeid.core.forms import (
    MISSING_VERSION,
    apply_validation_error,
    edit_page,
    form_page,
    post_action,
    submit,
)
from samarbeid.core.paging import CountCachedPaginator
from samarbeid.core.pdf import html_to_pdf
from samarbeid.workshops.forms import (
    GroupForm,
    MergeForm,
    OutcomeForm,
    ParticipantForm,
    ProsConsAnswerForm,
    QuestionForm,
    RankedAnswerForm,
    WorkshopForm,
    answer_form,
)
from samarbeid.workshops.models import Group, Participant, Question, ThemeMerge, Workshop
from samarbeid.workshops.services.answers import RateLimited, check_rate, submit_answer
from samarbeid.workshops.services.groups import (
    add_group,
    add_participant,
    delete_group,
    group_for_token,
    remove_participant,
    renew_group_link,
)
from samarbeid.workshops.services.plenary import (
    all_theme_labels,
    hide_unseen_outcomes,
    pros_cons_results,
    ranked_results,
)
from samarbeid.workshops.services.themes import (
    merge_suggestions,
    merge_themes,
    theme_to_outcome,
    undo_merge,
)
from samarbeid.workshops.services.workshops import (
    create_question,
    create_workshop,
    set_question_status,
    update_question,
    update_workshop,
)


def _posted_version(request: HttpRequest) -> int | None:
    """The version a delete button showed. None when it sent none: the caller refuses (a
    delete without it could remove what someone else saved since)."""
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


def _delete(
    request: HttpRequest, delete: Callable[[int], Any], *, success: str, then: Any
) -> HttpResponse:
    """A delete button's POST, with the version it showed (refused without one)."""
    version = _posted_version(request)
    if version is None:
        messages.error(request, MISSING_VERSION)
        return redirect(then)
    return post_action(request, lambda: delete(version), success=success, then=then)


def visible_workshop(request: HttpRequest, pk: int) -> Workshop:
    return get_object_or_404(
        Workshop.objects.visible_to(request.user).select_related("arena"), pk=pk
    )


def visible_question(request: HttpRequest, pk: int) -> Question:
    question = get_object_or_404(Question.objects.select_related("workshop__arena"), pk=pk)
    visible_workshop(request, question.workshop_id)
    return question


def editable_workshop(request: HttpRequest, pk: int) -> Workshop:
    workshop = visible_workshop(request, pk)
    require(can_edit_arena(request.user, workshop.arena))
    return workshop


def editable_question(request: HttpRequest, pk: int) -> Question:
    question = visible_question(request, pk)
    require(can_edit_arena(request.user, question.workshop.arena))
    return question


def _in_workshop(form: Any, workshop: Workshop) -> Any:
    """The form's new record (a participant, a question), in this workshop."""
    record = form.save(commit=False)
    record.workshop = workshop
    return record


# --- workshops ----------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    workshops = (
        Workshop.objects.visible_to(request.user)
        .select_related("arena")
        .annotate(group_count=Count("groups", distinct=True))
        .order_by("-date", "title")
    )
    page = CountCachedPaginator(workshops, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "workshops/index.html",
        {"page": page, "can_create": is_any_secretariat(request.user)},
    )


@login_required
def workshop_create(request: HttpRequest) -> HttpResponse:
    if not is_any_secretariat(request.user):
        raise PermissionDenied
    form = WorkshopForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: create_workshop(form.save(commit=False), actor=request.user),
        success=_("Samlingen er registrert."),
        template="workshops/workshop_form.html",
        context={"workshop": None},
    )


@login_required
def workshop_edit(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = editable_workshop(request, pk)
    return edit_page(
        request,
        WorkshopForm(request.POST or None, instance=workshop),
        update_workshop,
        success=_("Endringene er lagret."),
        template="workshops/workshop_form.html",
        context={"workshop": workshop},
    )


def workshop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = visible_workshop(request, pk)
    can_edit = can_edit_arena(request.user, workshop.arena)
    return render(
        request,
        "workshops/workshop_detail.html",
        {
            "workshop": workshop,
            "can_edit": can_edit,
            "groups": workshop.groups.annotate(answer_count=Count("answers")).order_by(
                "name", "id"
            ),
            "participants": workshop.participants.select_related("municipality", "group"),
            "questions": workshop.questions.annotate(answer_count=Count("answers")).order_by(
                "order", "id"
            ),
        },
    )


# --- groups, links and QR codes -----------------------------------------------------------------


@login_required
def group_create(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = editable_workshop(request, pk)
    form = GroupForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: add_group(workshop, form.cleaned_data["name"], actor=request.user),
        success=_("Gruppen er lagt til."),
        template="workshops/group_form.html",
        context={"workshop": workshop},
        then=workshop,
    )


def _facilitator_group(request: HttpRequest, pk: int) -> Group:
    group = get_object_or_404(Group.objects.select_related("workshop__arena"), pk=pk)
    visible_workshop(request, group.workshop_id)
    require(can_edit_arena(request.user, group.workshop.arena))
    return group


@login_required
@require_POST
def group_renew(request: HttpRequest, pk: int) -> HttpResponse:
    group = _facilitator_group(request, pk)
    renew_group_link(group, actor=request.user)
    messages.success(request, _("Gruppen har fått ny lenke; den gamle virker ikke lenger."))
    return redirect("workshops:links", group.workshop_id)


@login_required
@require_POST
def group_delete(request: HttpRequest, pk: int) -> HttpResponse:
    group = _facilitator_group(request, pk)
    return _delete(
        request,
        lambda version: delete_group(group, actor=request.user, expected_version=version),
        success=_("Gruppen er slettet."),
        then=group.workshop,
    )


@login_required
def links(request: HttpRequest, pk: int) -> HttpResponse:
    """The groups' links and QR codes, for the projector. Only the facilitator sees them."""
    workshop = editable_workshop(request, pk)
    groups = [
        (group, request.build_absolute_uri(group.get_group_url()))
        for group in workshop.groups.all()
    ]
    return render(request, "workshops/links.html", {"workshop": workshop, "groups": groups})


@login_required
@never_cache
def group_qr(request: HttpRequest, pk: int) -> HttpResponse:
    group = _facilitator_group(request, pk)
    url = request.build_absolute_uri(group.get_group_url())
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    return HttpResponse(image.to_string(), content_type="image/svg+xml")


# --- participants -------------------------------------------------------------------------------


@login_required
def participant_create(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = editable_workshop(request, pk)
    form = ParticipantForm(request.POST or None, workshop=workshop)
    return form_page(
        request,
        form,
        lambda: add_participant(_in_workshop(form, workshop), actor=request.user),
        success=_("Deltakeren er lagt til."),
        template="workshops/participant_form.html",
        context={"workshop": workshop},
        then=(
            reverse("workshops:participant_create", args=[workshop.pk])
            if "again" in request.POST
            else workshop
        ),
    )


@login_required
@require_POST
def participant_delete(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_object_or_404(Participant.objects.select_related("workshop__arena"), pk=pk)
    visible_workshop(request, participant.workshop_id)
    return _delete(
        request,
        lambda version: remove_participant(
            participant, actor=request.user, expected_version=version
        ),
        success=_("Deltakeren er fjernet."),
        then=participant.workshop,
    )


# --- questions ----------------------------------------------------------------------------------


@login_required
def question_create(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = editable_workshop(request, pk)
    initial = {"order": workshop.questions.count() + 1}
    form = QuestionForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda: create_question(_in_workshop(form, workshop), actor=request.user),
        success=_("Spørsmålet er lagt til."),
        template="workshops/question_form.html",
        context={"workshop": workshop, "question": None},
        then=workshop,
    )


@login_required
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = editable_question(request, pk)
    return edit_page(
        request,
        QuestionForm(request.POST or None, instance=question),
        update_question,
        success=_("Spørsmålet er lagret."),
        template="workshops/question_form.html",
        context={"workshop": question.workshop, "question": question},
        then=lambda saved: saved.workshop,
    )


@login_required
@require_POST
def question_status(request: HttpRequest, pk: int) -> HttpResponse:
    question = editable_question(request, pk)
    return post_action(
        request,
        lambda: set_question_status(question, request.POST.get("status", ""), actor=request.user),
        success=lambda: _("Spørsmålet er nå: %(s)s.") % {"s": question.get_status_display()},
        then=(
            question.get_absolute_url()
            if request.POST.get("next") == "plenary"
            else question.workshop
        ),
    )


# --- the group's page ---------------------------------------------------------------------------


def _group_or_404(token: str) -> Group:
    group = group_for_token(token)
    if group is None:
        raise Http404
    return group


@never_cache
def group_page(request: HttpRequest, token: str) -> HttpResponse:
    """The group's own page: the open questions of its workshop, with its own answers."""
    group = _group_or_404(token)
    workshop = group.workshop
    questions = list(workshop.questions.exclude(status=Question.Status.DRAFT))
    answers = {a.question_id: a for a in group.answers.all()}
    posted_id = None
    posted_form: Any = None
    status = 200
    if request.method == "POST":
        try:
            posted_id = int(request.POST.get("question", ""))
        except ValueError:
            posted_id = None
        question = next((q for q in questions if q.pk == posted_id), None)
        if question is None:
            raise Http404
        try:
            check_rate(group)
        except RateLimited:
            return render(request, "workshops/rate_limited.html", {"group": group}, status=429)
        posted_form = answer_form(question, answers.get(question.pk), request.POST)
        if posted_form.is_valid():
            try:
                if isinstance(posted_form, RankedAnswerForm):
                    submit_answer(group, question, themes=posted_form.themes())
                elif isinstance(posted_form, ProsConsAnswerForm):
                    submit_answer(group, question, pros_cons=posted_form.items())
                else:
                    submit_answer(group, question, text=posted_form.cleaned_data["text"])
            except ValidationError as exc:
                apply_validation_error(posted_form, exc)
            else:
                messages.success(
                    request, _("Svaret er lagret. Dere kan endre det til spørsmålet lukkes.")
                )
                return redirect(f"{group.get_group_url()}#q{question.pk}")
        status = 422
    items = []
    for question in questions:
        answer = answers.get(question.pk)
        form = posted_form if question.pk == posted_id else answer_form(question, answer)
        rows = (
            list(zip(question.alternative_list(), answer.pros_cons, strict=False)) if answer else []
        )
        items.append({"question": question, "answer": answer, "form": form, "rows": rows})
    response = render(
        request,
        "workshops/group_page.html",
        {"group": group, "workshop": workshop, "items": items},
        status=status,
    )
    response["X-Robots-Tag"] = "noindex"
    return response


# --- the plenary --------------------------------------------------------------------------------


def _plenary_context(question: Question, user: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "question": question,
        "group_count": question.workshop.groups.count(),
        "answer_count": question.answers.count(),
    }
    if question.kind == Question.Kind.RANKED:
        context["results"] = hide_unseen_outcomes(ranked_results(question), user)
    elif question.kind == Question.Kind.PROS_CONS:
        context["pros_cons"] = pros_cons_results(question)
    else:
        context["answers"] = question.answers.select_related("group").order_by("group__name")
    return context


def plenary(request: HttpRequest, pk: int) -> HttpResponse:
    question = visible_question(request, pk)
    context = _plenary_context(question, request.user)
    context["can_edit"] = can_edit_arena(request.user, question.workshop.arena)
    context["siblings"] = question.workshop.questions.all()
    return render(request, "workshops/plenary.html", context)


@never_cache
def plenary_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The part of the plenary page htmx reloads every few seconds."""
    question = visible_question(request, pk)
    return render(
        request, "workshops/_plenary_results.html", _plenary_context(question, request.user)
    )


# --- themes: merging and turning into work ------------------------------------------------------


@login_required
def themes(request: HttpRequest, pk: int) -> HttpResponse:
    question = editable_question(request, pk)
    if question.kind != Question.Kind.RANKED:
        raise Http404
    results = ranked_results(question)
    labels = sorted({r.label for r in results} | set(all_theme_labels(question)))
    merge_form = MergeForm(request.POST or None, labels=labels, prefix="merge")
    outcome_form = OutcomeForm(request.POST or None, prefix="out")
    action = request.POST.get("action")
    if request.method == "POST":
        if action == "merge":
            merged = submit(
                request,
                merge_form,
                lambda: merge_themes(
                    question,
                    merge_form.cleaned_data["source"],
                    merge_form.cleaned_data["target"],
                    actor=request.user,
                ),
                _("Temaene er slått sammen."),
            )
            if merged.done:
                return redirect("workshops:themes", question.pk)
        elif action == "undo":
            merge = get_object_or_404(ThemeMerge, pk=request.POST.get("merge"), question=question)
            return _delete(
                request,
                lambda version: undo_merge(merge, actor=request.user, expected_version=version),
                success=_("Sammenslåingen er angret."),
                then=reverse("workshops:themes", args=[question.pk]),
            )
        elif action == "outcome":

            def make_outcome() -> Any:
                data = outcome_form.cleaned_data
                return theme_to_outcome(
                    question,
                    data["theme"],
                    kind=data["kind"],
                    code=data["code"],
                    title=data["title"],
                    start=data["start"],
                    end=data["end"],
                    actor=request.user,
                )

            made = submit(
                request,
                outcome_form,
                make_outcome,
                lambda outcome: _("Opprettet: %(t)s.") % {"t": outcome.target},
            )
            if made.done:
                return redirect("workshops:themes", question.pk)
        else:
            raise Http404
    suggestions = merge_suggestions(question)
    # a refused row keeps what was typed and shows its errors where it was typed
    failed = outcome_form.data.get("out-theme") if action == "outcome" else None
    failed_theme = failed if failed and outcome_form.errors else None
    if failed_theme not in {r.label for r in results}:
        failed_theme = None
    return render(
        request,
        "workshops/themes.html",
        {
            "question": question,
            "results": results,
            "failed_theme": failed_theme,
            "suggestions": suggestions,
            "merges": question.merges.all(),
            "merge_form": merge_form,
            "outcome_form": outcome_form,
            "action": action,
        },
    )


# --- summary ------------------------------------------------------------------------------------


def _summary_context(workshop: Workshop, user: Any) -> dict[str, Any]:
    sections = []
    for question in workshop.questions.all():
        sections.append(_plenary_context(question, user))
    return {
        "workshop": workshop,
        "sections": sections,
        "groups": workshop.groups.all(),
        "participants": workshop.participants.select_related("municipality", "group"),
    }


def summary(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = visible_workshop(request, pk)
    return render(request, "workshops/summary.html", _summary_context(workshop, request.user))


def summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = visible_workshop(request, pk)
    html = render_to_string(
        "workshops/summary_pdf.html", _summary_context(workshop, request.user), request
    )
    css = (
        "@page { size: A4; margin: 18mm; } body { font-family: sans-serif; font-size: 10pt; }"
        "table { border-collapse: collapse; width: 100%; } "
        "th, td { border: 1px solid #999; padding: 3px 5px; text-align: left; "
        "vertical-align: top; } h1 { font-size: 16pt; } h2 { font-size: 13pt; }"
    )
    pdf = html_to_pdf(html, base_url=request.build_absolute_uri("/"), css=css)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="samling-{workshop.pk}.pdf"'
    return response
