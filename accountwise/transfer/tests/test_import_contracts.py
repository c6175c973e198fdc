import datetime
from decimal import Decimal

from accountwise.accounts.models import Account
from accountwise.contracts.models import Contract, ContractStatus
from accountwise.history.deletion import soft_delete
from accountwise.test import make_account, make_contract
from accountwise.transfer.mapping import CONTRACTS
from accountwise.transfer.tests.support import ImportTestCase

HEADER = "Contract name,Account,Value,Start date,End date\n"


class ImportContractsTests(ImportTestCase):
    def test_creates_contract(self):
        result = self.import_csv(CONTRACTS, HEADER + "Support 2026,Acme Corporation,\"12,500.00\",2026-01-01,2026-12-31\n")

        self.assertEqual(result.created, 1)
        contract = Contract.objects.get()
        self.assertEqual(contract.name, "Support 2026")
        self.assertEqual(contract.account, self.account)
        self.assertEqual(contract.value, Decimal("12500.00"))
        self.assertEqual(contract.start_date, datetime.date(2026, 1, 1))
        self.assertEqual(contract.end_date, datetime.date(2026, 12, 31))
        self.assertEqual(contract.status, ContractStatus.ACTIVE)

    def test_only_name_and_account_required(self):
        result = self.import_csv(CONTRACTS, "Name,Account\nSupport,Acme Corporation\n")

        self.assertEqual(result.created, 1)
        self.assertIsNone(Contract.objects.get().value)

    def test_dates_in_several_formats(self):
        rows = (
            "A,Acme Corporation,,2026-01-31,31 Dec 2026\n"
            "B,Acme Corporation,,31/01/2026,\"December 31, 2026\"\n"
            "C,Acme Corporation,,2026-01-31T09:30:00Z,12/31/2026\n"
        )

        self.import_csv(CONTRACTS, HEADER + rows)

        for contract in Contract.objects.all():
            with self.subTest(contract=contract.name):
                self.assertEqual(contract.start_date, datetime.date(2026, 1, 31))
                self.assertEqual(contract.end_date, datetime.date(2026, 12, 31))

    def test_end_before_start_rejected(self):
        result = self.import_csv(CONTRACTS, HEADER + "A,Acme Corporation,,2026-12-31,2026-01-01\n")

        self.assertEqual(
            self.error_texts(result),
            ["line 2, column End date: the end date 2026-01-01 is before the start date 2026-12-31"],
        )

    def test_end_before_stored_start_rejected(self):
        make_contract(self.account, "Support", start_date=datetime.date(2026, 6, 1))

        result = self.import_csv(CONTRACTS, "Name,Account,End date\nSupport,Acme Corporation,2026-01-01\n")

        self.assertIn("is before the start date 2026-06-01", self.error_texts(result)[0])

    def test_negative_value_rejected(self):
        result = self.import_csv(CONTRACTS, HEADER + "A,Acme Corporation,-100,,\n")

        self.assertEqual(self.error_texts(result), ['line 2, column Value: "-100" is negative; amounts must be 0 or more'])

    def test_non_numeric_value_rejected(self):
        result = self.import_csv(CONTRACTS, HEADER + "A,Acme Corporation,lots,,\n")

        self.assertIn('"lots" is not an amount', self.error_texts(result)[0])

    def test_status_label(self):
        self.import_csv(CONTRACTS, "Name,Account,Status\nOld deal,Acme Corporation,Archived\n")

        self.assertEqual(Contract.objects.get().status, ContractStatus.ARCHIVED)

    def test_blank_status_keeps_status(self):
        make_contract(self.account, "Old deal", status=ContractStatus.ARCHIVED)

        self.import_csv(CONTRACTS, "Name,Account,Status,Value\nOld deal,Acme Corporation,,5\n")

        self.assertEqual(Contract.objects.get().status, ContractStatus.ARCHIVED)

    def test_unknown_status_rejected(self):
        result = self.import_csv(CONTRACTS, "Name,Account,Status\nDeal,Acme Corporation,Pending\n")

        self.assertIn('"Pending" is not a contract status; use Active or Archived', self.error_texts(result)[0])

    def test_rerun_updates_by_name(self):
        make_contract(self.account, "Support", value=Decimal("10.00"))

        result = self.import_csv(CONTRACTS, "Name,Account,Value\nSUPPORT,Acme Corporation,20\n")

        self.assertEqual(result.updated, 1)
        self.assertEqual(Contract.objects.get().value, Decimal("20.00"))

    def test_rerun_by_external_id_renames(self):
        make_contract(self.account, "Old", external_id="K-1")

        self.import_csv(CONTRACTS, "Contract ID,Name,Account\nK-1,New,Acme Corporation\n")

        self.assertEqual(Contract.objects.get(external_id="K-1").name, "New")

    def test_rerun_same_file_unchanged(self):
        text = HEADER + "Support,Acme Corporation,100,2026-01-01,2026-12-31\n"
        self.import_csv(CONTRACTS, text)

        result = self.import_csv(CONTRACTS, text)

        self.assertEqual((result.created, result.updated, result.unchanged), (0, 0, 1))

    def test_description_kept_verbatim(self):
        self.import_csv(CONTRACTS, 'Name,Account,Description\nA,Acme Corporation,"  Line one\nline two  "\n')

        self.assertEqual(Contract.objects.get().description, "  Line one\nline two  ")

    def test_create_accounts_option(self):
        result = self.import_csv(CONTRACTS, "Name,Account\nSupport,Globex\n", create_accounts=True)

        self.assertEqual(result.created_accounts, ["Globex"])
        self.assertEqual(Contract.objects.get().account, Account.objects.get(name="Globex"))

    def test_account_in_deleted_items_rejected(self):
        soft_delete(make_account("Globex"), self.owner)
        text = "Name,Account\nSupport,GLOBEX\nHosting,Acme Corporation\n"

        result = self.import_csv(CONTRACTS, text, create_accounts=True, skip_invalid=True)

        self.assertEqual(
            self.error_texts(result),
            ['line 2, column Account: the account "Globex" is in Deleted items; restore it, then import this row again'],
        )
        self.assertEqual(result.created_accounts, [])
        self.assertEqual(list(Contract.objects.values_list("name", flat=True)), ["Hosting"])

    def test_external_id_of_deleted_contract_rejected(self):
        soft_delete(make_contract(self.account, "Support", external_id="C-1"), self.owner)

        result = self.import_csv(CONTRACTS, "Contract ID,Name,Account\nC-1,Support 2027,Acme Corporation\n")

        self.assertEqual(
            self.error_texts(result),
            ['line 2, column Contract ID: the contract "Support" with external id C-1 is in Deleted items; '
             "restore it, then import this row again"],
        )
        self.assertFalse(result.written)
        self.assertEqual(Contract.all_objects.get(external_id="C-1").name, "Support")

    def test_repeated_name_rejected(self):
        result = self.import_csv(CONTRACTS, "Name,Account\nSupport,Acme Corporation\nsupport,Acme Corporation\n")

        self.assertEqual(
            self.error_texts(result),
            ["line 3, column Name: line 2 has the same contract name at the same account"],
        )

    def test_owner_column(self):
        self.import_csv(CONTRACTS, "Name,Account,Contract owner\nSupport,Acme Corporation,bob\n")

        self.assertEqual(Contract.objects.get().owner, self.owner)

    def test_account_by_external_id(self):
        make_account("Globex", external_id="0015g000001")

        self.import_csv(CONTRACTS, "Name,Account ID\nSupport,0015g000001\n")

        self.assertEqual(Contract.objects.get().account.name, "Globex")
