"""Invariants of the pure parts of the review services."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from samarbeid.lib import legal_forms
from samarbeid.review.services.advisor import advise

NEEDS = [need.value for need in legal_forms.Need]


@given(st.lists(st.sampled_from(NEEDS), unique=True))
def test_every_ruled_out_form_has_a_norwegian_reason(needs: list[str]) -> None:
    for advice in advise(needs):
        if advice.suitable:
            assert advice.reasons == []
        else:
            assert advice.reasons
        for text in advice.reasons + advice.conditions:
            # a lib reason code left untranslated would contain an underscore
            assert "_" not in text
            assert text.strip()


@given(st.lists(st.sampled_from(NEEDS), unique=True))
def test_more_needs_never_allow_more_forms(needs: list[str]) -> None:
    allowed = {a.form.code for a in advise(needs) if a.suitable}
    for extra in NEEDS:
        narrower = {a.form.code for a in advise([*needs, extra]) if a.suitable}
        assert narrower <= allowed
