"""The forms of a planning strategy and its needs: the pages and the API fill the same ones."""

from __future__ import annotations

from django import forms

from samarbeid.core.forms import VersionedForm
from samarbeid.planning.models import CooperationNeed, PlanningStrategy


class StrategyForm(VersionedForm):
    class Meta:
        model = PlanningStrategy
        fields = [
            "title",
            "first_year",
            "last_year",
            "adopted_on",
            "decision_reference",
            "link",
            "published",
        ]


class NeedForm(VersionedForm):
    class Meta:
        model = CooperationNeed
        fields = ["theme", "theme_other", "description", "partners"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "partners": forms.Textarea(attrs={"rows": 2}),
        }
