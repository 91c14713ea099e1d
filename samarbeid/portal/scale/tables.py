"""Rows written straight to a model's table with executemany, for the bulk of the scale data."""

from __future__ import annotations

from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from samarbeid.portal.scale.common import BATCH


class Table:
    """Rows written straight to one model's table, `executemany` in batches, for the bulk of
    the data (a hundred thousand decisions and participations per factor): the ORM's
    bulk_create builds a model instance and compiles a placeholder per value, which cost
    most of the seeding's time. Each row gets every column: the values given, else the
    field's default (as bulk_create would write them). Primary keys are given in order from
    the table's highest (what the database would have given in a fresh one), so rows can
    point at rows not written yet; `finish` writes the rest and resets the sequence."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.pk_column = model._meta.pk.column
        self.names = [f.attname for f in fields]
        # dates, times, decimals and JSON take the backend's form; the rest (text, numbers,
        # keys, booleans) the driver takes as they are
        self.adapt = {
            f.attname: f
            for f in fields
            if isinstance(
                f,
                models.DateField | models.TimeField | models.DecimalField | models.JSONField,
            )
        }
        # a field stamped on save (`modified`) gets the moment the table is made, as
        # bulk_create stamps it; the defaults are adapted once, a row's own values as given
        now = timezone.now()
        self.defaults = self._adapted(
            {
                f.attname: now
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                else f.get_default()
                for f in fields
            }
        )
        top = model._default_manager.aggregate(top=Max("pk"))["top"]
        self.next_pk = (top or 0) + 1
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0
        quote = connection.ops.quote_name
        columns = [self.pk_column, *(f.column for f in fields)]
        self.sql = (
            f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608 (names from the model)
            f"({', '.join(quote(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
        )

    def add(self, **values: Any) -> int:
        """A row of `values` (by attname); its primary key."""
        pk = self.next_pk
        self.next_pk += 1
        row = self.defaults | self._adapted(values)
        self.rows.append((pk, *(row[name] for name in self.names)))
        if len(self.rows) >= BATCH * 5:
            self.flush()
        return pk

    def _adapted(self, values: dict[str, Any]) -> dict[str, Any]:
        for name in values.keys() & self.adapt.keys():
            if values[name] is not None:
                values[name] = self.adapt[name].get_db_prep_save(values[name], connection)
        return values

    def flush(self) -> None:
        if self.rows:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, self.rows)
            self.written += len(self.rows)
            self.rows = []

    def finish(self) -> int:
        """Write the rest; the rows written in all."""
        self.flush()
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [self.model]):
                cursor.execute(sql)
        return self.written
