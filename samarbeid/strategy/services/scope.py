"""What a strategy figure covers: an arena and its sub-arenas, a municipality and its
predecessors, a period of years."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samarbeid.registry.models import Municipality, MunicipalityChange

ZERO = Decimal("0.00")


def lineage_ids(municipality: Municipality) -> list[int]:
    """The municipality and every predecessor (Larvik 3909 ← 3805 ← 0709, 0728 Lardal)."""
    ids = [municipality.pk]
    frontier = [municipality.pk]
    for _step in range(10):
        previous = list(
            MunicipalityChange.objects.filter(successor_id__in=frontier).values_list(
                "predecessor_id", flat=True
            )
        )
        previous = [p for p in previous if p not in ids]
        if not previous:
            break
        ids.extend(previous)
        frontier = previous
    return ids


def check_period(first_year: int | None, last_year: int | None) -> None:
    errors: dict[str, str] = {}
    if first_year is None:
        errors["first_year"] = _("Oppgi første år.")
    if last_year is None:
        errors["last_year"] = _("Oppgi siste år.")
    if first_year is not None and last_year is not None and last_year < first_year:
        errors["last_year"] = _("Sluttåret (%(last)s) kan ikke være før startåret (%(first)s).") % {
            "last": last_year,
            "first": first_year,
        }
    if errors:
        raise ValidationError(errors)
