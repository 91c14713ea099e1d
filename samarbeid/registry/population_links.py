"""Every message about a missing population figure links to the page where it is entered,
and that page links back to where the clerk came from (`?neste=`, a local path only)."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from samarbeid.core.linked_text import LinkedText
from samarbeid.registry.models import Municipality


def local_path(text: str | None) -> str | None:
    """`text` if it is a path on this site ("/…", not "//host" or "http://…"), else None."""
    if not text or not text.startswith("/") or text.startswith("//") or "\\" in text:
        return None
    return text if url_has_allowed_host_and_scheme(text, allowed_hosts=None) else None


def population_page_url(
    municipality: Municipality, year: int | None = None, back: str | None = None
) -> str:
    """The municipality's population page, with the form set to `year` and a link back to
    `back` (a local path)."""
    url = reverse("registry:population", args=[municipality.code])
    query = {
        name: value
        for name, value in (("year", str(year) if year else None), ("neste", local_path(back)))
        if value
    }
    if not query:
        return url
    return f"{url}?{urlencode(query)}" + ("#entry" if year else "")


def with_population_link(
    text: str, municipality: Municipality | None, year: int, back: str | None = None
) -> str:
    """`text` (a missing figure for `municipality` on 1 January `year`), linking on a page to
    where the figure is entered."""
    if municipality is None:
        return text
    return LinkedText(
        text, population_page_url(municipality, year, back), _("Registrer folketallet")
    )


def with_population_links(
    text: str, municipalities: Sequence[Municipality], year: int, back: str | None = None
) -> str:
    """`text` (missing figures for `municipalities` on 1 January `year`), linking on a page to
    where each one's figure is entered (one: as `with_population_link`)."""
    if len(municipalities) <= 1:
        return with_population_link(text, next(iter(municipalities), None), year, back)
    links = [
        (
            population_page_url(m, year, back),
            _("Registrer folketallet for %(m)s") % {"m": m.name},
        )
        for m in municipalities
    ]
    return LinkedText(text, *links[0], more=links[1:])
