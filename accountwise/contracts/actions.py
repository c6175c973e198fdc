"""Changes to contracts that every caller (views, API, import) makes through these functions."""

import logging

from django.db import IntegrityError, transaction

from accountwise.contracts.models import Contract, ContractStatus
from accountwise.documents import actions as document_actions

logger = logging.getLogger(__name__)

# Contract fields a caller may set when creating a contract from an opportunity;
# the account and the opportunity always come from the opportunity itself.
_FIELDS_FROM_DATA = ("name", "description", "value", "start_date", "end_date", "owner", "status")


class OpportunityNotWonError(Exception):
    """Raised when a contract is requested for an opportunity that is not closed won."""


class ContractExistsError(Exception):
    """Raised when the opportunity already has a contract, possibly one in Deleted items. `contract` is that contract."""

    def __init__(self, contract: Contract):
        super().__init__(f"Opportunity {contract.opportunity_id} already has contract {contract.pk}.")
        self.contract = contract


def archive_contract(contract: Contract, user, *, delete_documents: bool = False) -> int:
    """Archive a contract. Its documents stay on it, and so on the account, unless `delete_documents` is true.

    Return the number of documents deleted.
    """
    with transaction.atomic():
        contract.status = ContractStatus.ARCHIVED
        contract.save(update_fields=["status", "updated_at"])
        deleted = document_actions.delete_documents(contract.documents.all(), user) if delete_documents else 0
    logger.info("Contract %s archived by user %s", contract.pk, user.pk)
    return deleted


def restore_contract(contract: Contract, user) -> None:
    contract.status = ContractStatus.ACTIVE
    contract.save(update_fields=["status", "updated_at"])
    logger.info("Contract %s restored by user %s", contract.pk, user.pk)


def not_won_message(opportunity) -> str:
    """Return the message for a contract requested from an opportunity that is not closed won."""
    return (
        f"{opportunity.name} is at the stage {opportunity.stage.name}. "
        "Move it to a closed won stage before creating a contract from it."
    )


def contract_exists_message(opportunity, contract: Contract) -> str:
    """Return the message for a contract requested from an opportunity that already has `contract`."""
    if contract.deleted_at is not None:
        return (
            f'The contract "{contract.name}" created from {opportunity.name} is in Deleted items. '
            "An opportunity has one contract, so ask an administrator to restore that one."
        )
    return f"{opportunity.name} already has a contract: {contract.name}."


def contract_prefill(opportunity) -> dict:
    """Return the contract fields a won opportunity suggests: its name, value, description and close date as start."""
    return {
        "name": opportunity.name,
        "value": opportunity.value,
        "start_date": opportunity.close_date,
        "description": opportunity.description,
    }


def create_contract_from_opportunity(opportunity, user, data: dict) -> Contract:
    """Create the contract for a won opportunity on the opportunity's account.

    `data` contains validated contract fields (name, value, dates, owner, …).
    Raise OpportunityNotWonError unless the opportunity is closed won, and
    ContractExistsError when it already has a contract.
    """
    if not opportunity.is_won:
        raise OpportunityNotWonError(not_won_message(opportunity))

    # A deleted contract keeps its link, which the one-to-one constraint covers, so look among all contracts.
    existing = Contract.all_objects.filter(opportunity=opportunity).first()
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
        existing = Contract.all_objects.filter(opportunity=opportunity).first()
        if existing is None:
            raise
        raise ContractExistsError(existing) from None

    logger.info(
        "Contract %s created from opportunity %s by user %s", contract.pk, opportunity.pk, user.pk
    )
    return contract


def archive_expired_contracts(account, user, today, contract_ids: list[int]) -> list[Contract]:
    """Archive the listed contracts of the account that are still expired on `today`; return them.

    Contracts renewed or archived since the user saw the list are left alone,
    and so are contracts that expired after it was shown.
    """
    contracts = list(account.contracts.expired(today).filter(pk__in=contract_ids))
    with transaction.atomic():
        for contract in contracts:
            archive_contract(contract, user)
    logger.info(
        "Expired contracts %s of account %s archived by user %s",
        [contract.pk for contract in contracts], account.pk, user.pk,
    )
    return contracts
