"""A proposal's long texts have a limit (an integrator's trial saved a need of 100 000
characters): the page refuses a longer one on its field, and the API in the page's words."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import api_call, login
from samarbeid.arenas.models import Arena
from samarbeid.review.models import PROPOSAL_TEXT_MAX, CooperationProposal
from samarbeid.review.services.proposals import update_proposal
from samarbeid.review.tests.api_helpers import assert_problem, new_proposal

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * 100_000
FIELDS = ["need", "expected_effect", "partners_asked", "mandate"]


def _message(n: int) -> str:
    # the house's words for a text box, the numbers written the Norwegian way (a line break
    # counts once, and the box has no maxlength that would cut a paste: core's TextareaField)
    return (f"Teksten kan være på høyst {PROPOSAL_TEXT_MAX:,} tegn (den har nå {n:,}).").replace(
        ",", "\xa0"
    )


@pytest.mark.parametrize("field", FIELDS)
def test_a_proposal_text_too_long_is_refused_on_its_field(
    client: Client, ks: Arena, secretariat: Any, field: str
) -> None:
    values = {"title": "Felles innkjøp", "need": "Bedre avtaler", "arena": ks.pk}
    body = assert_problem(
        api_call(client, "POST", "/api/v1/proposals", values | {field: TOO_LONG}, secretariat), 422
    )
    api_errors = [(e["loc"], e["msg"]) for e in body["errors"]]
    login(client, secretariat)
    page = client.post(reverse("review:proposal_create"), values | {field: TOO_LONG})
    assert page.status_code == 200
    assert dict(page.context["form"].errors) == {field: [_message(100_000)]}
    assert api_errors == [([field], _message(100_000))]
    assert not CooperationProposal.objects.exists()
    # the limit itself is taken
    at_limit = values | {field: "x" * PROPOSAL_TEXT_MAX}
    assert api_call(client, "POST", "/api/v1/proposals", at_limit, secretariat).status_code == 201


def test_a_proposal_patch_too_long_is_refused(client: Client, ks: Arena, secretariat: Any) -> None:
    proposal = new_proposal(ks, secretariat)
    body = assert_problem(
        api_call(
            client,
            "PATCH",
            f"/api/v1/proposals/{proposal.pk}",
            {"version": proposal.version, "need": TOO_LONG},
            secretariat,
        ),
        422,
        "need",
    )
    assert body["errors"][0]["msg"] == _message(100_000)
    proposal.refresh_from_db()
    assert proposal.need == "Bedre avtaler"


def test_a_criterion_evidence_and_an_override_reason_too_long_are_refused(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    proposal = new_proposal(ks, secretariat)
    criterion = proposal.criteria.first()
    assert criterion is not None
    assert_problem(
        api_call(
            client,
            "PATCH",
            f"/api/v1/proposal-criteria/{criterion.pk}",
            {"version": criterion.version, "state": "met", "evidence": TOO_LONG},
            secretariat,
        ),
        422,
        "evidence",
    )
    assert_problem(
        api_call(
            client,
            "POST",
            f"/api/v1/proposals/{proposal.pk}/ready",
            {"version": proposal.version, "override_reason": TOO_LONG},
            secretariat,
        ),
        422,
        "override_reason",
    )
    proposal.refresh_from_db()
    assert proposal.status == CooperationProposal.Status.DRAFT


def test_a_line_break_counts_once_and_the_box_does_not_cut(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    """A browser posts each line break as CR LF: a need of exactly the limit, with line
    breaks, was refused as longer; and the box's maxlength cut a longer paste silently."""
    login(client, secretariat)
    form = client.get(reverse("review:proposal_create")).content.decode()
    assert 'name="need"' in form
    assert "maxlength" not in form.split('name="need"', 1)[1].split(">", 1)[0]
    line = "x" * 99 + "\n"
    text = line * (PROPOSAL_TEXT_MAX // len(line) - 1) + "x" * len(line)  # no break at the end
    assert len(text) == PROPOSAL_TEXT_MAX
    typed = text.replace("\n", "\r\n")
    values = {"title": "Felles innkjøp", "need": typed, "arena": ks.pk}
    page = client.post(reverse("review:proposal_create"), values)
    assert page.status_code == 302, page.context["form"].errors
    assert len(CooperationProposal.objects.get().need) == PROPOSAL_TEXT_MAX


def test_the_service_refuses_a_text_over_the_limit_too(ks: Arena, secretariat: Any) -> None:
    """A TextField's max_length is only its form's: a command or a service call wrote a
    longer text unchecked; the model's validator refuses it now."""
    proposal = new_proposal(ks, secretariat)
    with pytest.raises(ValidationError) as refused:
        update_proposal(
            proposal,
            {"need": "x" * (PROPOSAL_TEXT_MAX + 1)},
            expected_version=proposal.version,
            actor=secretariat,
        )
    assert "need" in refused.value.message_dict
    assert CooperationProposal.objects.get(pk=proposal.pk).need != "x" * (PROPOSAL_TEXT_MAX + 1)
