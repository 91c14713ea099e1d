from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """Reminders by e-mail: each person's digest of what waits on them (the dashboard's
    sections), sent once for each state."""

    name = "samarbeid.reminders"
    verbose_name = "Påminnelser"

    def ready(self) -> None:
        # imported here: the models these modules name are loaded only now
        from samarbeid.finance.contact_opt_outs import register_lookup
        from samarbeid.finance.signals import run_issued
        from samarbeid.governance.signals import case_sent
        from samarbeid.meetings.signals import notice_sent
        from samarbeid.reminders.daily import register_kinds
        from samarbeid.reminders.notices import (
            case_sent_to_councils,
            meeting_notice_sent,
            opt_out_dates,
            run_issued_to_contacts,
        )

        case_sent.connect(case_sent_to_councils, dispatch_uid="reminders.case_sent")
        run_issued.connect(run_issued_to_contacts, dispatch_uid="reminders.run_issued")
        notice_sent.connect(meeting_notice_sent, dispatch_uid="reminders.meeting_notice_sent")
        register_lookup(opt_out_dates)  # the invoice references page marks who opted out

        register_kinds()  # the daily reminders as a task on the worker (samarbeid.jobs)
