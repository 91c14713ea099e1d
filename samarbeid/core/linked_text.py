"""A message with a link to where it is put right: plain text wherever text goes (the API's
problem+json, logs, `str()`), the text and the link on a page (Django's templates call
`__html__`). So a service can say "Mangler folketall for Tønsberg (3905)" once, and the page
showing it links to the page where the figure is entered."""

from __future__ import annotations

from typing import Any

from django.utils.html import format_html


class LinkedText(str):
    """`text`, and on a page `text` followed by a link to `url` named `label`."""

    url: str
    label: str

    def __new__(cls, text: str, url: str, label: str) -> LinkedText:
        made = super().__new__(cls, text)
        made.url = url
        made.label = label
        return made

    def __str__(self) -> str:
        # itself, not a plain copy: a ValidationError's messages pass through str()
        return self

    def __html__(self) -> str:
        return str(
            format_html(
                '{} <a class="ds-link" href="{}">{}</a>', str.__str__(self), self.url, self.label
            )
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # cached split problems are pickled
        return (LinkedText, (str.__str__(self), self.url, self.label))
