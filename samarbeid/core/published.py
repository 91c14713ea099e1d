"""Records with a `published` flag (`core.fields.published_flag`): the one queryset that
cuts them to what a user may see (accounts.permissions.published_to)."""

from __future__ import annotations

from typing import Any, ClassVar, Self, TypeVar

from django.db import models

from samarbeid.accounts.permissions import published_to

RecordT = TypeVar("RecordT", bound=models.Model)


class PublishedQuerySet(models.QuerySet[RecordT, RecordT]):
    """`visible_to(user)`: everything for internal users; for others the records published
    themselves and through each of `THROUGH`'s paths (a project also needs its arena
    published: `THROUGH = ("", "arena")`)."""

    THROUGH: ClassVar[tuple[str, ...]] = ("",)

    def visible_to(self, user: Any) -> Self:
        return published_to(self, user, *self.THROUGH)
