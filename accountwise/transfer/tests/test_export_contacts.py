from django.urls import reverse

from accountwise.accounts.models import ContactRole
from accountwise.core.models import Organisation
from accountwise.test import BaseTestCase, make_account, make_contact
from accountwise.transfer.tests.export_support import column, content_of, csv_rows, xlsx_values


def _url(account, file_format: str = "csv") -> str:
    return reverse("transfer:export-contacts", args=[account.pk, file_format])


class ExportContactsTests(BaseTestCase):
    def setUp(self):
        Organisation.get()
        self.login(self.owner)

    def test_rows_equal_contacts_tab(self):
        for last_name, first_name in [("Zeta", "Ann"), ("Alpha", "Ben"), ("Alpha", "Amy")]:
            make_contact(self.account, last_name, first_name=first_name)
        make_contact(make_account("Globex"), "Other")
        tab = self.client.get(reverse("accounts:contacts", args=[self.account.pk]))
        tab_names = [contact.last_name for contact in tab.context["contacts"]]

        for file_format, reader in (("csv", csv_rows), ("xlsx", xlsx_values)):
            with self.subTest(file_format=file_format):
                response = self.client.get(_url(self.account, file_format))

                self.assertEqual(column(reader(content_of(response)), "Last name"), tab_names)

    def test_row_values(self):
        boss = make_contact(self.account, "Coyote", first_name="Wile")
        make_contact(
            self.account, "Runner", first_name="Road", job_title="Buyer", email="road@example.com",
            phone="+1 555 0100", is_key_player=True, role=ContactRole.DECISION_MAKER,
            reports_to=boss, external_id="P-9",
        )

        rows = csv_rows(content_of(self.client.get(_url(self.account))))

        self.assertEqual(rows[2], [
            "Acme Corporation", "Road", "Runner", "Buyer", "road@example.com", "'+1 555 0100",
            "Yes", "Decision maker", "Wile Coyote", "P-9",
        ])

    def test_access_for_every_role(self):
        for user in (self.outsider, self.teammate, self.owner, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(_url(self.account))

                self.assertEqual(response.status_code, 200)

    def test_missing_account_not_found(self):
        response = self.client.get(reverse("transfer:export-contacts", args=[999999, "csv"]))

        self.assertEqual(response.status_code, 404)

    def test_query_count_constant(self):
        for total in (5, 50):
            for _ in range(total - self.account.contacts.count()):
                make_contact(self.account, reports_to=self.account.contacts.first())
            with self.subTest(total=total):
                # Session, user, account, custom-field definitions, organisation, then one query
                # for all the rows.
                with self.assertNumQueries(6):
                    data = content_of(self.client.get(_url(self.account)))
                self.assertEqual(len(csv_rows(data)), 1 + total)
