"""What meetings tell the layers above it, after the write is committed."""

from django.dispatch import Signal

# The notice of a meeting was sent: sent with `meeting` and `kind` after the transaction
# commits. Reminders e-mails the coordinators of the body's members' municipalities.
# `kind`: NOTICE (the notice), AMENDED (a noticed meeting's day, time or place changed:
# "Endret innkalling") or SUPPLEMENTARY (an item added after the notice: "Tilleggssak");
# `change`: the NoticeChange that says what changed (None with NOTICE).
notice_sent = Signal()

NOTICE = "notice"
AMENDED = "amended"
SUPPLEMENTARY = "supplementary"
