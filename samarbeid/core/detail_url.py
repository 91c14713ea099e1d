"""A record's own page, named once: the model says which view shows it
(`detail_view = "arenas:arena_detail"`), and `get_absolute_url` reverses that view with the
record's pk, or with the attributes `detail_args` names when the URL takes others
(`detail_args = ("code",)`; a dotted name follows a relation: `("municipality.code", "pk")`).

A model whose URL is more than that (a place on another record's page, a query string)
writes its own `get_absolute_url` and says why. A mixin without fields: adopting it needs
no migration."""

from __future__ import annotations

from operator import attrgetter
from typing import ClassVar

from django.urls import reverse


class DetailUrl:
    """Put first among a model's bases: `class Arena(DetailUrl, Versioned)`."""

    detail_view: ClassVar[str]
    detail_args: ClassVar[tuple[str, ...]] = ("pk",)

    def get_absolute_url(self) -> str:
        return reverse(self.detail_view, args=[attrgetter(name)(self) for name in self.detail_args])
