from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samarbeid.core.fields import arena_fk


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("sekretariat")
    COORDINATOR = "coordinator", _("kommunekoordinator")
    READER = "reader", _("leser")


class RoleAssignment(models.Model):
    """A user's role. Secretariat: all arenas, or one arena and its sub-arenas.
    Coordinator: one municipality. Reader: everything internal, no writes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    arena = arena_fk(
        "+",
        on_delete=models.CASCADE,
        optional=True,
        help_text=_("For sekretariat: tom gir tilgang til alle arenaer."),
    )
    municipality = models.ForeignKey(
        "registry.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kommune"),
    )

    class Meta:
        verbose_name = _("rolle")
        verbose_name_plural = _("roller")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="coordinator") | Q(municipality__isnull=False),
                name="coordinator_has_municipality",
                violation_error_message=_("En koordinator må ha en kommune."),
            ),
        ]

    def __str__(self) -> str:
        scope = self.arena or self.municipality or _("alle")
        return f"{self.user} – {self.get_role_display()} ({scope})"


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the token is shown once at creation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("navn"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(_("opprettet"), auto_now_add=True)
    last_used = models.DateTimeField(_("sist brukt"), null=True, blank=True)
    revoked = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API-nøkkel")
        verbose_name_plural = _("API-nøkler")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def generate_key() -> str:
        return "smb_" + secrets.token_urlsafe(32)
