"""The case list (read side): cases with how many of their treatments are decided and how many
are overdue as of a day, counted in the database so that a page or an API page of cases costs
one query. The counts are `as_of.treatment_state` in SQL (a test holds them to it)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet

from samarbeid.governance.models import LAPSED_OUTCOMES, Case, Decision

OPEN_OUTCOMES = ("", Decision.Outcome.POSTPONED)
DECIDED_OUTCOMES = tuple(
    o for o in Decision.Outcome.values if o not in (*OPEN_OUTCOMES, *LAPSED_OUTCOMES)
)


def with_treatment_counts(cases: QuerySet[Case], day: date) -> QuerySet[Case]:
    """`cases` annotated with `total` treatments, `decided` ones (met by `day`) and `overdue`
    ones: open on `day`, past their planned date and still possible (the body still exists)."""
    decided_outcome = Q(decisions__outcome__in=DECIDED_OUTCOMES)
    met = Q(decisions__meeting_date__isnull=True) | Q(decisions__meeting_date__lte=day)
    # open on the day: not treated, met only later, or closed by a change that came later
    open_on_day = (
        Q(decisions__outcome__in=OPEN_OUTCOMES)
        | (decided_outcome & Q(decisions__meeting_date__gt=day))
        | (Q(decisions__outcome__in=LAPSED_OUTCOMES) & Q(decisions__lapsed_on__gt=day))
    )
    # "overdue" counts only treatments that can still be done: the body still exists
    body_exists = (
        Q(decisions__municipality__isnull=True)
        | Q(decisions__municipality__valid_to__isnull=True)
        | Q(decisions__municipality__valid_to__gte=day)
    )
    return cases.annotate(
        total=Count("decisions", distinct=True),
        decided=Count("decisions", filter=decided_outcome & met, distinct=True),
        overdue=Count(
            "decisions",
            filter=open_on_day & body_exists & Q(decisions__planned_date__lt=day),
            distinct=True,
        ),
    )
