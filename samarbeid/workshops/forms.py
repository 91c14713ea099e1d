from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samarbeid.arenas.choice_field import ArenaChoiceField
from samarbeid.arenas.models import Arena
from samarbeid.core.forms import DATE_INPUT, VersionedForm
from samarbeid.core.municipality_field import MunicipalityChoiceField
from samarbeid.registry.models import Municipality
from samarbeid.workshops.models import (
    MAX_ANSWER_CHARS,
    MAX_THEME_CHARS,
    Answer,
    Participant,
    Question,
    Workshop,
)


def _choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


class WorkshopForm(VersionedForm):
    class Meta:
        model = Workshop
        fields = ["arena", "title", "date", "place", "description", "links_expire", "published"]
        field_classes = {"arena": ArenaChoiceField}
        widgets = {"date": DATE_INPUT, "links_expire": DATE_INPUT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "arena").queryset = Arena.objects.order_by("name")
        self.fields["description"].widget.attrs["rows"] = 3


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Navn på gruppen"), max_length=100)


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["name", "municipality", "role", "group"]
        field_classes = {"municipality": MunicipalityChoiceField}

    def __init__(self, *args: Any, workshop: Workshop, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "municipality").queryset = Municipality.objects.order_by(
            "name", "valid_from"
        )
        _choices(self, "group").queryset = workshop.groups.all()


class QuestionForm(VersionedForm):
    class Meta:
        model = Question
        fields = [
            "label",
            "order",
            "kind",
            "text",
            "guidance",
            "min_themes",
            "max_themes",
            "alternatives",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("text", "guidance", "alternatives"):
            self.fields[name].widget.attrs["rows"] = 3
        self.fields["min_themes"].help_text = _("Gjelder rangerte spørsmål.")
        self.fields["max_themes"].help_text = _("Gjelder rangerte spørsmål (høyst 10).")
        self.fields["alternatives"].help_text = _(
            "Gjelder fordeler og ulemper: ett alternativ per linje."
        )


class OpenAnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Gruppens svar"),
        max_length=MAX_ANSWER_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Høyst 2000 tegn."),
    )


class RankedAnswerForm(forms.Form):
    """One text field per place, most important first."""

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for place in range(1, question.max_themes + 1):
            self.fields[f"theme_{place}"] = forms.CharField(
                label=_("Tema nr. %(n)d") % {"n": place},
                max_length=MAX_THEME_CHARS,
                required=place <= question.min_themes,
            )

    def themes(self) -> list[str]:
        return [
            self.cleaned_data[name]
            for name in self.fields
            if name.startswith("theme_") and self.cleaned_data.get(name)
        ]

    @staticmethod
    def initial_for(answer: Answer | None) -> dict[str, str]:
        if answer is None:
            return {}
        return {f"theme_{i}": theme for i, theme in enumerate(answer.themes, start=1)}


class ProsConsAnswerForm(forms.Form):
    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.alternatives = question.alternative_list()
        for index, alternative in enumerate(self.alternatives):
            for part, label in (("pros", _("Fordeler")), ("cons", _("Ulemper"))):
                self.fields[f"{part}_{index}"] = forms.CharField(
                    label=f"{label}: {alternative}",
                    max_length=MAX_ANSWER_CHARS,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )

    def items(self) -> list[dict[str, str]]:
        return [
            {
                "pros": self.cleaned_data.get(f"pros_{i}", ""),
                "cons": self.cleaned_data.get(f"cons_{i}", ""),
            }
            for i in range(len(self.alternatives))
        ]

    def pairs(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (alt, self[f"pros_{i}"], self[f"cons_{i}"]) for i, alt in enumerate(self.alternatives)
        ]

    @staticmethod
    def initial_for(answer: Answer | None) -> dict[str, str]:
        data: dict[str, str] = {}
        if answer is None:
            return data
        for i, item in enumerate(answer.pros_cons):
            data[f"pros_{i}"] = item.get("pros", "")
            data[f"cons_{i}"] = item.get("cons", "")
        return data


def answer_form(
    question: Question, answer: Answer | None, data: Any = None
) -> OpenAnswerForm | RankedAnswerForm | ProsConsAnswerForm:
    prefix = f"q{question.pk}"
    if question.kind == Question.Kind.OPEN:
        initial = {"text": answer.text} if answer else {}
        return OpenAnswerForm(data, prefix=prefix, initial=initial)
    if question.kind == Question.Kind.RANKED:
        return RankedAnswerForm(
            data, prefix=prefix, question=question, initial=RankedAnswerForm.initial_for(answer)
        )
    return ProsConsAnswerForm(
        data, prefix=prefix, question=question, initial=ProsConsAnswerForm.initial_for(answer)
    )


class MergeForm(forms.Form):
    source = forms.ChoiceField(label=_("Tema som skal slås sammen"))
    target = forms.ChoiceField(label=_("Slås sammen med"))

    def __init__(self, *args: Any, labels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(label, label) for label in labels]
        for name in ("source", "target"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices


class OutcomeForm(forms.Form):
    class Kind:
        PROJECT = "project"
        PROPOSAL = "proposal"

    theme = forms.CharField(label=_("Tema"), widget=forms.HiddenInput, max_length=MAX_THEME_CHARS)
    kind = forms.ChoiceField(
        label=_("Gjør om til"),
        choices=[
            ("project", _("prosjektidé i porteføljen")),
            ("proposal", _("samarbeidsforslag")),
        ],
    )
    code = forms.CharField(
        label=_("Prosjektkode"),
        max_length=30,
        required=False,
        help_text=_("Påkrevd for prosjektidé."),
    )
    title = forms.CharField(label=_("Tittel"), max_length=200, required=False)
    start = forms.DateField(
        label=_("Prosjektets start"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("For prosjektidé. Tom: samlingens dato."),
    )
    end = forms.DateField(
        label=_("Prosjektets slutt"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("For prosjektidé. Tom: ikke fastsatt."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == "project" and not data.get("code"):
            self.add_error("code", _("Oppgi en prosjektkode."))
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Sluttdato kan ikke være før startdato."))
        return data
