"""Paging at national scale: the API's pagination serialises only the page (ninja slices
what an endpoint returns, so returning a list of dicts would serialise every row first),
and totals are counted once per data version."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.conf import settings as django_settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from samarbeid.core.stamps import cached_count

T = TypeVar("T")


class MappedQuerySet(Generic[T]):
    def __init__(self, queryset: QuerySet[Any], to_item: Callable[[Any], T]) -> None:
        self.queryset = queryset
        self.to_item = to_item

    def all(self) -> MappedQuerySet[T]:
        return self

    def count(self) -> int:
        return cached_count(self.queryset)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[T]:
        return [self.to_item(row) for row in self.queryset[index]]


if TYPE_CHECKING:
    _Paginator = Paginator[Any]
else:  # generic only to the type checker
    _Paginator = Paginator


class CountCachedPaginator(_Paginator):
    """Django's paginator with the total cached per data version (core.stamps), for pages
    that list thousands of rows 50 at a time."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return cached_count(self.object_list)
        return len(self.object_list)


class Pagination(LimitOffsetPagination):
    """`limit`/`offset` pagination whose offset stays within what databases can take:
    an offset past 10^12 answers 422 instead of overflowing SQLite or PostgreSQL."""

    class Input(Schema):
        limit: int = Field(
            django_settings.NINJA_PAGINATION_PER_PAGE,
            ge=1,
            le=django_settings.NINJA_PAGINATION_MAX_LIMIT,
            description="Items per page",
        )
        offset: int = Field(0, ge=0, le=10**12, description="Items to skip")
