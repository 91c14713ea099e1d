"""What finance tells the layers above it, after the write is committed."""

from django.dispatch import Signal

# An invoice run was issued: sent with `run` and `invoice_ids` (the invoices issued now),
# after the transaction commits. Reminders e-mails each buyer's invoice contact.
run_issued = Signal()
