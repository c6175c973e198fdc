"""The dashboard: the signed-in user's own work on one page.

"Your accounts" are those the user owns or is a team member of. "Your
opportunities" are the open ones the user owns, and the open ones without an
owner on accounts the user owns. "Your plan actions" are those assigned to the
user, and those without an assignee on plans the user owns.
"""

import datetime

from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone

from accountwise.accounts.models import Account, Contact
from accountwise.contracts.models import Contract
from accountwise.opportunities.models import Opportunity
from accountwise.plans.models import Plan, PlanAction
from accountwise.reports import builtin, opportunity_profile

# Contracts ending within this many days count as ending soon.
ENDING_SOON_DAYS = 90
# Rows each dashboard list shows; the page also shows how many more there are.
LIST_LIMIT = 10
RECENT_CHANGE_LIMIT = 12

_CHANGE_LABELS = {"+": "created", "~": "changed", "-": "deleted"}


def user_accounts(user) -> QuerySet:
    return Account.objects.filter(Q(owner=user) | Q(team_members=user)).distinct()


def user_opportunities(user) -> QuerySet:
    return Opportunity.objects.filter(Q(owner=user) | Q(owner__isnull=True, account__owner=user))


def contracts_ending_soon(accounts: QuerySet, today: datetime.date) -> QuerySet:
    end = today + datetime.timedelta(days=ENDING_SOON_DAYS)
    return (
        Contract.objects.active()
        .filter(account__in=accounts.values("pk"), end_date__gte=today, end_date__lte=end)
        .select_related("account")
        .order_by("end_date", "pk")
    )


def overdue_actions(user, today: datetime.date) -> QuerySet:
    return (
        PlanAction.objects.filter(done=False, due_date__lt=today)
        .filter(Q(owner=user) | Q(owner__isnull=True, plan__owner=user))
        .select_related("plan", "plan__account")
        .order_by("due_date", "pk")
    )


def _history_rows(model, kind: str, name: F, account: F, account_ids: QuerySet) -> QuerySet:
    return (
        model.history.model.objects.filter(**{f"{account.name}__in": account_ids})
        .order_by()
        .values(
            when=F("history_date"),
            change=F("history_type"),
            record_id=F("id"),
            record_name=name,
            record_account=account,
            user_first_name=F("history_user__first_name"),
            user_last_name=F("history_user__last_name"),
            username=F("history_user__username"),
            kind=Value(kind, output_field=CharField()),
        )
    )


def _contact_name() -> Concat:
    return Concat(F("first_name"), Value(" "), F("last_name"), output_field=CharField())


def recent_changes(accounts: QuerySet) -> list[dict]:
    """Return the latest changes to the accounts and their contacts, contracts, opportunities and plans.

    One UNION query over the history tables, newest first.
    """
    account_ids = accounts.values("pk")
    parts = [
        _history_rows(Account, "Account", F("name"), F("id"), account_ids),
        _history_rows(Contact, "Contact", _contact_name(), F("account_id"), account_ids),
        _history_rows(Contract, "Contract", F("name"), F("account_id"), account_ids),
        _history_rows(Opportunity, "Opportunity", F("name"), F("account_id"), account_ids),
        _history_rows(Plan, "Plan", F("name"), F("account_id"), account_ids),
    ]
    rows = parts[0].union(*parts[1:], all=True).order_by("-when")[:RECENT_CHANGE_LIMIT]
    changes = list(rows)
    for change in changes:
        full_name = f"{change['user_first_name'] or ''} {change['user_last_name'] or ''}".strip()
        change["who"] = full_name or change["username"] or "Import or system"
        change["verb"] = _CHANGE_LABELS.get(change["change"], "changed")
        change["account_url"] = reverse("accounts:detail", args=[change["record_account"]])
    return changes


def dashboard_context(user) -> dict:
    today = timezone.localdate()
    accounts = user_accounts(user)
    opportunities = user_opportunities(user)
    ending = contracts_ending_soon(accounts, today)
    actions = overdue_actions(user, today)
    ending_count = ending.count()
    open_pipeline = opportunity_profile.OpenPipeline(opportunities, today, timezone.now())
    pipeline = open_pipeline.totals()
    stage_table = builtin.stage_table(open_pipeline, pipeline)
    stage_table.title = "Your open opportunities by stage"
    stage_table.empty_message = "You have no open opportunities."
    return {
        "today": today,
        "ending_soon": list(ending[:LIST_LIMIT]),
        "ending_soon_count": ending_count,
        "ending_more": max(ending_count - LIST_LIMIT, 0),
        "ending_days": ENDING_SOON_DAYS,
        "overdue_actions": list(actions[:LIST_LIMIT]),
        "overdue_action_count": actions.count(),
        "stage_table": stage_table,
        "pipeline": pipeline,
        "changes": recent_changes(accounts),
        "account_count": accounts.count(),
        "list_limit": LIST_LIMIT,
    }
