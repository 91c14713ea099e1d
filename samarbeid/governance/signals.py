"""What governance tells the layers above it, after the write is committed."""

from django.dispatch import Signal

# A case was sent to municipalities' bodies for treatment: sent with `case` and `decisions`
# (the new pending treatments), after the transaction commits. Reminders e-mails each
# municipality's coordinators.
case_sent = Signal()
