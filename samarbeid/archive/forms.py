"""The extract's choice: an arena (its id or short name, as the command takes it) and a
period. The page and the command read the same form."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samarbeid.archive.extract import arena_cases, is_concluded
from samarbeid.archive.meetings import archived_meetings
from samarbeid.arenas.models import Arena
from samarbeid.core import dates
from samarbeid.core.forms import DATE_INPUT


class ExtractForm(forms.Form):
    arena = forms.CharField(
        label=_("Arena"),
        max_length=40,
        help_text=_("Arenaens kortnavn eller nummer (id)."),
    )
    start = forms.DateField(label=_("Fra dato"), widget=DATE_INPUT, validators=[dates.PERIOD])
    end = forms.DateField(label=_("Til dato"), widget=DATE_INPUT, validators=[dates.PERIOD])

    def clean_arena(self) -> Arena:
        ref = self.cleaned_data["arena"].strip()
        # by_reference reads digits as an id: only those a database id can be
        readable = not ref.isdigit() or (ref.isascii() and len(ref) <= 18)
        found = Arena.objects.by_reference(ref) if readable else None
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
