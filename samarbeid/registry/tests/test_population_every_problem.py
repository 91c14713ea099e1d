"""Issue 20's trial: a population file is validated whole, and every bad row's problems
are named, in file order, each once (the service serves the page, the API and the command)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samarbeid.registry.models import Population
from samarbeid.registry.population_messages import worded
from samarbeid.registry.services import ImportProblem, import_population_data

pytestmark = pytest.mark.django_db

HEAD = '"07459: Befolkning"\n""\n"region";"Personer 2023";"Personer 2024"\n'


def _problems(body: str, name: str) -> tuple[list[str], list[str]]:
    with pytest.raises(ImportProblem) as caught:
        import_population_data((HEAD + body).encode(), name)
    assert Population.objects.count() == 0
    return caught.value.problems, [worded(d) for d in caught.value.details]


def test_a_cell_problem_and_an_unknown_number_on_later_lines_are_both_named() -> None:
    english, bokmal = _problems(
        '"K-3901 Horten";27500;27800\n"K-3909 Larvik";mange;48300\n"K-9999 Ukjent";1;2\n',
        "bad1.csv",
    )
    assert english == [
        "bad1.csv, line 5: population 'mange' for 3909 in 2023 is not a whole number",
        "bad1.csv, line 6: unknown municipality number 9999",
    ]
    assert bokmal[1] == "bad1.csv, linje 6: ukjent kommunenummer 9999."


def test_an_unknown_number_before_a_negative_count_comes_first() -> None:
    english, _bokmal = _problems(
        '"K-3901 Horten";27500;27800\n"K-9999 Ukjent";1;2\n"K-3909 Larvik";47900;-3\n',
        "bad2.csv",
    )
    assert english == [
        "bad2.csv, line 5: unknown municipality number 9999",
        "bad2.csv, line 6: population for 3909 in 2024 is negative",
    ]


def test_an_unknown_number_is_named_once_whatever_the_years() -> None:
    _english, bokmal = _problems('"K-9999 Ukjent";1;2\n', "bad3.csv")
    assert bokmal == ["bad3.csv, linje 4: ukjent kommunenummer 9999."]


def test_a_row_with_both_a_bad_cell_and_an_unknown_number_names_both() -> None:
    english, _bokmal = _problems('"K-9999 Ukjent";-1;2\n', "bad4.csv")
    assert english == [
        "bad4.csv, line 4: population for 9999 in 2023 is negative",
        "bad4.csv, line 4: unknown municipality number 9999",
    ]


def test_the_upload_form_says_which_file_is_wanted() -> None:
    from samarbeid.registry.forms import PopulationFileForm

    help_text = str(PopulationFileForm().fields["file"].help_text)
    assert "07459" in help_text
    assert "semikolon" in help_text
    assert "K-3901 Horten" in help_text
    assert "UTF-8" in help_text


ROWS = {
    "good": '"K-3901 Horten";1;2',
    "unknown": '"K-9999 Ukjent";1;2',
    "not_whole": '"K-3909 Larvik";mange;2',
    "negative": '"K-3909 Larvik";1;-2',
    "unknown_negative": '"K-9998 Ukjent";-1;2',
}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(sorted(ROWS)), min_size=1, max_size=5, unique=True))
def test_every_bad_row_is_named_in_file_order_and_once(kinds: list[str]) -> None:
    # each kind once, in any order: no "given twice" between rows
    body = "\n".join(ROWS[k] for k in kinds) + "\n"
    bad = {line for line, kind in enumerate(kinds, start=4) if kind != "good"}
    if "not_whole" in kinds and "negative" in kinds:
        return  # Larvik's twice: a number given twice is its own problem, told elsewhere
    if not bad:
        import_population_data((HEAD + body).encode(), "fil.csv")
    else:
        with pytest.raises(ImportProblem) as caught:
            import_population_data((HEAD + body).encode(), "fil.csv")
        lines = [int(str(d.params["line"])) for d in caught.value.details]
        assert lines == sorted(lines)
        assert set(lines) == bad
        assert len(caught.value.problems) == len(set(caught.value.problems))
        # a row with an unknown number and a bad cell names both
        both = [n for n, k in enumerate(kinds, start=4) if k == "unknown_negative"]
        for line in both:
            assert lines.count(line) == 2
    assert Population.objects.filter(year__in=[2023, 2024]).count() == (0 if bad else 2)
    Population.objects.all().delete()
