"""The accounts API: users made as the page makes them (`NewUserForm`, `create_user`), by
who may manage roles; the new user is e-mailed the link to choose a password."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from samarbeid.accounts.forms import NewUserForm
from samarbeid.accounts.permissions import can_manage_roles, require
from samarbeid.accounts.services import create_user
from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import writes
from samarbeid.core.api_forms import bind, valid

router = Router(tags=["accounts"])


class NewUserIn(Schema):
    username: str = Field(description="What the user signs in with, e.g. «kari.nordmann»")
    first_name: str = ""
    last_name: str = ""
    email: str = Field(description="Where the link to choose a password is sent")


class UserOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    invitation_sent: bool = Field(
        description="The e-mail with the link to choose a password was sent (false: the "
        "mail server refused it; the role list can send it again)"
    )


@router.post(
    "/accounts/users",
    **writes(201, UserOut),
    summary="Create a user, who is e-mailed a link to choose a password",
    description="Who may manage roles (a secretariat for every arena). The user gets no "
    "password here and no role: give one on the role list.",
)
def post_user(request: HttpRequest, payload: NewUserIn) -> Status[dict[str, Any]]:
    """The new user page's form and service: its rules and messages, by field."""
    require(can_manage_roles(request.user))
    form = valid(bind(NewUserForm, payload.dict()))
    new = create_user(**form.cleaned_data, actor=request.user, channel=Channel.API)
    user = new.user
    return Status(
        201,
        {
            "id": user.pk,
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "invitation_sent": new.mailed,
        },
    )
