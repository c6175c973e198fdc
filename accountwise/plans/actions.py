"""Changes to plans and their actions that every caller (views, API, import) makes through these functions."""

import logging

from django.db import IntegrityError, transaction

from accountwise.plans.models import Plan, PlanAction, plan_based_on

logger = logging.getLogger(__name__)


class PlanExistsError(Exception):
    """Raised when the contract or opportunity already has a plan; `plan` is that plan."""

    def __init__(self, plan: Plan):
        super().__init__(f"{plan.based_on} already has plan {plan.pk}.")
        self.plan = plan


def save_plan(plan: Plan, user) -> Plan:
    """Create or update a plan; raise PlanExistsError when its basis already has another plan."""
    basis = plan.based_on
    if basis is not None:
        existing = plan_based_on(type(basis).objects.select_related("plan").get(pk=basis.pk))
        if existing is not None and existing.pk != plan.pk:
            raise PlanExistsError(existing)

    created = plan.pk is None
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        # Another request based a plan on the same business between the check
        # above and this save; the one-to-one constraint kept this one out.
        existing = plan_based_on(type(basis).objects.get(pk=basis.pk)) if basis else None
        if existing is None or existing.pk == plan.pk:
            raise
        raise PlanExistsError(existing) from None

    logger.info("Plan %s %s by user %s", plan.pk, "created" if created else "saved", user.pk)
    return plan


def save_plan_action(action: PlanAction, user) -> PlanAction:
    created = action.pk is None
    action.save()
    logger.info(
        "Action %s of plan %s %s by user %s",
        action.pk, action.plan_id, "added" if created else "saved", user.pk,
    )
    return action


def set_action_done(action: PlanAction, done: bool, user) -> None:
    action.done = done
    action.save(update_fields=["done", "updated_at"])
    logger.info(
        "Action %s of plan %s marked %s by user %s",
        action.pk, action.plan_id, "done" if done else "not done", user.pk,
    )


def delete_plan_action(action: PlanAction, user) -> None:
    logger.info("Action %s of plan %s deleted by user %s", action.pk, action.plan_id, user.pk)
    action.delete()


def delete_plan(plan: Plan, user) -> None:
    logger.info("Plan %s of account %s deleted by user %s", plan.pk, plan.account_id, user.pk)
    plan.delete()
