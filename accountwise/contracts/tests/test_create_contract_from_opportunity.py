import datetime
from decimal import Decimal

from accountwise.contracts.actions import (
    ContractExistsError,
    OpportunityNotWonError,
    create_contract_from_opportunity,
)
from accountwise.contracts.models import Contract, ContractStatus
from accountwise.test import BaseTestCase, make_account, make_contract, make_opportunity, stage


class CreateContractFromOpportunityTests(BaseTestCase):
    def setUp(self):
        self.opportunity = make_opportunity(
            self.account, "Rollout", stage=stage("won"), value=Decimal("1200.00")
        )
        self.data = {
            "name": "Rollout contract",
            "description": "",
            "value": Decimal("1200.00"),
            "start_date": datetime.date(2027, 6, 30),
            "end_date": None,
            "owner": self.owner,
            "status": ContractStatus.ACTIVE,
        }

    def test_contract_records_opportunity(self):
        contract = create_contract_from_opportunity(self.opportunity, self.owner, self.data)

        contract.refresh_from_db()
        self.assertEqual(contract.opportunity, self.opportunity)
        self.assertEqual(contract.account, self.account)
        self.assertEqual(contract.name, "Rollout contract")
        self.assertEqual(contract.value, Decimal("1200.00"))
        self.assertEqual(contract.start_date, datetime.date(2027, 6, 30))

    def test_account_comes_from_opportunity(self):
        other = make_account("Globex")

        contract = create_contract_from_opportunity(
            self.opportunity, self.owner, {**self.data, "account": other}
        )

        contract.refresh_from_db()
        self.assertEqual(contract.account, self.account)

    def test_second_contract_refused(self):
        first = make_contract(self.account, "Existing", opportunity=self.opportunity)

        with self.assertRaises(ContractExistsError) as raised:
            create_contract_from_opportunity(self.opportunity, self.owner, self.data)

        self.assertEqual(raised.exception.contract, first)
        self.assertEqual(Contract.objects.count(), 1)

    def test_open_opportunity_refused(self):
        open_opportunity = make_opportunity(self.account, stage=stage("Proposal"))

        with self.assertRaises(OpportunityNotWonError):
            create_contract_from_opportunity(open_opportunity, self.owner, self.data)

        self.assertFalse(Contract.objects.exists())
