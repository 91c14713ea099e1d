from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from samarbeid.accounts.forms import (
    ContactForm,
    NewUserForm,
    RoleForm,
    TokenForm,
    person_label,
    role_label,
)
from samarbeid.accounts.models import ApiToken, RoleAssignment
from samarbeid.accounts.permissions import can_manage_roles
from samarbeid.accounts.services import (
    ALREADY_REMOVED,
    NewUser,
    assign_role,
    create_token,
    create_user,
    invited_users,
    may_edit_contact,
    removal_refused,
    remove_role,
    resend_invitation,
    revoke_token,
    set_contact,
    was_removed,
)
from samarbeid.core.forms import apply_validation_error, form_page, post_action, submit


@never_cache
@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own page: roles and personal API tokens (a new key shown once)."""
    user: Any = request.user
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = create_token(request.user, form.cleaned_data["name"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            form = TokenForm()
    return render(
        request,
        "accounts/account.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": ApiToken.objects.filter(user=user),
            "roles": RoleAssignment.objects.filter(user=user).select_related(
                "arena", "municipality"
            ),
            "can_manage_roles": can_manage_roles(request.user),
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    token = get_object_or_404(ApiToken, pk=pk, user=user)
    revoke_token(token, actor=request.user)
    messages.success(request, _("Nøkkelen «%(name)s» er trukket tilbake.") % {"name": token.name})
    return redirect("accounts:account")


@login_required
def role_list(request: HttpRequest) -> HttpResponse:
    """The secretariat assigns roles to users."""
    if not can_manage_roles(request.user):
        raise PermissionDenied
    form = RoleForm(request.POST or None)
    assignments = RoleAssignment.objects.select_related("user", "arena", "municipality").order_by(
        "user__username", "role"
    )
    return form_page(
        request,
        form,
        lambda: assign_role(form.save(commit=False), actor=request.user),
        success=_("Rollen er tildelt."),
        template="accounts/role_list.html",
        context={"assignments": assignments, "invited": _invited()},
        then="accounts:role_list",
    )


INVITED_SHOWN = 50


def _invited() -> dict[str, Any]:
    """The users who have not chosen a password yet, for «Send invitasjonen på nytt»: the
    newest INVITED_SHOWN (one query; one more row says there are more)."""
    users = list(invited_users()[: INVITED_SHOWN + 1])
    return {"users": users[:INVITED_SHOWN], "more": len(users) > INVITED_SHOWN}


@login_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """«Send invitasjonen på nytt» on the role list: the same e-mail as when the user was
    made (`resend_invitation`: refused, and said, for a user who has chosen a password, has
    no address or was sent one within 15 minutes)."""
    if not can_manage_roles(request.user):
        raise PermissionDenied
    user = get_object_or_404(get_user_model(), pk=pk)
    return post_action(
        request,
        lambda: resend_invitation(user, actor=request.user),
        success=lambda: _("Invitasjonen er sendt til %(email)s.") % {"email": user.email},
        then="accounts:role_list",
    )


@never_cache
@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    """The secretariat makes a user; the user chooses a password by the link e-mailed to
    them, and gets a role on the role list, where the page goes next."""
    if not can_manage_roles(request.user):
        raise PermissionDenied
    form = NewUserForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: create_user(**form.cleaned_data, actor=request.user),
        success=_created,
        template="accounts/user_create.html",
        then="accounts:role_list",
    )


def _created(new: NewUser) -> str:
    names = {"name": person_label(new.user), "email": new.user.email}
    if new.mailed:
        said = _(
            "Brukeren %(name)s er opprettet. En e-post med lenke for å velge passord er "
            "sendt til %(email)s."
        )
    else:
        said = _(
            "Brukeren %(name)s er opprettet, men e-posten til %(email)s kunne ikke sendes. "
            "Brukeren kan få lenken med «Glemt passord?» på innloggingssiden."
        )
    return said % names


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def role_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks «Fjern rollen «…» for …?» (or says why it may not be removed); POST removes
    it and goes back to the role list. A role removed already (another tab, a double click)
    is said so on the list, not a 404."""
    if not can_manage_roles(request.user):
        raise PermissionDenied
    assignment = (
        RoleAssignment.objects.select_related("user", "arena", "municipality").filter(pk=pk).first()
    )
    if assignment is None:
        # removed in another tab or by a double click: the list as it is, not a 404
        if not was_removed(pk):
            raise Http404
        messages.info(request, ALREADY_REMOVED)
        return redirect("accounts:role_list")
    if request.method == "POST":
        try:
            remove_role(assignment, actor=request.user)
        except ValidationError as exc:
            # removed by someone else since it was read (two tabs at once): said as the list
            # says it when opened again, an info; another refusal is an error
            if getattr(exc, "code", None) == "gone":
                messages.info(request, ALREADY_REMOVED)
            else:
                for message in exc.messages:
                    messages.error(request, message)
        else:
            messages.success(request, _("Rollen er fjernet."))
        return redirect("accounts:role_list")
    question = _("Fjern rollen «%(role)s» for %(person)s?") % {
        "role": role_label(assignment),
        "person": person_label(assignment.user),
    }
    context = {
        "question": question,
        "assignment": assignment,
        "person": person_label(assignment.user),
        "refusal": removal_refused(assignment, actor=request.user),
        "form": forms.Form(),
        "cancel": reverse("accounts:role_list"),
    }
    return render(request, "accounts/role_confirm_remove.html", context)


@never_cache
@login_required
def user_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """A user's name and e-mail address: the secretariat sets anyone's, a user their own."""
    user = get_object_or_404(get_user_model(), pk=pk)
    if not may_edit_contact(request.user, user):
        raise PermissionDenied
    form = ContactForm(request.POST or None, person=user)
    result = submit(
        request,
        form,
        lambda: set_contact(
            user,
            form.changes(),
            expected=form.cleaned_data["opened"],
            actor=request.user,
        ),
        _("Navn og e-postadresse er lagret."),
    )
    if result.done:
        return redirect("accounts:account" if user.pk == request.user.pk else "accounts:role_list")
    if result.conflict is not None:
        form.reopen(result.conflict)  # what was typed stays; saving again saves it over
    context = {"form": form, "conflict": result.conflict, "person": user}
    return render(request, "accounts/user_contact.html", context)
