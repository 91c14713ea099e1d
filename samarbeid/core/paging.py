"""Paginate a queryset and serialise only the page: ninja's pagination slices what an
endpoint returns, so returning a list of dicts would serialise every row first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet

T = TypeVar("T")


class MappedQuerySet(Generic[T]):
    def __init__(self, queryset: QuerySet[Any], to_item: Callable[[Any], T]) -> None:
        self.queryset = queryset
        self.to_item = to_item

    def all(self) -> MappedQuerySet[T]:
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[T]:
        return [self.to_item(row) for row in self.queryset[index]]
