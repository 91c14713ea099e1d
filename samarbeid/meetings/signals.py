"""What meetings tell the layers above it, after the write is committed."""

from django.dispatch import Signal

# The notice of a meeting was sent: sent with `meeting` after the transaction commits.
# Reminders e-mails the coordinators of the body's members' municipalities.
notice_sent = Signal()
