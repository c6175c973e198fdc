"""Filters of the API lists: the accounts list's own filter, the portfolio views' filters, and one per other list.

A filter on the id of an account, or of a record on one, offers only what the
requesting user may see. Under team-only visibility an id on a hidden account
then gets the same 400 as an id that does not exist, so a list does not reveal
that the hidden account exists.
"""

from django.db.models import Model, QuerySet
from django_filters import rest_framework as filters

from accountwise.accounts.filters import AccountFilter
from accountwise.accounts.models import Account, Contact
from accountwise.contracts.models import Contract
from accountwise.core.permissions import viewable_accounts
from accountwise.documents.models import Document
from accountwise.opportunities.models import Opportunity
from accountwise.plans.models import Plan, PlanAction
from accountwise.portfolio import filters as portfolio_filters


def _shared_choice(model: type[Model], account_lookup: str = "account", **kwargs) -> filters.ModelChoiceFilter:
    """Return a filter on the id of a record of the model whose account the requesting user may see.

    `account_lookup` is the path from the record to its account: "pk" for an account.
    """

    def shared(request) -> QuerySet:
        return model.objects.filter(**{f"{account_lookup}__in": viewable_accounts(request.user)})

    noun = model._meta.verbose_name.capitalize()
    message = f"{noun} %(value)s does not exist or is not shared with you. Use the id of one you can open."
    return filters.ModelChoiceFilter(queryset=shared, error_messages={"invalid_choice": message}, **kwargs)


class ApiAccountFilter(AccountFilter):
    """The accounts list's filter without its sort, which the API's `ordering` replaces.

    Cursor pages need a plain field order, so the UI's case-insensitive sort cannot apply.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters.pop("sort")


class ContractFilter(portfolio_filters.ContractFilter):
    """The contracts portfolio view's filter: status, dates, owner, value, account criteria, custom fields.

    A missing status keeps every status. The view's sort is left out, here and
    in the schema, because the API's `ordering` replaces it.
    """

    account = _shared_choice(Account, "pk", label="Account")


class OpportunityFilter(portfolio_filters.OpportunityFilter):
    """The opportunities portfolio view's filter, without its sort, as for contracts."""

    account = _shared_choice(Account, "pk", label="Account")


# Each FilterSet class has its own base_filters, so this leaves the portfolio views' sort in place.
ContractFilter.base_filters.pop("sort")
OpportunityFilter.base_filters.pop("sort")


class ContactFilter(filters.FilterSet):
    account = _shared_choice(Account, "pk")

    class Meta:
        model = Contact
        fields = ["account", "is_key_player", "role", "sentiment"]


class PlanFilter(filters.FilterSet):
    account = _shared_choice(Account, "pk")

    class Meta:
        model = Plan
        fields = ["account", "owner", "status"]


class PlanActionFilter(filters.FilterSet):
    plan = _shared_choice(Plan)

    class Meta:
        model = PlanAction
        fields = ["plan", "owner", "done"]


class DocumentFilter(filters.FilterSet):
    account = _shared_choice(Account, "pk")
    contract = _shared_choice(Contract)
    opportunity = _shared_choice(Opportunity)

    class Meta:
        model = Document
        fields = ["account", "contract", "opportunity", "kind"]
