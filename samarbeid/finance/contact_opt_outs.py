"""Which invoice contacts asked for no more notices, and when: the layer that sends the
notices (samarbeid.reminders) registers its lookup here from its AppConfig.ready(), as
finance may not import it; the invoice references page marks them."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime

# the addresses given (casefolded) → when each opted out, for those that did
Lookup = Callable[[Collection[str]], dict[str, datetime]]
_LOOKUPS: list[Lookup] = []


def register_lookup(lookup: Lookup) -> None:
    if lookup not in _LOOKUPS:
        _LOOKUPS.append(lookup)


def opted_out(emails: Collection[str]) -> dict[str, datetime]:
    """The addresses among `emails` (compared casefolded) that opted out, and when."""
    wanted = {email.casefold() for email in emails if email}
    found: dict[str, datetime] = {}
    if wanted:
        for lookup in _LOOKUPS:
            found |= lookup(wanted)
    return found
