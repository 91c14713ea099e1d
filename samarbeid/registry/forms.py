"""The register's forms: a population figure typed in, and Statistics Norway's file of them.
The page and the API fill the same forms (core.api_forms)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samarbeid.core.forms import MISSING_VERSION
from samarbeid.lib.money import parse_amount

# A figure is residents on 1 January; Oslo, the largest, has some 720 000.
MOST_RESIDENTS = 2_000_000
# The whole 07459 table, every municipality since 1986, is well under 1 MB.
LARGEST_FILE = 5 * 1024 * 1024


WHOLE_NUMBER = _("Skriv folketallet som et helt tall med mellomrom mellom tusener, som 47 001.")


class ResidentsField(forms.IntegerField):
    """A whole number of residents, as a clerk types it: "47 001" (spaces group thousands,
    read as core.forms.AmountField reads an amount). A point or comma is refused, not read:
    "58.000" is 58 000 to a clerk and 58 to Python's int()."""

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if "." in text or "," in text:
            raise forms.ValidationError(WHOLE_NUMBER, code="invalid")
        try:
            return int(parse_amount(text))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class PopulationForm(forms.Form):
    """One municipality's population on 1 January of a year, new or corrected."""

    year = forms.IntegerField(
        label=_("År"),
        min_value=1900,
        max_value=2100,
        help_text=_("Folketallet per 1. januar dette året."),
    )
    count = ResidentsField(
        label=_("Innbyggere"),
        min_value=1,
        max_value=MOST_RESIDENTS,
        error_messages={"min_value": _("Folketallet må være minst 1.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    # The version of the figure the user saw; 0: they saw none for the year. The page always
    # sends it; the API's PUT has none (it sets the figure whatever is stored).
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={"required": MISSING_VERSION},
    )

    def __init__(self, *args: Any, version_required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].required = version_required

    def clean_year(self) -> int:
        """The register's figure is the population on 1 January, which Statistics Norway
        publishes in February of the same year: no year after the current one is known. The
        page and the API (which fills this form) read this one rule."""
        year: int = self.cleaned_data["year"]
        last = timezone.localdate().year
        if year > last:
            raise forms.ValidationError(
                _("Folketallet for %(year)s er ikke talt ennå; skriv et år til og med %(last)s."),
                params={"year": year, "last": last},
            )
        return year


# What the population import reads, said on both its upload forms (the municipality's
# population page and the task's start page, registry.jobs).
MUNICIPALITIES_FILE_HELP = _(
    "Filen fra SSBs klassifikasjon 131 (kommuneinndeling), eksportert som semikolonseparert "
    "CSV i UTF-8 med overskriften GRUPPEKODE;GRUPPETEKST;KODE;TEKST og én linje per kommune. "
    "Hele filen kontrolleres før noe lagres, og hver feil nevnes med linjenummer."
)
LEGAL_ENTITIES_FILE_HELP = _(
    "En nedlasting fra Enhetsregisteret (Brønnøysundregistrene): JSON med enhetene, eller CSV "
    "i UTF-8 med minst kolonnene organisasjonsnummer og navn. Hele filen kontrolleres før noe "
    "lagres, og hver feil nevnes med linje eller post."
)
POPULATION_FILE_HELP = _(
    "SSB-tabell 07459 (befolkning 1. januar), eksportert fra Statistikkbanken som "
    "semikolonseparert CSV i UTF-8: to tittellinjer, en overskrift med kolonner som "
    "«Personer 2024», så én linje per kommune, som «K-3901 Horten»;27631 (.. betyr "
    "ingen tall). Hele filen kontrolleres før noe lagres, og hver feil nevnes med "
    "linjenummer."
)


class PopulationFileForm(forms.Form):
    """Statistics Norway's table 07459 as exported (semicolon CSV)."""

    file = forms.FileField(
        label=_("Fil fra SSB (tabell 07459, semikolonseparert CSV)"),
        help_text=POPULATION_FILE_HELP,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > LARGEST_FILE:
            raise forms.ValidationError(_("Filen er større enn 5 MB; det er ikke tabell 07459."))
        return upload
