"""A subsidiary whose parent account is hidden from the user under team-only visibility.

dave, the outsider, owns Acme Iberia, a subsidiary of Acme Corporation, which
only Acme's team may see. No page or file may name Acme Corporation to him or
link to it, so pages show "Not shared with you" where the parent would be.
"""

import csv
import io

from django.urls import reverse

from accountwise.accounts.forms import AccountForm
from accountwise.core.models import AccountVisibility
from accountwise.test import BaseTestCase, make_account

HIDDEN_NAME = "Acme Corporation"


class HiddenParentTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.subsidiary = make_account("Acme Iberia", owner=cls.outsider, parent=cls.account)
        cls.parent_url = reverse("accounts:detail", args=[cls.account.pk])

    def setUp(self):
        self.set_account_visibility(AccountVisibility.TEAM)
        self.login(self.outsider)

    def test_detail_page_hides_parent(self):
        response = self.client.get(reverse("accounts:detail", args=[self.subsidiary.pk]))

        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, HIDDEN_NAME)
        self.assertNotContains(response, f'href="{self.parent_url}"')
        self.assertContains(response, "Not shared with you", count=1)

    def test_other_tab_hides_parent_in_breadcrumb(self):
        response = self.client.get(reverse("accounts:contacts", args=[self.subsidiary.pk]))

        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, HIDDEN_NAME)
        self.assertNotContains(response, f'href="{self.parent_url}"')

    def test_shared_parent_is_linked(self):
        self.account.team_members.add(self.outsider)

        response = self.client.get(reverse("accounts:detail", args=[self.subsidiary.pk]))

        self.assertContains(response, f'<a href="{self.parent_url}">{HIDDEN_NAME}</a>', count=2)
        self.assertNotContains(response, "Not shared with you")

    def test_list_hides_parent(self):
        response = self.client.get(reverse("accounts:list"))

        self.assertContains(response, "Acme Iberia")
        self.assertNotContains(response, HIDDEN_NAME)
        self.assertContains(response, "Not shared with you", count=1)

    def test_list_query_count_is_unchanged(self):
        for number in range(3):
            make_account(f"Acme Unit {number}", owner=self.outsider, parent=self.account)

        # The same count as without hidden parents: the check is a subquery of the list's query.
        with self.assertNumQueries(8):
            self.client.get(reverse("accounts:list"))

    def test_export_leaves_parent_empty(self):
        response = self.client.get(reverse("transfer:export-accounts", args=["csv"]))

        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        self.assertEqual([row["Name"] for row in rows], ["Acme Iberia"])
        self.assertEqual(rows[0]["Parent"], "")

    def test_administrator_export_names_parent(self):
        self.login(self.admin)

        response = self.client.get(reverse("transfer:export-accounts", args=["csv"]))

        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        parents = {row["Name"]: row["Parent"] for row in rows}
        self.assertEqual(parents["Acme Iberia"], HIDDEN_NAME)

    def test_edit_form_keeps_parent_under_neutral_label(self):
        other = make_account("Beta", owner=self.outsider)

        form = AccountForm(instance=self.subsidiary, user=self.outsider)

        choices = [(str(value), label) for value, label in form.fields["parent"].choices]
        self.assertEqual(
            choices,
            [("", "None"), (str(self.account.pk), "Parent account not shared with you"), (str(other.pk), "Beta")],
        )

    def test_edit_page_hides_parent(self):
        response = self.client.get(reverse("accounts:edit", args=[self.subsidiary.pk]))

        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, HIDDEN_NAME)

    def test_edit_keeps_hidden_parent(self):
        data = {"name": "Acme Iberia", "owner": self.outsider.pk, "type": "normal", "parent": self.account.pk}

        form = AccountForm(data=data, instance=self.subsidiary, user=self.outsider)

        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.save().parent, self.account)

    def test_account_filter_offers_shared_groups_only(self):
        holding = make_account("Initech Group", owner=self.outsider)
        make_account("Initech Labs", owner=self.outsider, parent=holding)

        response = self.client.get(reverse("portfolio:account-filter"))

        choices = [label for _, label in response.context["filter"].form.fields["parent"].choices]
        self.assertEqual(choices, ["Any parent", "Initech Group"])
        self.assertNotContains(response, HIDDEN_NAME)

    def test_hidden_parent_in_stored_filter_shows_no_chip(self):
        session = self.client.session
        session["account_filter"] = {"parent": [str(self.account.pk)]}
        session.save()

        response = self.client.get(reverse("accounts:list"))

        self.assertNotContains(response, HIDDEN_NAME)
