"""Every message about a missing population figure links to the page where it is entered,
and that page links back to where the clerk came from (`?neste=`, a local path only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import coordinator_municipality_ids, is_secretariat
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


def population_links_for(user: Any, text: str) -> str:
    """`text` with only the links to population pages `user` may use
    (`can_edit_population`); the others' words stay, without a link a reader would follow
    to a refusal (a clerk's trial). A message is worded once for everyone (the budget's
    split is cached), so the page showing it cuts its links for the user."""
    if not isinstance(text, LinkedText):
        return text
    links = [(text.url, text.label), *text.more]
    if not is_secretariat(user, None):
        own = set(
            Municipality.objects.filter(pk__in=coordinator_municipality_ids(user)).values_list(
                "code", flat=True
            )
        )
        links = [(url, label) for url, label in links if _code_of(url) in own]
    if not links:
        return str.__str__(text)
    return LinkedText(str.__str__(text), *links[0], more=links[1:])


def _code_of(url: str) -> str | None:
    """The municipality code of a population page's address, None for another page."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.kwargs.get("code") if match.view_name == "registry:population" else None
