"""Export every list, import the files into an instance without accounts, and find the same records.

Users and stages stay, as they would in a new instance set up with the same
people and stages. Everything that belongs to accounts is deleted between
the export and the import.
"""

import datetime
import io
from decimal import Decimal

from django.test import TestCase

from accountwise.accounts.models import Account, AccountStatus, AccountType, Contact, ContactRole
from accountwise.contracts.models import Contract, ContractStatus
from accountwise.opportunities.models import Opportunity
from accountwise.test import make_account, make_contact, make_contract, make_opportunity, make_user, stage
from accountwise.transfer.export.lists import ACCOUNTS, CONTACTS, CONTRACTS, OPPORTUNITIES, Export
from accountwise.transfer.export.rows import account_list_rows, contact_rows, contract_rows, opportunity_rows
from accountwise.transfer.export.writers import write_csv, write_xlsx
from accountwise.transfer.importers import run_import
from accountwise.transfer.mapping import map_columns
from accountwise.transfer.readers import read_table
from accountwise.transfer.tests.support import TemporaryFolderMixin


def _accounts() -> list[tuple]:
    return sorted(
        (a.name, a.type, a.status, a.owner_id, a.industry, a.country, a.parent.name if a.parent else None, a.external_id)
        for a in Account.objects.select_related("parent")
    )


def _contacts() -> list[tuple]:
    return sorted(
        (c.account.name, c.first_name, c.last_name, c.job_title, c.email, c.phone, c.is_key_player, c.role,
         c.reports_to.full_name if c.reports_to else None, c.external_id)
        for c in Contact.objects.select_related("account", "reports_to")
    )


def _contracts() -> list[tuple]:
    return sorted(
        (c.account.name, c.name, c.value, c.start_date, c.end_date, c.status, c.owner_id, c.external_id)
        for c in Contract.objects.select_related("account")
    )


def _opportunities() -> list[tuple]:
    return sorted(
        (o.account.name, o.name, o.stage_id, o.value, o.close_date, o.owner_id, o.external_id)
        for o in Opportunity.objects.select_related("account")
    )


class RoundTripTests(TemporaryFolderMixin, TestCase):
    def setUp(self):
        super().setUp()
        self.kim = make_user("kim", first_name="Kim", last_name="Ødegård")
        self.lee = make_user("lee", first_name="Lee", last_name="Wong")
        group = make_account("Globex Group", owner=self.kim, type=AccountType.STRATEGIC, industry="Energy",
                             country="Norway", external_id="A-1")
        self.globex = make_account("Globex Europe", owner=self.lee, parent=group, industry="Energie", country="España")
        self.formula = make_account("=SUM(A1) Ltd", industry="-minus", country="@home")
        make_account("Old Partner", status=AccountStatus.ARCHIVED)

        grace = make_contact(self.globex, "Hopper", first_name="Grace", email="grace@globex.example", phone="+47 22 00 00 00",
                             job_title="CTO", is_key_player=True, role=ContactRole.DECISION_MAKER, external_id="C-9")
        make_contact(self.globex, "Ødegård", first_name="Åse", job_title="Buyer – EMEA", reports_to=grace)
        make_contact(self.formula, "=Lovelace", first_name="+Ada", role=ContactRole.CHAMPION)

        make_contract(self.globex, "Support 2026", value=Decimal("12500.50"), start_date=datetime.date(2026, 1, 1),
                      end_date=datetime.date(2026, 12, 31), owner=self.kim, external_id="K-1")
        make_contract(self.globex, "Licences", value=None, status=ContractStatus.ARCHIVED)
        make_contract(self.formula, "-Discount deal", value=Decimal("0.00"), end_date=datetime.date(2027, 3, 1))

        make_opportunity(self.globex, "Renewal 2027", value=Decimal("99999.99"), stage=stage("Proposal"),
                         close_date=datetime.date(2027, 6, 30), owner=self.lee)
        make_opportunity(self.globex, "Upsell ✓", value=Decimal("1.00"), stage=stage("won"), external_id="O-7")
        make_opportunity(self.formula, "=1+1", value=Decimal("0.00"), stage=stage("lost"))
        make_opportunity(self.formula, "Pilot", stage=stage("on_hold"))

    def round_trip(self, file_format: str, definition, rows, entity: str, snapshot) -> None:
        accounts_file = self.export(Export(ACCOUNTS, account_list_rows(Account.objects.all(), {"status": "all"}, user=None)), file_format)
        entity_file = self.export(Export(definition, rows), file_format) if definition is not ACCOUNTS else None
        before_accounts, before = _accounts(), snapshot()

        Account.objects.all().delete()
        self.import_file(accounts_file, "accounts")
        if entity_file is not None:
            self.import_file(entity_file, entity)

        self.assertEqual(_accounts(), before_accounts)
        self.assertEqual(snapshot(), before)

    def export(self, export: Export, file_format: str):
        buffer = io.BytesIO()
        (write_csv if file_format == "csv" else write_xlsx)(export, buffer)
        return self.write_file(f"{export.definition.name}.{file_format}", buffer.getvalue())

    def import_file(self, path, entity: str) -> None:
        table = read_table(path)
        result = run_import(table, map_columns(table.headers, entity))
        self.assertEqual(result.errors, [], f"{entity} import errors")

    def test_accounts_csv(self):
        self.round_trip("csv", ACCOUNTS, None, "accounts", _accounts)

    def test_accounts_xlsx(self):
        self.round_trip("xlsx", ACCOUNTS, None, "accounts", _accounts)

    def test_contacts_csv(self):
        self.round_trip("csv", CONTACTS, contact_rows(Contact.objects.all()), "contacts", _contacts)

    def test_contacts_xlsx(self):
        self.round_trip("xlsx", CONTACTS, contact_rows(Contact.objects.all()), "contacts", _contacts)

    def test_contracts_csv(self):
        self.round_trip("csv", CONTRACTS, contract_rows(Contract.objects.all(), "all"), "contracts", _contracts)

    def test_contracts_xlsx(self):
        self.round_trip("xlsx", CONTRACTS, contract_rows(Contract.objects.all(), "all"), "contracts", _contracts)

    def test_opportunities_csv(self):
        self.round_trip("csv", OPPORTUNITIES, opportunity_rows(Opportunity.objects.all(), "all"), "opportunities", _opportunities)

    def test_opportunities_xlsx(self):
        self.round_trip("xlsx", OPPORTUNITIES, opportunity_rows(Opportunity.objects.all(), "all"), "opportunities", _opportunities)

    def test_section_export_imports_back(self):
        rows = opportunity_rows(self.globex.opportunities.all(), "active")
        path = self.export(Export(OPPORTUNITIES, rows, subject=self.globex.name), "csv")
        expected = [row for row in _opportunities() if row[0] == "Globex Europe" and row[1] == "Renewal 2027"]
        Opportunity.objects.all().delete()

        self.import_file(path, "opportunities")

        self.assertEqual(_opportunities(), expected)
