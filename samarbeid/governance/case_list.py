"""The case list (read side): cases with how many of their treatments are decided and how many
are overdue, counted in the database so that a page or an API page of cases costs one query."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet

from samarbeid.governance.models import Case, Decision


def with_treatment_counts(cases: QuerySet[Case], today: date) -> QuerySet[Case]:
    """`cases` annotated with `total` treatments, `decided` ones and `overdue` ones: open,
    past their planned date and still possible (the body still exists)."""
    undecided = Q(
        decisions__outcome__in=[
            "",
            Decision.Outcome.POSTPONED,
            Decision.Outcome.LAPSED,
            Decision.Outcome.TRANSFERRED,
        ]
    )
    # "overdue" counts only treatments that can still be done: open, the body still exists
    can_be_done = Q(decisions__outcome__in=["", Decision.Outcome.POSTPONED]) & (
        Q(decisions__municipality__isnull=True)
        | Q(decisions__municipality__valid_to__isnull=True)
        | Q(decisions__municipality__valid_to__gte=today)
    )
    return cases.annotate(
        total=Count("decisions", distinct=True),
        decided=Count("decisions", filter=~undecided, distinct=True),
        overdue=Count(
            "decisions",
            filter=can_be_done & Q(decisions__planned_date__lt=today),
            distinct=True,
        ),
    )
