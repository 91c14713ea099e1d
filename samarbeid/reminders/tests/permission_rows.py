"""Permission-matrix rows for reminders (see samarbeid/tests/matrix.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from samarbeid.reminders.services import NEVER_SAVED
from samarbeid.tests.matrix import FormRow, World, form_row


def _settings(world: World) -> tuple[str, dict[str, Any]]:
    # no kinds chosen: each role is offered its own kinds (kinds_for), and none is valid
    # for every persona
    # (no persona has saved settings: each form starts from the defaults, NEVER_SAVED)
    data = {"kinds": [], "frequency": "weekly", "language": "nb", "version": NEVER_SAVED}
    return reverse("reminders:settings"), data


EVERY_USER = dict.fromkeys(
    ("secretariat", "arena_secretariat", "coordinator", "other_coordinator", "reader"), 302
)

# each signed-in user chooses their own reminders (personal settings, audited)
FORM_ROWS = [FormRow("reminders:settings", form_row(**EVERY_USER), _settings)]

NAMESPACES = {"reminders"}
# The unsubscribe page takes a POST from anyone holding the signed link of an e-mail, without
# signing in (its right is the token; tests/test_send_reminders.py checks a forged one is
# refused and a GET changes nothing): not a signed-in form the matrix's personas can fill.
# The same for an invoice contact's link (tests/test_invoice_issued_notice.py).
READ_ONLY_PAGES = {"reminders:unsubscribe", "reminders:contact_unsubscribe"}
