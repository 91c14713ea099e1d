"""Reading the audit trail in tests."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType

from samarbeid.audit.models import AuditEntry


def api_entries(model: Any, pk: int, action: str) -> int:
    """How many audit entries of `action` the API left for the record `model` #`pk`."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(pk),
        channel="api",
        action=action,
    ).count()
