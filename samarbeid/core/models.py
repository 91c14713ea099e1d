from __future__ import annotations

from django.db import models


class DataStamp(models.Model):
    """One row whose version rises with every change to the domain's records, so that
    aggregate figures (dashboard counts, portfolio overview) can be cached per version and
    recomputed after a change, across all app servers (see core.stamps)."""

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "data version"

    def __str__(self) -> str:
        return f"data version {self.version}"
