import datetime

from django import forms
from django.db.models import Q
from django.utils import dateformat, timezone

from accountwise.contracts.forms import account_chooser
from accountwise.contracts.models import Contract
from accountwise.core.concurrency import VersionedFormMixin
from accountwise.core.forms import DateInput, StyledFormMixin
from accountwise.lib.money import format_money
from accountwise.opportunities.models import Opportunity
from accountwise.plans.models import Plan, PlanAction
from accountwise.users.models import User

# Values of the "Based on" choice: "contract-12" or "opportunity-7"; empty for a plan of its own.
_BASIS_MODELS = {"contract": Contract, "opportunity": Opportunity}


def _users_for_choice(keep_pk: int | None):
    """Return active users, plus the one already chosen, so an old choice stays valid on edit."""
    return User.objects.filter(Q(is_active=True) | Q(pk=keep_pk))


class PlanForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    """Add or edit a plan; offers an account chooser when no account is given."""

    based_on = forms.ChoiceField(
        required=False,
        label="Based on",
        help_text="The contract or opportunity the plan serves, if any. Its row on the account "
                  "page then links to the plan.",
        error_messages={
            "invalid_choice": "Choose one of the listed contracts or opportunities; each can have "
                              "one plan only.",
        },
    )

    class Meta:
        model = Plan
        fields = ["name", "objective", "owner", "status", "start_date", "due_date"]
        widgets = {
            "objective": forms.Textarea(attrs={"rows": 4}),
            "start_date": DateInput(),
            "due_date": DateInput(),
        }
        help_texts = {
            "objective": "What the plan should achieve with the account, and how the team will "
                         "know it has.",
            "owner": "The person responsible for the plan.",
            "status": "Draft while you prepare the plan, Active while the team works on it, "
                      "Completed once it is achieved.",
        }
        error_messages = {
            "name": {"required": "Enter a name for the plan."},
            "objective": {"required": "Enter the objective: what the plan should achieve."},
            "start_date": {"invalid": "Enter the start date as a date, such as 2027-01-31."},
            "due_date": {"invalid": "Enter the due date as a date, such as 2027-12-31."},
        }

    def __init__(self, *args, user: User, choose_account: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.instance
        self.fields["owner"].queryset = _users_for_choice(plan.owner_id)
        self.fields["owner"].empty_label = "No owner"
        if plan.pk is None and self.initial.get("owner") is None:
            self.initial["owner"] = user.pk

        if choose_account:
            # The contracts and opportunities to choose from depend on the account, so a
            # plan created from "Create new" gets its basis on the edit page, if at all.
            del self.fields["based_on"]
            self.fields = {"account": account_chooser(user), **self.fields}
        else:
            self.fields["based_on"].choices = _basis_choices(plan)
            if "based_on" not in self.initial and plan.based_on is not None:
                self.initial["based_on"] = basis_value(plan.based_on)

    def clean_based_on(self):
        value = self.cleaned_data["based_on"]
        self.instance.contract = None
        self.instance.opportunity = None
        if value:
            kind, pk = value.split("-")
            basis = _BASIS_MODELS[kind].objects.filter(pk=int(pk)).first()
            if basis is None:
                raise forms.ValidationError(f"That {kind} no longer exists; choose another or nothing.")
            setattr(self.instance, kind, basis)
        return value

    def clean(self):
        cleaned = super().clean()
        account = cleaned.get("account")
        if account is not None:
            self.instance.account = account
        return cleaned


def basis_value(business) -> str:
    """Return the "Based on" choice value of a contract or an opportunity."""
    kind = "contract" if isinstance(business, Contract) else "opportunity"
    return f"{kind}-{business.pk}"


def _basis_choices(plan: Plan) -> list:
    """List the account's contracts and opportunities without a plan, and the plan's own basis."""
    free = Q(plan__isnull=True)
    if plan.pk is not None:
        free |= Q(plan=plan)
    contracts = Contract.objects.filter(free, account_id=plan.account_id).order_by("name")
    opportunities = Opportunity.objects.filter(free, account_id=plan.account_id).order_by("name")

    choices = [("", "Nothing: a plan of its own")]
    if contracts:
        choices.append(("Contracts", [(basis_value(c), c.name) for c in contracts]))
    if opportunities:
        choices.append(("Opportunities", [(basis_value(o), o.name) for o in opportunities]))
    return choices


def initial_from_contract(contract: Contract, user: User, currency: str) -> dict:
    """Prefill a plan based on a contract: its name, a renewal-minded objective, its end date and owner."""
    value = f" ({format_money(contract.value, currency)})" if contract.value is not None else ""
    objective = contract.description.strip() or (
        f"Deliver {contract.name}{value} to the customer's satisfaction and prepare its renewal."
    )
    return {
        "name": f"Plan for {contract.name}",
        "objective": objective,
        "owner": contract.owner_id or user.pk,
        "status": "active",
        "start_date": timezone.localdate(),
        "due_date": _due_after_start(contract.end_date),
        "based_on": basis_value(contract),
    }


def initial_from_opportunity(opportunity: Opportunity, user: User, currency: str) -> dict:
    """Prefill a plan based on an opportunity: its name, winning it, its close date and owner."""
    close_date = dateformat.format(opportunity.close_date, "M j, Y")
    objective = (
        f"Win {opportunity.name} ({format_money(opportunity.value, currency)}) by {close_date}."
    )
    if opportunity.description.strip():
        objective = f"{objective}\n\n{opportunity.description.strip()}"
    return {
        "name": f"Plan for {opportunity.name}",
        "objective": objective,
        "owner": opportunity.owner_id or user.pk,
        "status": "active",
        "start_date": timezone.localdate(),
        "due_date": _due_after_start(opportunity.close_date),
        "based_on": basis_value(opportunity),
    }


def _due_after_start(date: datetime.date | None) -> datetime.date | None:
    """Return the date as a due date, or None when it has passed and would come before today's start."""
    if date is None or date < timezone.localdate():
        return None
    return date


class PlanActionForm(StyledFormMixin, forms.ModelForm):
    """Add or edit one action of a plan."""

    class Meta:
        model = PlanAction
        fields = ["title", "owner", "due_date"]
        labels = {"title": "Action"}
        widgets = {"due_date": DateInput()}
        error_messages = {
            "title": {"required": "Enter what needs to be done."},
            "due_date": {"invalid": "Enter the due date as a date, such as 2027-03-31."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        action = self.instance
        # Several action forms can be on one page (add and edit), so ids must differ per form.
        self.auto_id = f"action-{action.pk or 'new'}-%s"
        self.fields["owner"].queryset = _users_for_choice(action.owner_id)
        self.fields["owner"].empty_label = "No owner"
        self.fields["title"].widget.attrs["placeholder"] = "What needs to be done"
