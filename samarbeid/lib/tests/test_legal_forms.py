import dataclasses
from datetime import date
from itertools import combinations

import pytest

from samarbeid.lib.legal_forms import (
    FORMS,
    FORMS_BY_CODE,
    FormAssessment,
    LegalForm,
    Need,
    assess_forms,
)


def suitable(needs: list[str]) -> list[str]:
    return [a.form.code for a in assess_forms(needs) if a.suitable]


def by_code(needs: list[str]) -> dict[str, FormAssessment]:
    return {a.form.code: a for a in assess_forms(needs)}


def test_reference_data() -> None:
    assert [f.code for f in FORMS] == [
        "ipr",
        "ko",
        "host_admin",
        "host_board",
        "iks",
        "as",
        "samvirke",
        "forening",
        "samkommune",
    ]
    assert FORMS_BY_CODE["ipr"].name_must_contain == "IPR"
    assert FORMS_BY_CODE["ko"].name_must_contain == "KO"
    assert FORMS_BY_CODE["iks"].name_must_contain == "IKS"
    assert FORMS_BY_CODE["ipr"].law == "kommuneloven kap. 18"
    assert FORMS_BY_CODE["ko"].law == "kommuneloven kap. 19"
    assert (
        FORMS_BY_CODE["host_admin"].law
        == FORMS_BY_CODE["host_board"].law
        == ("kommuneloven kap. 20")
    )
    assert FORMS_BY_CODE["iks"].governing_bodies_nb == ("representantskap", "styre")
    assert "minst to representanter" in FORMS_BY_CODE["host_board"].governing_bodies_nb[0]
    samkommune = FORMS_BY_CODE["samkommune"]
    assert samkommune.historical
    assert samkommune.abolished_on == date(2016, 4, 5)
    assert samkommune.wound_up_by == date(2020, 1, 1)
    assert [f.code for f in FORMS if f.historical] == ["samkommune"]


@pytest.mark.parametrize(
    ("code", "services", "decisions", "entity"),
    [
        ("ipr", False, False, "can be"),
        ("ko", True, False, "can be"),
        ("host_admin", True, True, "no"),
        ("host_board", True, True, "no"),
        ("iks", True, False, "yes"),
        ("as", True, False, "yes"),
        ("samvirke", True, False, "yes"),
        ("forening", True, False, "yes"),
    ],
)
def test_capabilities(code: str, services: bool, decisions: bool, entity: str) -> None:
    form = FORMS_BY_CODE[code]
    assert (form.can_produce_services, form.can_make_individual_decisions) == (services, decisions)
    assert form.own_legal_entity == entity


def test_forms_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        FORMS[0].historical = True  # type: ignore[misc]
    assert isinstance(FORMS[0], LegalForm)


def test_no_needs_leaves_every_current_form() -> None:
    assert suitable([]) == [f.code for f in FORMS if not f.historical]


def test_individual_decisions_leave_only_the_host_forms() -> None:
    assert suitable(["individual_decisions"]) == ["host_admin", "host_board"]
    assessed = by_code(["individual_decisions"])
    assert assessed["iks"].reasons == (("cannot_make_individual_decisions",),)
    assert assessed["host_admin"].conditions == (("decision_authority_delegated_to_host",),)


def test_own_legal_entity_rules_out_the_host_forms() -> None:
    assessed = by_code(["own_legal_entity"])
    for code in ("host_admin", "host_board"):
        assert not assessed[code].suitable
        assert assessed[code].reasons == (("not_own_legal_entity",),)
    assert suitable(["own_legal_entity"]) == ["ipr", "ko", "iks", "as", "samvirke", "forening"]
    # IPR and KO may be entities, but only if the agreement says so.
    assert ("agreement_must_make_it_own_legal_entity",) in assessed["ko"].conditions
    assert assessed["iks"].conditions == (("name_must_contain", "IKS"),)


def test_individual_decisions_and_own_entity_cannot_be_combined() -> None:
    assert suitable(["individual_decisions", "own_legal_entity"]) == []


def test_no_new_legal_entity() -> None:
    assert suitable(["produce_services", "no_new_legal_entity"]) == [
        "ko",
        "host_admin",
        "host_board",
    ]


def test_produce_services_rules_out_ipr() -> None:
    assessed = by_code(["produce_services"])
    assert assessed["ipr"].reasons == (("cannot_produce_services",),)
    assert ("services_produced_by_host",) in assessed["host_admin"].conditions
    assert "ipr" not in suitable(["produce_services"])


def test_political_forum_only_means_ipr() -> None:
    assert suitable(["political_forum_only"]) == ["ipr"]
    assessed = by_code(["political_forum_only"])
    assert assessed["ipr"].conditions == (("name_must_contain", "IPR"),)
    assert assessed["ko"].reasons == (("political_forum_must_be_ipr",),)


@pytest.mark.parametrize(
    "needs", [[], *([n] for n in Need), *(list(pair) for pair in combinations(Need, 2))]
)
def test_samkommune_is_always_ruled_out(needs: list[str]) -> None:
    samkommune = by_code(needs)["samkommune"]
    assert not samkommune.suitable
    assert samkommune.reasons[0] == ("abolished", "2016-04-05", "2020-01-01")
    assert samkommune.conditions == ()


def test_reasons_explain_every_unsuitable_form() -> None:
    for needs in (["produce_services", "individual_decisions"], ["own_legal_entity"]):
        for assessment in assess_forms(needs):
            assert assessment.suitable == (not assessment.reasons)
            assert all(isinstance(code, str) for reason in assessment.reasons for code in reason)


def test_needs_accept_enum_members_and_duplicates() -> None:
    assert assess_forms([Need.INDIVIDUAL_DECISIONS, "individual_decisions"]) == assess_forms(
        ["individual_decisions"]
    )


def test_unknown_need_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown need 'teleport'; known needs: produce_services"):
        assess_forms(["teleport"])
