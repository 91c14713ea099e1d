"""Every message about a missing population figure links to the page where it is entered."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from samarbeid.core.linked_text import LinkedText
from samarbeid.registry.models import Municipality


def population_page_url(municipality: Municipality, year: int | None = None) -> str:
    """The municipality's population page, with the form set to `year`."""
    url = reverse("registry:population", args=[municipality.code])
    return f"{url}?year={year}#entry" if year else url


def with_population_link(text: str, municipality: Municipality | None, year: int) -> str:
    """`text` (a missing figure for `municipality` on 1 January `year`), linking on a page to
    where the figure is entered."""
    if municipality is None:
        return text
    return LinkedText(text, population_page_url(municipality, year), _("Registrer folketallet"))
