"""Changes to contracts that every caller (views, API, import) makes through these functions."""

import logging

from django.db import IntegrityError, transaction

from accountwise.contracts.models import Contract, ContractStatus

logger = logging.getLogger(__name__)

# Contract fields a caller may set when creating a contract from an opportunity;
# the account and the opportunity always come from the opportunity itself.
_FIELDS_FROM_DATA = ("name", "description", "value", "start_date", "end_date", "owner", "status")


class OpportunityNotWonError(Exception):
    """Raised when a contract is requested for an opportunity that is not closed won."""


class ContractExistsError(Exception):
    """Raised when the opportunity already has a contract; `contract` is that contract."""

    def __init__(self, contract: Contract):
        super().__init__(f"Opportunity {contract.opportunity_id} already has contract {contract.pk}.")
        self.contract = contract


def archive_contract(contract: Contract, user) -> None:
    contract.status = ContractStatus.ARCHIVED
    contract.save(update_fields=["status", "updated_at"])
    logger.info("Contract %s archived by user %s", contract.pk, user.pk)


def restore_contract(contract: Contract, user) -> None:
    contract.status = ContractStatus.ACTIVE
    contract.save(update_fields=["status", "updated_at"])
    logger.info("Contract %s restored by user %s", contract.pk, user.pk)


def create_contract_from_opportunity(opportunity, user, data: dict) -> Contract:
    """Create the contract for a won opportunity on the opportunity's account.

    `data` contains validated contract fields (name, value, dates, owner, …).
    Raise OpportunityNotWonError unless the opportunity is closed won, and
    ContractExistsError when it already has a contract.
    """
    if not opportunity.is_won:
        raise OpportunityNotWonError(f"Opportunity {opportunity.pk} is not closed won.")

    existing = Contract.objects.filter(opportunity=opportunity).first()
    if existing is not None:
        raise ContractExistsError(existing)

    fields = {name: data[name] for name in _FIELDS_FROM_DATA if name in data}
    contract = Contract(account_id=opportunity.account_id, opportunity=opportunity, **fields)
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError:
        # Another request created the contract between the check above and
        # this insert; the one-to-one constraint kept the second one out.
        existing = Contract.objects.filter(opportunity=opportunity).first()
        if existing is None:
            raise
        raise ContractExistsError(existing) from None

    logger.info(
        "Contract %s created from opportunity %s by user %s", contract.pk, opportunity.pk, user.pk
    )
    return contract
