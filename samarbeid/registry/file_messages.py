"""The problems of the files the register imports (registry.file_problems) as the pages and
the tasks tell them: bokmål in the source, English from the catalogue. A phrase keeps the
message id and its parameters, so a task's error is told in the language of whoever reads
it. Each says where (the file, the line or record), what is wrong and what is expected, so
a clerk knows what to fix; the commands keep the readers' own English."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_noop as _

from samarbeid.core.phrases import Param, Phrase, phrase
from samarbeid.registry.classification import ClassificationProblem
from samarbeid.registry.file_problems import FileProblem, LocatedProblem
from samarbeid.registry.legal_entities import UnitProblem
from samarbeid.registry.population import PopulationProblem
from samarbeid.registry.population_messages import WORDS as POPULATION
from samarbeid.registry.services import DataFileProblem

UTF8 = _("filen er ikke UTF-8; lagre den som UTF-8.")

# Statistics Norway's classification (GRUPPEKODE;GRUPPETEKST;KODE;TEKST) and the manual
# changes beside it (predecessor;successor;year;note).
CLASSIFICATION: dict[str, str] = {
    "empty": _(
        "filen er tom; den skal begynne med overskriften %(header)s og ha én linje per "
        "kommunenummer."
    ),
    "not_semicolons": _(
        "kolonnene skal være skilt med semikolon, med overskriften %(header)s på første linje."
    ),
    "header": _("overskriften skal være %(header)s, men er %(found)s."),
    "not_utf8": UTF8,
    "column_count": _(
        "ventet %(expected)s kolonner (%(header)s), fant %(found)s; en celle med semikolon "
        "må stå i anførselstegn."
    ),
    "unknown_group": _(
        "GRUPPEKODE er %(group)s; den skal være «K.» og kommunenummeret med fire sifre (som "
        "«K.3901»), «K.Rest» eller et område som «K.21-22»."
    ),
    "not_a_number": _(
        "KODE er %(code)s; den skal være et kommunenummer med fire sifre (som «3901»)."
    ),
    "no_code": _("KODE er tom; den skal være et kommunenummer med fire sifre (som «3901»)."),
    "twice": _(
        "kommunenummeret %(code)s i KODE står to ganger (også linje %(first)s); hvert nummer "
        "skal stå én gang."
    ),
    "ends_before_start": _(
        "perioden i TEKST for %(code)s slutter før den begynner; skriv den som «Navn (2020-2023)»."
    ),
    "no_name": _("TEKST for %(code)s mangler navnet på kommunen."),
    "unknown_code": _(
        "kommunenummeret %(code)s i kolonnen %(column)s finnes ikke i klassifikasjonsfilen; "
        "bruk et nummer derfra."
    ),
    "not_a_year": _("kolonnen year er %(year)s; den skal være et årstall fra 1838 til 2100."),
}

# Enhetsregisteret's download of units, JSON or CSV.
UNITS: dict[str, str] = {
    "not_utf8": UTF8,
    "empty": _("filen er tom; den skal holde enhetene som JSON eller CSV."),
    "not_json": _(
        "ikke gyldig JSON (%(error)s); en fil som begynner med [ eller { leses som JSON."
    ),
    "not_a_list": _(
        "ventet en liste av enheter, eller et søkesvar med «_embedded» og «enheter» i."
    ),
    "not_an_object": _("en enhet skal være et objekt ({ … }) med organisasjonsnummer og navn."),
    "no_columns": _(
        "overskriften mangler kolonnen %(columns)s; CSV-filen skal ha kolonnene "
        "organisasjonsnummer og navn."
    ),
    "no_units": _("filen har ingen enheter."),
    "twice_record": _(
        "organisasjonsnummeret %(number)s står også i post %(first)s; hver enhet skal stå én gang."
    ),
    "twice_line": _(
        "organisasjonsnummeret %(number)s står også på linje %(first)s; hver enhet skal stå én "
        "gang."
    ),
    "invalid_number": _(
        "organisasjonsnummer er %(number)s; det skal være ni sifre med riktig kontrollsiffer "
        "(MOD11)."
    ),
    "no_number": _(
        "enheten mangler organisasjonsnummer (organisasjonsnummer); det skal være ni sifre med "
        "riktig kontrollsiffer (MOD11)."
    ),
    "no_name": _("enheten mangler navn (navn)."),
    "name_too_long": _("navnet (navn) er lengre enn 200 tegn."),
    "address_not_an_object": _(
        "%(kind)s skal være et objekt med adresse, postnummer, poststed, kommunenummer og landkode."
    ),
    "lines_not_a_list": _("%(kind)s.adresse skal være en liste av adresselinjer (tekst)."),
    "part_not_text": _("%(kind)s.%(part)s skal være tekst."),
    "country": _(
        "%(kind)s.landkode er %(value)s; den skal være en landkode med to bokstaver, som NO."
    ),
    "post_code": _(
        "%(kind)s.postnummer er %(value)s; et norsk postnummer har fire sifre, som 3104."
    ),
    "municipality": _(
        "%(kind)s.kommunenummer er %(value)s; et kommunenummer har fire sifre, som 3905."
    ),
    "address_too_long": _(
        "%(kind)s er for lang: adresselinjene kan ha høyst 200 tegn og poststedet høyst 100."
    ),
}

# The organisation numbers and map points the municipality import reads beside it.
DATA_FILES: dict[str, str] = {
    "not_utf8": UTF8,
    "header": _("overskriften skal være %(header)s."),
    "invalid_number": _(
        "organisasjonsnummeret %(number)s er ugyldig; det skal være ni sifre med riktig "
        "kontrollsiffer (MOD11)."
    ),
    "not_numbers": _(
        "breddegrad og lengdegrad skal være tall med punktum som desimaltegn, som 59.27."
    ),
    "outside_norway": _(
        "punktet ligger utenfor Norge (breddegrad fra 57 til 72, lengdegrad fra 4 til 32)."
    ),
}

WORDS: dict[type[FileProblem], Mapping[str, str]] = {
    PopulationProblem: POPULATION,
    ClassificationProblem: CLASSIFICATION,
    UnitProblem: UNITS,
    DataFileProblem: DATA_FILES,
}

# Where a located problem is, before what is wrong.
PLACES = {
    "line": _("%(file)s, linje %(line)s: %(problem)s"),
    "record": _("%(file)s, post %(record)s: %(problem)s"),
    "": _("%(file)s: %(problem)s"),
}


def _param(value: object) -> Param:
    """A problem's parameter as a phrase keeps it: a number as a number, the rest as text."""
    return value if isinstance(value, int) and not isinstance(value, bool) else str(value)


def as_phrase(problem: FileProblem) -> Phrase:
    """The problem as a phrase, told in the language of whoever reads it."""
    params = {key: _param(value) for key, value in problem.params.items()}
    words = phrase(WORDS[type(problem)][problem.code], **params)
    if not isinstance(problem, LocatedProblem):
        return words
    place = next((key for key in ("line", "record") if key in params), "")
    located = {"file": params["file"], **({place: params[place]} if place else {})}
    return phrase(PLACES[place], **located, problem=words)


def worded(problem: FileProblem) -> str:
    """The problem in the active language."""
    return str(as_phrase(problem))
