"""A message with a link to where it is put right: plain text wherever text goes (the API's
problem+json, logs, `str()`), the text and the link on a page (Django's templates call
`__html__`). So a service can say "Mangler folketall for Tønsberg (3905)" once, and the page
showing it links to the page where the figure is entered. A message about several things
(several municipalities lacking a figure) carries one link for each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.html import format_html, format_html_join


class LinkedText(str):
    """`text`, and on a page `text` followed by a link to `url` named `label` (and one for
    each further `(url, label)` in `more`, after a comma)."""

    url: str
    label: str
    more: tuple[tuple[str, str], ...]

    def __new__(
        cls, text: str, url: str, label: str, more: Sequence[tuple[str, str]] = ()
    ) -> LinkedText:
        made = super().__new__(cls, text)
        made.url = url
        made.label = label
        made.more = tuple(more)
        return made

    def __str__(self) -> str:
        # itself, not a plain copy: a ValidationError's messages pass through str()
        return self

    def __html__(self) -> str:
        links = format_html_join(
            ", ", '<a class="ds-link" href="{}">{}</a>', ((self.url, self.label), *self.more)
        )
        return str(format_html("{} {}", str.__str__(self), links))

    def __reduce__(self) -> tuple[Any, ...]:
        # cached split problems are pickled
        return (LinkedText, (str.__str__(self), self.url, self.label, self.more))
