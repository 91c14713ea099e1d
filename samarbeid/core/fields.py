"""The fields and constraints the domain's models share, each declared once with its rule.

A model names what it holds (`municipality = municipality_fk("memberships")`); the rule
(a municipality is PROTECTed, money has 14 digits and 2 decimals, an amount is never
negative, an end is never before its start) lives here. The factories give exactly the
field Django would get from the spelled-out declaration, so the migrations see no change.
Fields stay in the model's own order (abstract models would move them first: the audit
trail and the export list fields in that order)."""

from __future__ import annotations

from decimal import Decimal
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any, Literal, overload

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import Combinable
from django.utils.translation import gettext_lazy as _

from samarbeid.core.validators import validate_organisation_number

if TYPE_CHECKING:
    # django-stubs' alias of a label (text, or text translated lazily); a dev dependency
    from django.contrib.auth.models import User
    from django_stubs_ext import StrOrPromise

    from samarbeid.arenas.models import Arena
    from samarbeid.governance.models import Decision
    from samarbeid.portfolio.models import Project
    from samarbeid.registry.models import Municipality

    Label = StrOrPromise
    # what a money field may be given (the database keeps a Decimal)
    MoneyIn = Decimal | int | float | str | Combinable

# what a reference is called unless the model says otherwise
MUNICIPALITY: Label = _("kommune")
ARENA: Label = _("arena")
PROJECT: Label = _("prosjekt")
DECISION: Label = _("vedtak")


def _reference(
    to: str,
    on_delete: Any,
    related_name: str,
    verbose_name: Label | None,
    optional: bool,
    **extra: Any,
) -> models.ForeignKey[Any, Any]:
    """A reference to a record of `to`: an optional one may be empty, in the database and
    on the form alike (the factories below say each reference's rule)."""
    return models.ForeignKey(
        to,
        on_delete=on_delete,
        related_name=related_name,
        verbose_name=verbose_name,
        null=optional,
        blank=optional,
        **extra,
    )


@overload
def municipality_fk(
    related_name: str,
    *,
    optional: Literal[False] = ...,
    verbose_name: Label | None = ...,
    **extra: Any,
) -> models.ForeignKey[Municipality | Combinable, Municipality]: ...
@overload
def municipality_fk(
    related_name: str,
    *,
    optional: Literal[True],
    verbose_name: Label | None = ...,
    **extra: Any,
) -> models.ForeignKey[Municipality | Combinable | None, Municipality | None]: ...
def municipality_fk(
    related_name: str,
    *,
    optional: bool = False,
    verbose_name: Label | None = MUNICIPALITY,
    **extra: Any,
) -> models.ForeignKey[Any, Any]:
    """A municipality a record is about. PROTECT: a municipality that merged away stays in
    the register, and what it did must stay true (history is never deleted with it)."""
    return _reference(
        "registry.Municipality", models.PROTECT, related_name, verbose_name, optional, **extra
    )


@overload
def arena_fk(
    related_name: str,
    *,
    on_delete: Any = ...,
    optional: Literal[False] = ...,
    verbose_name: Label | None = ...,
    **extra: Any,
) -> models.ForeignKey[Arena | Combinable, Arena]: ...
@overload
def arena_fk(
    related_name: str,
    *,
    on_delete: Any = ...,
    optional: Literal[True],
    verbose_name: Label | None = ...,
    **extra: Any,
) -> models.ForeignKey[Arena | Combinable | None, Arena | None]: ...
def arena_fk(
    related_name: str,
    *,
    on_delete: Any = models.PROTECT,
    optional: bool = False,
    verbose_name: Label | None = ARENA,
    **extra: Any,
) -> models.ForeignKey[Any, Any]:
    """The arena a record belongs to. PROTECT unless the record is the arena's own working
    material (a budget, a key: CASCADE), which the caller says."""
    return _reference("arenas.Arena", on_delete, related_name, verbose_name, optional, **extra)


@overload
def project_fk(
    related_name: str,
    *,
    on_delete: Any,
    optional: Literal[False] = ...,
    verbose_name: Label | None = ...,
    **extra: Any,
) -> models.ForeignKey[Project | Combinable, Project]: ...
@overload
def project_fk(
    related_name: str,
    *,
    on_delete: Any,
    optional: Literal[True],
    verbose_name: Label | None = ...,
    **extra: Any,
) -> models.ForeignKey[Project | Combinable | None, Project | None]: ...
def project_fk(
    related_name: str,
    *,
    on_delete: Any,
    optional: bool = False,
    verbose_name: Label | None = PROJECT,
    **extra: Any,
) -> models.ForeignKey[Any, Any]:
    """The project a record belongs to or is about (what its deletion does, the caller
    says: a project's results go with it, a budget line protects it)."""
    return _reference("portfolio.Project", on_delete, related_name, verbose_name, optional, **extra)


@overload
def decision_fk(
    related_name: str,
    *,
    optional: Literal[False] = ...,
    verbose_name: Label | None = ...,
    **extra: Any,
) -> models.ForeignKey[Decision | Combinable, Decision]: ...
@overload
def decision_fk(
    related_name: str,
    *,
    optional: Literal[True],
    verbose_name: Label | None = ...,
    **extra: Any,
) -> models.ForeignKey[Decision | Combinable | None, Decision | None]: ...
def decision_fk(
    related_name: str,
    *,
    optional: bool = False,
    verbose_name: Label | None = DECISION,
    **extra: Any,
) -> models.ForeignKey[Any, Any]:
    """The decision a record rests on (a membership, a participation, a review's
    recommendations). PROTECT: a decision cannot be deleted while what it decided stands."""
    return _reference(
        "governance.Decision", models.PROTECT, related_name, verbose_name, optional, **extra
    )


def actor_fk(
    verbose_name: Label | None = None,
) -> models.ForeignKey[User | Combinable | None, User | None]:
    """The user who did something to a record (started, approved, issued or changed it).
    SET_NULL: the record and what was done stay when the user's account is deleted."""
    return _reference(settings.AUTH_USER_MODEL, models.SET_NULL, "+", verbose_name, True)


def organisation_number_field(**extra: Any) -> models.CharField[str, str]:
    """A unit's number in the register of legal entities (an arena's, a municipality's): nine
    digits, the last a MOD11 check digit."""
    return models.CharField(
        _("organisasjonsnummer"),
        max_length=9,
        validators=[validate_organisation_number],
        **extra,
    )


def published_flag(*, default: bool = True) -> models.BooleanField[bool, bool]:
    """Whether the public sees the record (internal users see everything). Published unless
    the record says otherwise (a review round weighs closing arenas: internal until
    published on purpose)."""
    return models.BooleanField(_("publisert"), default=default)


def example_data_flag() -> models.BooleanField[bool, bool]:
    """Invented demo data: pages show "(eksempel)", the demo's removal finds it."""
    return models.BooleanField(_("eksempeldata"), default=False)


@overload
def money_field(
    label: Label | None = ..., *, optional: Literal[False] = ..., **extra: Any
) -> models.DecimalField[MoneyIn, Decimal]: ...
@overload
def money_field(
    label: Label | None = ..., *, optional: Literal[True], **extra: Any
) -> models.DecimalField[MoneyIn | None, Decimal | None]: ...
def money_field(
    label: Label | None = None, *, optional: bool = False, **extra: Any
) -> models.DecimalField[Any, Any]:
    """An amount of kroner, exact to the øre: 14 digits, 2 of them decimals."""
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, null=optional, blank=optional, **extra
    )


def non_negative(
    field: str, name: str, message: Label, *, optional: bool = False
) -> models.CheckConstraint:
    """The database refuses a negative `field` (an optional one may be empty), saying
    `message` on the field's form."""
    condition = Q(**{f"{field}__gte": 0})
    if optional:
        condition = Q(**{f"{field}__isnull": True}) | condition
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


def unique(
    fields: list[str], name: str, message: Label, *, condition: Q | None = None
) -> models.UniqueConstraint:
    """The database refuses a second record with the same `fields` (among those where
    `condition` holds), saying in words what is taken: `message` on the form, never
    Django's "... finnes allerede"."""
    return models.UniqueConstraint(
        fields=fields, condition=condition, name=name, violation_error_message=message
    )


def not_before(
    later: str,
    earlier: str,
    name: str,
    message: Label,
    *,
    later_optional: bool = False,
    earlier_optional: bool = False,
) -> models.CheckConstraint:
    """The database refuses `later` before `earlier` (an end before its start, a due date
    before the invoice date); an empty optional one is never refused."""
    parts = [
        *([Q(**{f"{later}__isnull": True})] if later_optional else []),
        *([Q(**{f"{earlier}__isnull": True})] if earlier_optional else []),
        Q(**{f"{later}__gte": F(earlier)}),
    ]
    return models.CheckConstraint(
        condition=reduce(or_, parts), name=name, violation_error_message=message
    )
