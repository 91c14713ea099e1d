"""The problems of Statistics Norway's population file (registry.population, in English for
the command) as pages and tasks word them: bokmål in the source, English from the catalogue
(registry.file_messages makes them phrases)."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

from samarbeid.registry.file_problems import FileProblem

# Message ids (a task keeps them as phrases: registry.file_messages), translated when shown.
WORDS: dict[str, str] = {
    "not_utf8": _("%(file)s, linje %(line)s: filen er ikke UTF-8; eksporter den som UTF-8."),
    "too_short": _("%(file)s: ventet to tittellinjer, en overskrift og minst én kommune."),
    "not_semicolons": _(
        "%(file)s, linje 3: ventet kolonner skilt med semikolon (fant skilletegn: %(found)s)."
    ),
    "not_region": _(
        "%(file)s, linje 3: første kolonne heter %(column)s; i tabell 07459 heter den «region»."
    ),
    "column_not_a_year": _("%(file)s, linje 3: kolonnen %(column)s nevner ikke et år."),
    "not_population": _(
        "%(file)s, linje 3: kolonnen %(column)s er ikke folketallet; i tabell 07459 heter den "
        "«Personer» og året, som «Personer 2024»."
    ),
    "year_twice": _("%(file)s, linje 3: året %(year)s står to ganger."),
    "no_years": _("%(file)s, linje 3: ingen årskolonner som «Personer 2024»."),
    "column_count": _("%(file)s, linje %(line)s: ventet %(expected)s kolonner, fant %(found)s."),
    "not_a_municipality": _(
        "%(file)s, linje %(line)s: %(region)s er ikke en kommune (nummer og navn, "
        "som «K-3901 Horten»)."
    ),
    "not_whole": _(
        "%(file)s, linje %(line)s: folketallet %(cell)s for %(number)s i %(year)s er ikke et "
        "helt tall."
    ),
    "negative": _("%(file)s, linje %(line)s: folketallet for %(number)s i %(year)s er negativt."),
    "twice": _(
        "%(file)s, linje %(line)s: %(number)s i %(year)s står to ganger (også linje %(first)s)."
    ),
    "unknown_municipality": _("%(file)s, linje %(line)s: ukjent kommunenummer %(number)s."),
}


def worded(problem: FileProblem) -> str:
    """The problem in the page's language."""
    return gettext(WORDS[problem.code]) % problem.params
