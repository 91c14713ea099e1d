"""What the review's API writes share.

Everything the review pages can create or change. Every write needs a personal token
(`Authorization: Bearer smb_…`) or the signed-in session with its CSRF token; the endpoint
fills the page's form from the payload (core.api_forms) and calls the service the page calls,
which decides who may (the secretariat of the arena concerned). A change of a record carries
the `version` it started from; a newer stored version answers 409.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def not_null(data: dict[str, Any], names: set[str]) -> None:
    """A PATCH may leave a field out, not send it as null (a form would read null as empty)."""
    for name in names & set(data):
        if data[name] is None:
            raise ValidationError({name: _("Feltet kan ikke være tomt.")})
