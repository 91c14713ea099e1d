from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from samarbeid.core.fields import actor_fk


class Channel(models.TextChoices):
    PAGE = "page", _("nettside")
    API = "api", _("API")
    COMMAND = "command", _("kommando")
    ADMIN = "admin", _("administrasjon")


class AuditEntry(models.Model):
    """Who changed what, when and through which channel. Written only by audit.record()."""

    class Action(models.TextChoices):
        CREATE = "create", _("opprettet")
        UPDATE = "update", _("endret")
        DELETE = "delete", _("slettet")
        RESTORE = "restore", _("gjenopprettet")

    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    actor = actor_fk(_("utført av"))
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    action = models.CharField(_("handling"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(_("objekt"), max_length=200)
    # {field: [before, after]} for updates; {field: value} snapshots for create/delete.
    changes = models.JSONField(_("endringer"), default=dict)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("endringslogg")
        verbose_name_plural = _("endringslogg")
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"
