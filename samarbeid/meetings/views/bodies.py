"""The pages of an arena's bodies and their members."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from samarbeid.accounts.permissions import can_edit_arena
from samarbeid.arenas.access import visible_arena
from samarbeid.core.forms import confirm_delete, edit_page, form_page
from samarbeid.core.public_cache import public_cache
from samarbeid.meetings.forms import BodyForm, MemberForm
from samarbeid.meetings.models import Body, BodyMember, Meeting
from samarbeid.meetings.services.bodies import (
    add_member,
    body_delete_refusal,
    create_body,
    delete_body,
    delete_member,
    member_delete_refusal,
    update_body,
    update_member,
)
from samarbeid.meetings.views.common import editable_body, require_writer, visible_body

MEETINGS_SHOWN = 50


def _member(request: HttpRequest, pk: int) -> BodyMember:
    member = get_object_or_404(BodyMember.objects.select_related("municipality"), pk=pk)
    member.body = visible_body(request, member.body_id)
    return member


def _editable_member(request: HttpRequest, pk: int) -> BodyMember:
    """The member `pk` for a writer of its body's arena: 404 to whom may not see it, 403
    else."""
    member = _member(request, pk)
    require_writer(request, member.body.arena)
    return member


@require_safe
def body_list(request: HttpRequest, arena_pk: int) -> HttpResponse:
    arena = visible_arena(request.user, arena_pk)
    bodies = (
        Body.objects.visible_to(request.user)
        .filter(arena=arena)
        .annotate(meeting_count=Count("meetings"))
    )
    meetings = (
        Meeting.objects.visible_to(request.user)
        .filter(body__arena=arena)
        .select_related("body")[:MEETINGS_SHOWN]
    )
    return render(
        request,
        "meetings/body_list.html",
        {
            "arena": arena,
            "bodies": bodies,
            "meetings": meetings,
            "can_edit": can_edit_arena(request.user, arena),
        },
    )


@require_safe
@public_cache
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    body = visible_body(request, pk)
    return render(
        request,
        "meetings/body_detail.html",
        {
            "body": body,
            "arena": body.arena,
            "members": body.members.select_related("municipality").prefetch_related(
                "municipality__successor_links"
            ),
            "meetings": Meeting.objects.visible_to(request.user).filter(body=body)[:MEETINGS_SHOWN],
            "can_edit": can_edit_arena(request.user, body.arena),
        },
    )


@login_required
def body_create(request: HttpRequest, arena_pk: int) -> HttpResponse:
    arena = visible_arena(request.user, arena_pk)
    require_writer(request, arena)
    form = BodyForm(request.POST or None, instance=Body(arena=arena))
    return form_page(
        request,
        form,
        lambda: create_body(form.save(commit=False), actor=request.user),
        success=_("Organet er registrert. Legg inn medlemmene."),
        template="meetings/body_form.html",
        context={"arena": arena, "body": None},
    )


@login_required
def body_edit(request: HttpRequest, pk: int) -> HttpResponse:
    body = editable_body(request, pk)
    return edit_page(
        request,
        BodyForm(request.POST or None, instance=body),
        update_body,
        success=_("Endringene er lagret."),
        template="meetings/body_form.html",
        context={"arena": body.arena, "body": body},
    )


@login_required
def member_create(request: HttpRequest, pk: int) -> HttpResponse:
    body = editable_body(request, pk)
    form = MemberForm(request.POST or None, instance=BodyMember(body=body))
    return form_page(
        request,
        form,
        lambda: add_member(form.save(commit=False), actor=request.user),
        success=_("Medlemmet er registrert."),
        template="meetings/member_form.html",
        context={"arena": body.arena, "body": body, "member": None},
        then=body,
    )


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _editable_member(request, pk)
    return edit_page(
        request,
        MemberForm(request.POST or None, instance=member),
        update_member,
        success=_("Endringene er lagret."),
        template="meetings/member_form.html",
        context={"arena": member.body.arena, "body": member.body, "member": member},
        then=member.body,
    )


@login_required
def body_delete(request: HttpRequest, pk: int) -> HttpResponse:
    editable_body(request, pk)  # refused (404, 403) before anything is shown
    return confirm_delete(
        request,
        "meetings/confirm_delete.html",
        load=lambda: visible_body(request, pk),
        delete=lambda b, version: delete_body(b, expected_version=version, actor=request.user),
        context=lambda b: {
            "question": _("Slett organet «%(b)s»?") % {"b": b.name},
            "what": _("Organet slettes med sine %(n)d medlemmer.") % {"n": b.members.count()},
            "refusal": body_delete_refusal(b),
            "cancel": b.get_absolute_url(),
        },
        success=_("Organet er slettet."),
        done=lambda b: reverse("meetings:body_list", args=[b.arena_id]),
    )


@login_required
def member_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _editable_member(request, pk)  # refused (404, 403) before anything is shown
    return confirm_delete(
        request,
        "meetings/confirm_delete.html",
        load=lambda: _member(request, pk),
        delete=lambda m, version: delete_member(m, expected_version=version, actor=request.user),
        context=lambda m: {
            "question": _("Slett %(m)s fra %(b)s?") % {"m": m, "b": m.body.name},
            "what": _(
                "Slett bare et medlem som er registrert ved en feil; når et verv slutter, "
                "sett en «til»-dato i stedet."
            ),
            "refusal": member_delete_refusal(m),
            "cancel": m.body.get_absolute_url(),
        },
        success=_("Medlemmet er slettet."),
        done=lambda m: m.body.get_absolute_url(),
    )
