"""Which account at which identity provider is which user here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samarbeid.core.fields import unique


class ExternalIdentity(models.Model):
    """A user's account at an OpenID Connect provider: the provider's slug (settings) and
    the subject it names the person by (`sub`, stable and never reassigned)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_identities",
        verbose_name=_("bruker"),
    )
    provider = models.CharField(_("identitetsleverandør"), max_length=50)
    subject = models.CharField(_("identitet hos leverandøren"), max_length=255)
    created = models.DateTimeField(_("første innlogging"), auto_now_add=True)
    last_login = models.DateTimeField(_("siste innlogging"), auto_now=True)

    class Meta:
        verbose_name = _("ekstern identitet")
        verbose_name_plural = _("eksterne identiteter")
        constraints = [
            unique(
                ["provider", "subject"],
                "one_user_per_identity",
                _("Identiteten hos leverandøren hører allerede til en bruker."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.subject}"
