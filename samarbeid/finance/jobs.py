"""Invoice runs as background tasks (samarbeid.jobs): the run pages start a task and show
its page; the task calls the same services the pages called (create_run, refresh_run,
approve_run, issue_run), as the user who started it. Each service checks everything
first and writes in one short transaction, so a refused or failed task writes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.phrases import Phrase, Text, joined, phrase, plural
from samarbeid.core.versioning import check_version
from samarbeid.finance.access import (
    DRAFT_ALL_REFUSAL,
    can_draft_all,
    can_manage_finance,
    require_draft_all,
    require_manage_finance,
)
from samarbeid.finance.invoicing import create_run, create_runs
from samarbeid.finance.models import Budget, InvoiceRun
from samarbeid.finance.run_checks import (
    action_problems,
    arenas_left_out,
    arenas_to_draft,
    check_draft,
    check_draft_all,
    no_arena_to_draft,
)
from samarbeid.finance.run_pending import RUN_ACTION, pending_action, pending_refusal
from samarbeid.finance.run_steps import (
    DueDate,
    approve_run,
    check_due_date,
    issue_run,
    refresh_run,
)
from samarbeid.jobs import services as jobs
from samarbeid.jobs.kinds import Kind, Outcome, register
from samarbeid.jobs.models import Job
from samarbeid.jobs.services import Progress

DRAFT = "invoice_draft"
DRAFT_ALL = "invoice_draft_all"


def _may_manage(user: Any, job: Job) -> bool:
    return job.arena is not None and can_manage_finance(user, job.arena)


def _actor(job: Job) -> Any:
    if job.started_by is None:
        raise PermissionDenied
    return job.started_by


def start_draft(
    arena: Arena, year: int, options: dict[str, Any], *, actor: Actor, channel: str = Channel.PAGE
) -> Job:
    """Queue the drafting of `arena`'s run for `year` (create_run's `options`: the invoice
    date, the payment terms, the seller's account). A year without a budget, or with a
    run already, is refused on the year (ValidationError) and nothing is queued."""
    require_manage_finance(actor, arena)
    check_draft(arena, year)
    params = _draft_params(year, options, channel)
    title = phrase(
        "Utkast til fakturakjøring %(year)s for %(arena)s", year=year, arena=arena.short_name
    )
    return jobs.start(DRAFT, actor=actor, channel=channel, title=title, arena=arena, params=params)


def _draft_params(year: int, options: dict[str, Any], channel: str) -> dict[str, Any]:
    issue_date: date | None = options.get("issue_date")
    return {
        "year": year,
        "issue_date": issue_date.isoformat() if issue_date else None,
        "due_days": options.get("due_days", 30),
        "seller_account": options.get("seller_account", ""),
        "channel": channel,
    }


def _may_draft_all(user: Any, job: Job) -> bool:
    return can_draft_all(user)


def start_draft_all(
    year: int, options: dict[str, Any], *, actor: Actor, channel: str = Channel.PAGE
) -> Job:
    """Queue the drafting of every arena's run for `year`: each arena with a budget for
    the year, no run yet and someone to invoice (a secretariat for every arena; the result
    names the arenas left out). A year in which no arena has such a budget is refused on
    the year and nothing is queued."""
    require_draft_all(actor)
    check_draft_all(year)
    title = phrase("Utkast til fakturakjøringer %(year)s for alle arenaer", year=year)
    params = _draft_params(year, options, channel)
    return jobs.start(DRAFT_ALL, actor=actor, channel=channel, title=title, params=params)


def _draft_all(job: Job, progress: Progress) -> Outcome:
    params = job.params
    year = int(params["year"])
    progress(phrase("Finner arenaene med budsjett og uten kjøring"), done=0, total=4)
    arenas = list(arenas_to_draft(year))
    if not arenas:
        raise jobs.JobFailed(no_arena_to_draft(year))
    progress(
        plural(
            "Kontrollerer %(count)s budsjett",
            "Kontrollerer %(count)s budsjetter",
            len(arenas),
            count=len(arenas),
        )
    )
    runs = create_runs(
        arenas,
        year,
        **_run_options(job, progress),
    )
    progress(phrase("Utkastene er lagret"))
    made = plural(
        "%(count)s utkast til fakturakjøring for %(year)s er laget.",
        "%(count)s utkast til fakturakjøringer for %(year)s er laget.",
        len(runs),
        count=len(runs),
        year=year,
    )
    return Outcome(
        message=_with_left_out(made, year),
        link=reverse("finance:run_list") + f"?year={year}&status={InvoiceRun.Status.DRAFT}",
        link_text=phrase("Gå til utkastene for %(year)s", year=year),
    )


# The arenas left out are named up to this many (a count says how many more).
NAMED_LEFT_OUT = 10


def _with_left_out(made: Phrase, year: int) -> Text:
    """The drafts made, and the arenas left out for having no one to invoice that year."""
    left_out = list(arenas_left_out(year).values_list("short_name", flat=True))
    if not left_out:
        return made
    names = ", ".join(left_out[:NAMED_LEFT_OUT])
    if len(left_out) > NAMED_LEFT_OUT:
        names += " " + str(len(left_out) - NAMED_LEFT_OUT).join(["(+", ")"])
    return joined(
        made,
        plural(
            "%(count)s arena har ingen å fakturere i %(year)s og er ikke med: %(names)s.",
            "%(count)s arenaer har ingen å fakturere i %(year)s og er ikke med: %(names)s.",
            len(left_out),
            count=len(left_out),
            year=year,
            names=names,
        ),
    )


def _run_options(job: Job, progress: Progress) -> dict[str, Any]:
    """What a job that makes draft runs passes on from its parameters: who asked and how,
    the issue date, the days to pay, the seller's account, and the progress."""
    params = job.params
    return {
        "actor": _actor(job),
        "channel": params.get("channel", Channel.PAGE),
        "issue_date": date.fromisoformat(issue) if (issue := params.get("issue_date")) else None,
        "due_days": int(params.get("due_days", 30)),
        "seller_account": params.get("seller_account", ""),
        "progress": progress,
    }


def _draft(job: Job, progress: Progress) -> Outcome:
    assert job.arena is not None
    params = job.params
    progress(phrase("Kontrollerer budsjettet"), done=0, total=3)
    run = create_run(
        job.arena,
        int(params["year"]),
        **_run_options(job, progress),
    )
    progress(phrase("Utkastet er lagret"))
    return Outcome(
        message=phrase("Utkast til fakturakjøring er laget."),
        link=run.get_absolute_url(),
        link_text=_to_run(run),
    )


def _to_run(run: InvoiceRun) -> Any:
    return phrase(
        "Gå til fakturakjøringen %(year)s for %(arena)s", year=run.year, arena=run.arena.short_name
    )


# What a run's buttons do as tasks, and what the task says when it is done (message ids).
ACTIONS: dict[str, tuple[Any, str, str]] = {
    "approve": (approve_run, gettext_noop("Godkjenn"), gettext_noop("Kjøringen er godkjent.")),
    "issue": (issue_run, gettext_noop("Utsted"), gettext_noop("Fakturaene er utstedt.")),
    "refresh": (
        refresh_run,
        gettext_noop("Lag på nytt fra budsjettet"),
        gettext_noop("Utkastet er laget på nytt fra budsjettet."),
    ),
}


def start_run_action(
    run: InvoiceRun,
    action: str,
    version: int,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    due: DueDate | None = None,
) -> Job:
    """Queue `action` (approve, issue, refresh) on `run` as it was at `version`. Refused
    at once, nothing queued, when the run has changed since (VersionConflict) or is in no
    state for the action (ValidationError: what the run page lists as to be fixed).
    Issuing takes what the secretariat said of the due date (`due`: nothing said is
    refused for a due date that has passed, issue_run's rule)."""
    require_manage_finance(actor, run.arena)
    check_version(run, version)
    problems = action_problems(run, action)
    if problems:
        raise ValidationError(problems)
    if action == "issue":
        due = due or DueDate()
        check_due_date(run, due)
    pending = pending_action(run)
    if pending is not None and not _the_same(pending, actor, action, version):
        raise ValidationError(pending_refusal(pending))
    _act, label, _done = ACTIONS[action]
    title = phrase(
        "%(action)s: fakturakjøring %(year)s for %(arena)s",
        action=phrase(label),
        year=run.year,
        arena=run.arena.short_name,
    )
    params: dict[str, Any] = {
        "run": run.pk,
        "action": action,
        "version": version,
        "channel": channel,
    }
    if due is not None:
        params["due_date"] = due.new.isoformat() if due.new else None
        params["keep_passed_due_date"] = due.keep_passed
    return jobs.start(
        RUN_ACTION, actor=actor, channel=channel, title=title, arena=run.arena, params=params
    )


def _the_same(job: Job, actor: Actor, action: str, version: int) -> bool:
    """A second click on the same button: jobs.start answers with the task under way."""
    return (
        job.started_by_id == getattr(actor, "pk", None)
        and job.params.get("action") == action
        and job.params.get("version") == version
    )


def _due(job: Job) -> DueDate:
    """What the secretariat said of the due date when asking to issue (start_run_action)."""
    new = job.params.get("due_date")
    return DueDate(
        new=date.fromisoformat(new) if new else None,
        keep_passed=bool(job.params.get("keep_passed_due_date")),
    )


def _run_action_label(job: Job) -> str:
    """What kind of action the task is (the task's "Type")."""
    return str(
        {
            "approve": _("Godkjenning av fakturakjøring"),
            "issue": _("Utstedelse av fakturaer"),
            "refresh": _("Nytt utkast fra budsjettet"),
        }.get(job.params.get("action", ""), _("Fakturakjøring"))
    )


def _draft_check(job: Job) -> None:
    if job.arena is not None:
        check_draft(job.arena, int(job.params["year"]))


def _draft_all_check(job: Job) -> None:
    check_draft_all(int(job.params["year"]))


def _run_check(job: Job) -> None:
    """A retried action: the run must still be there, in a state for the action, as it was
    when the action was asked for (else the action is asked for again on the run's page)."""
    run = InvoiceRun.objects.select_related("arena").filter(pk=job.params.get("run")).first()
    if run is None:
        raise ValidationError(_("Fakturakjøringen finnes ikke lenger."))
    problems = action_problems(run, str(job.params.get("action")))
    if problems:
        raise ValidationError(problems)
    if job.params.get("action") == "issue":
        check_due_date(run, _due(job))  # a new due date may have passed since
    if run.version != job.params.get("version"):
        raise ValidationError(
            _("Kjøringen er endret siden handlingen ble startet; start den på nytt fra kjøringen.")
        )
    pending = pending_action(run)
    if pending is not None and pending.pk != job.pk:
        raise ValidationError(pending_refusal(pending))


def _run_action(job: Job, progress: Progress) -> Outcome:
    params = job.params
    act, _label, done = ACTIONS[params["action"]]
    progress(phrase("Henter kjøringen"), done=0, total=2)
    run = InvoiceRun.objects.select_related("arena", "seller").filter(pk=params["run"]).first()
    if run is None:
        raise jobs.JobFailed(phrase("Fakturakjøringen finnes ikke lenger."))
    progress(phrase("Kontrollerer og lagrer"))
    # issuing: what the secretariat said of the due date, checked again by the service
    extra = {"due": _due(job)} if params["action"] == "issue" else {}
    act(
        run,
        expected_version=int(params["version"]),
        actor=_actor(job),
        channel=params.get("channel", Channel.PAGE),
        **extra,
    )
    progress(phrase("Lagret"))
    return Outcome(message=phrase(done), link=run.get_absolute_url(), link_text=_to_run(run))


def _draft_target(job: Job) -> tuple[str, str] | None:
    """A draft's budget for its year (where a refused draft is mended), else the arena's
    finance page."""
    if job.arena is None:
        return None
    year = job.params.get("year")
    budget = Budget.objects.filter(arena=job.arena, year=year).only("pk").first()
    if budget is not None:
        return budget.get_absolute_url(), _("Gå til budsjettet %(year)s for %(arena)s") % {
            "year": year,
            "arena": job.arena.short_name,
        }
    return reverse("finance:arena", args=[job.arena.pk]), _("Gå til økonomien for %(arena)s") % {
        "arena": job.arena.short_name
    }


def _draft_all_target(job: Job) -> tuple[str, str] | None:
    return reverse("finance:index") + "#runs", _("Gå til fakturakjøringene")


def _run_target(job: Job) -> tuple[str, str] | None:
    run = InvoiceRun.objects.select_related("arena").filter(pk=job.params.get("run")).first()
    if run is None:
        return _draft_target(job)
    return run.get_absolute_url(), _("Gå til fakturakjøringen %(year)s for %(arena)s") % {
        "year": run.year,
        "arena": run.arena.short_name,
    }


def _runs_gone(done: Sequence[Job]) -> dict[int, str]:
    """The tasks whose result links to a run deleted since (a draft may be deleted)."""
    run_ids: dict[int, int] = {}
    for job in done:
        try:
            found = resolve(urlsplit(job.link).path)
        except Resolver404:
            continue
        if found.view_name == "finance:run_detail":
            run_ids[job.pk] = int(found.kwargs["pk"])
    if not run_ids:
        return {}
    kept = set(InvoiceRun.objects.filter(pk__in=set(run_ids.values())).values_list("pk", flat=True))
    gone = _("Fakturakjøringen er slettet etter at oppgaven var ferdig.")
    return {job_id: gone for job_id, run_id in run_ids.items() if run_id not in kept}


def register_kinds() -> None:
    register(
        Kind(
            DRAFT,
            gettext_noop("Utkast til fakturakjøring"),
            _draft,
            _may_manage,
            target=_draft_target,
            links_gone=_runs_gone,
            check=_draft_check,
        )
    )
    register(
        Kind(
            DRAFT_ALL,
            gettext_noop("Utkast for alle arenaer"),
            _draft_all,
            _may_draft_all,
            refusal=DRAFT_ALL_REFUSAL,
            target=_draft_all_target,
            check=_draft_all_check,
        )
    )
    register(
        Kind(
            RUN_ACTION,
            gettext_noop("Fakturakjøring"),
            _run_action,
            _may_manage,
            target=_run_target,
            links_gone=_runs_gone,
            check=_run_check,
            label_of=_run_action_label,
        )
    )
