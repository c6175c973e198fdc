"""Context for the Plans tab of an account page."""

from django.db.models import Prefetch

from accountwise.plans.models import PlanAction


def plans_tab_context(account) -> dict:
    """Return the account's plans with their progress and actions, in two queries."""
    actions = PlanAction.objects.select_related("owner")
    plans = (
        account.plans.with_progress()
        .select_related("owner", "contract", "opportunity")
        .prefetch_related(Prefetch("actions", queryset=actions))
        .in_tab_order()
    )
    return {"plans": list(plans)}
