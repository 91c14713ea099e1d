"""Which service puts back an earlier version of each record (the history page's restore,
audit.restore.restore_version): the record's own edit service, so a restore keeps every
rule an edit keeps. Registered here, at the top of the house, which may import every
domain's services; audit, under every domain, names none. A record not listed is put back
through core's update_record."""

from __future__ import annotations

from samarbeid.arenas.models import Arena, Membership
from samarbeid.arenas.services import update_arena, update_membership
from samarbeid.audit.restore import register_edit_service
from samarbeid.finance.budgets import update_budget, update_line
from samarbeid.finance.keys import update_key
from samarbeid.finance.models import AllocationKey, Budget, BudgetLine
from samarbeid.governance.models import Case, Decision, ProcessStep
from samarbeid.governance.services.cases import update_case
from samarbeid.governance.services.decisions import update_decision
from samarbeid.governance.services.process_plans import update_step
from samarbeid.portfolio.models import Project
from samarbeid.portfolio.services import update_project
from samarbeid.review.models import Alternative, CooperationProposal, ProposalCriterion, ReviewItem
from samarbeid.review.services.comparisons import update_alternative
from samarbeid.review.services.proposals import update_criterion, update_proposal
from samarbeid.review.services.rounds import update_item
from samarbeid.strategy.models import Benefit, StrategicPlan
from samarbeid.strategy.services.benefits import update_benefit
from samarbeid.strategy.services.plans import update_plan
from samarbeid.workshops.models import Question, Workshop
from samarbeid.workshops.services.workshops import update_question, update_workshop


def register_edit_services() -> None:
    register_edit_service(Arena, update_arena)
    register_edit_service(Membership, update_membership)
    register_edit_service(Case, update_case)
    register_edit_service(Decision, update_decision)
    register_edit_service(ProcessStep, update_step)
    register_edit_service(Project, update_project)
    register_edit_service(AllocationKey, update_key)
    register_edit_service(Budget, update_budget)
    register_edit_service(BudgetLine, update_line)
    register_edit_service(ReviewItem, update_item)
    register_edit_service(CooperationProposal, update_proposal)
    register_edit_service(ProposalCriterion, update_criterion)
    register_edit_service(Alternative, update_alternative)
    register_edit_service(StrategicPlan, update_plan)
    register_edit_service(Benefit, update_benefit)
    register_edit_service(Workshop, update_workshop)
    register_edit_service(Question, update_question)
