"""The extract's choice: an arena and a period. The page and the command read the same
form: on the page (`user` given) the arena is a select of the arenas the user serves; the
command takes its id or short name."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samarbeid.accounts.permissions import is_secretariat
from samarbeid.archive.extract import arena_cases, is_concluded
from samarbeid.archive.meetings import archived_meetings
from samarbeid.arenas.models import Arena
from samarbeid.core import dates
from samarbeid.core.forms import DATE_INPUT
from samarbeid.governance.forms import served_arenas


def arena_reference(ref: str) -> Arena | None:
    """The arena named by `ref` (its id or short name), or None."""
    ref = ref.strip()
    # by_reference reads digits as an id: only those a database id can be
    readable = not ref.isdigit() or (ref.isascii() and len(ref) <= 18)
    return Arena.objects.by_reference(ref) if ref and readable else None


class ArenaChoice(forms.ModelChoiceField):
    """An arena's id from the select; what no database id can be is no choice (not a
    crash on an integer too large)."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        text = str(value)
        if not (text.isascii() and text.isdigit() and len(text) <= 18):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(text)


class ExtractForm(forms.Form):
    arena = forms.CharField(
        label=_("Arena"),
        max_length=40,
        help_text=_("Arenaens kortnavn eller nummer (id)."),
    )
    start = forms.DateField(label=_("Fra dato"), widget=DATE_INPUT, validators=[dates.PERIOD])
    end = forms.DateField(label=_("Til dato"), widget=DATE_INPUT, validators=[dates.PERIOD])

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user is None:
            return
        field = ArenaChoice(
            queryset=Arena.objects.all(),
            label=_("Arena"),
            empty_label=_("Velg arena"),
            help_text=_("Arenaene du er sekretariat for."),
            error_messages={"invalid_choice": _("Velg en av arenaene i listen.")},
        )
        # the select offers the arenas the user serves; another arena is refused by the
        # view (403), as a typed-in one always was
        served = served_arenas(Arena.objects.order_by("name"), user)
        field.widget.choices = [
            ("", str(_("Velg arena"))),
            *((a.pk, f"{a.name} ({a.short_name})" if a.short_name else a.name) for a in served),
        ]
        self.fields["arena"] = field

    def clean_arena(self) -> Arena:
        value = self.cleaned_data["arena"]
        if isinstance(value, Arena):
            return value
        found = arena_reference(value)
        if found is None:
            raise forms.ValidationError(_("Fant ingen arena med dette kortnavnet eller nummeret."))
        return found

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("«Til dato» kan ikke være før «Fra dato»."))
        arena = cleaned.get("arena")
        if self.errors or not (isinstance(arena, Arena) and start and end):
            return cleaned
        if self.user is not None and not is_secretariat(self.user, arena):
            return cleaned  # refused by the view (403), and told nothing of the arena
        if not has_content(arena, start, end):
            raise forms.ValidationError(
                _(
                    "%(arena)s har ingen avsluttede saker og ingen møter med godkjent "
                    "protokoll fra %(start)s til %(end)s. Uttrekket ville vært tomt; velg "
                    "en annen periode eller arena."
                )
                % {"arena": arena.name, "start": f"{start:%d.%m.%Y}", "end": f"{end:%d.%m.%Y}"}
            )
        return cleaned


def has_content(arena: Arena, start: date, end: date) -> bool:
    """Whether the extract of `arena`'s period would hold a case or a meeting."""
    if any(is_concluded(case) for case in arena_cases(arena, start, end)):
        return True
    return bool(archived_meetings(arena, start, end))
