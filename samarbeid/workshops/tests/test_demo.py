from __future__ import annotations

from typing import Any

import pytest

from samarbeid.arenas import demo as arenas_demo
from samarbeid.workshops import demo
from samarbeid.workshops.models import Question, Workshop
from samarbeid.workshops.services.plenary import ranked_results

pytestmark = pytest.mark.django_db


def test_hanko_reproduces_the_summary(secretariat: Any) -> None:
    arenas_demo.load(secretariat)
    demo.load(secretariat)
    demo.load(secretariat)  # idempotent
    assert Workshop.objects.count() == 2
    hanko = Workshop.objects.get(arena__short_name="9K")
    assert hanko.date.isoformat() == "2004-03-12"
    assert hanko.is_example_data
    assert hanko.groups.count() == 5
    assert hanko.participants.count() == 18
    question_a, question_b = hanko.questions.order_by("order")
    assert question_a.kind == Question.Kind.OPEN
    assert question_a.text == "Er de riktige strategiene poengtert i samarbeidsgrunnlaget?"
    assert question_a.guidance.count("\n") == 9  # the heading and the nine strategies
    assert question_b.status == Question.Status.CLOSED
    results = ranked_results(question_b)
    several = {r.label for r in results if r.groups > 1}
    assert several == {demo.ADM, demo.SCHOOL, demo.LAND, demo.CARE}
    once = {r.label for r in results if r.groups == 1}
    assert once == {
        "Kompetanseutvikling / rekruttering",
        "Ressurskrevende brukere",
        "Finansforvaltning",
        "Forebyggende arbeid (rus, psykiatri)",
        "Veisamarbeid",
        "VAR-samarbeid",
        "Kultur",
        "Energi",
    }
    top = results[0]
    assert top.label == demo.ADM
    assert top.groups == 4
    assert set(top.variants) == {"IKT-drift", "felles IKT"}
    school = next(r for r in results if r.label == demo.SCHOOL)
    assert [o.project.code for o in school.outcomes if o.project] == ["9K-H04-1"]
    innherred = Workshop.objects.get(arena__short_name="ISK")
    kinds = list(innherred.questions.values_list("kind", flat=True))
    assert kinds == ["pros_cons", "pros_cons", "open", "open"]
    assert innherred.questions.filter(status=Question.Status.OPEN).count() == 4
