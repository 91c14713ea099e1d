from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from samarbeid.core.fields import unique


class DataStamp(models.Model):
    """One row whose version rises with every change to the domain's records, so that
    aggregate figures (dashboard counts, portfolio overview) can be cached per version and
    recomputed after a change, across all app servers (see core.stamps).

    `shared` rises only with a change to what every budget's split may read beyond its own
    arena (the municipality register, mergers, population figures) and with every bulk
    write that does not name its arenas: a budget's split is cached under it and its
    arena's `ArenaStamp`."""

    version = models.PositiveBigIntegerField(default=0)
    shared = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "data version"

    def __str__(self) -> str:
        return f"data version {self.version}"


class ArenaStamp(models.Model):
    """The version of one arena's inputs to its budgets' splits (its budgets and lines, the
    keys they use, its members, the participants of its budgets' projects), raised with every
    change to them (see core.stamps). A row appears at the arena's first change; no row reads
    as 0. The arena is a plain number, not a foreign key: the stamp is raised while the arena
    itself is being deleted, and must never start again from 0 for the same id."""

    arena = models.PositiveBigIntegerField(primary_key=True)
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "arena version"

    def __str__(self) -> str:
        return f"arena {self.arena} version {self.version}"


class IdempotentRequest(models.Model):
    """The answer to a POST that carried an `Idempotency-Key` header (see core.idempotency):
    the same key again from the same user gets this answer back, and nothing is written
    twice. One row per user and key (the unique constraint is what makes a second request
    with the key at the same moment wait for the first, then get its answer)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    body_hash = models.CharField(max_length=64, help_text="SHA-256 of the request's body")
    status = models.PositiveSmallIntegerField(default=0, help_text="0 while being answered")
    response_body = models.JSONField(encoder=DjangoJSONEncoder, default=dict)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "idempotent request"
        constraints = [
            unique(
                ["user", "key"],
                "idempotent_request_key_per_user",
                _("Denne Idempotency-Key er allerede brukt."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"
