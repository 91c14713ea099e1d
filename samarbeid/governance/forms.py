from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samarbeid.core.forms import DATE_INPUT, VersionedForm
from samarbeid.governance.models import Decision
from samarbeid.registry.models import Municipality


class DecisionForm(VersionedForm):
    class Meta:
        model = Decision
        fields = [
            "body",
            "municipality",
            "arena",
            "body_name",
            "case_number",
            "planned_date",
            "meeting_date",
            "outcome",
            "text",
            "minutes_url",
        ]
        widgets = {"planned_date": DATE_INPUT, "meeting_date": DATE_INPUT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.order_by("number", "valid_from")
        self.fields["text"].widget.attrs["rows"] = 3


class AnchorDecisionForm(forms.Form):
    """The decision a membership rests on, entered on the same page as the membership."""

    body = forms.ChoiceField(
        label=_("Vedtak fattet av"),
        choices=[
            (Decision.Body.COUNCIL, Decision.Body.COUNCIL.label),
            (Decision.Body.EXECUTIVE_COMMITTEE, Decision.Body.EXECUTIVE_COMMITTEE.label),
            (Decision.Body.ARENA_BOARD, Decision.Body.ARENA_BOARD.label),
        ],
    )
    case_number = forms.CharField(label=_("Saksnummer"), max_length=50, required=False)
    meeting_date = forms.DateField(label=_("Møtedato"), widget=DATE_INPUT)
    outcome = forms.ChoiceField(
        label=_("Utfall"),
        choices=[
            (Decision.Outcome.ADOPTED, Decision.Outcome.ADOPTED.label),
            (Decision.Outcome.ADOPTED_WITH_CHANGES, Decision.Outcome.ADOPTED_WITH_CHANGES.label),
        ],
    )
    text = forms.CharField(
        label=_("Vedtakstekst"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    minutes_url = forms.URLField(label=_("Lenke til protokoll"), required=False)
