import datetime

from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accountwise.accounts.models import Account
from accountwise.contracts.models import Contract
from accountwise.history.deletion import purge_deleted, soft_delete
from accountwise.history.tests.support import count_page_queries
from accountwise.opportunities.models import Opportunity
from accountwise.test import BaseTestCase, make_contact, make_contract, make_opportunity, make_plan, stage


class SoftDeleteTests(BaseTestCase):
    def setUp(self):
        self.contract = make_contract(self.account, "Support")
        self.opportunity = make_opportunity(self.account, "Renewal")

    def test_contract_delete_hides_and_offers_undo(self):
        self.login(self.owner)

        response = self.client.post(reverse("history:delete", args=["contract", self.contract.pk]), follow=True)

        self.assertContains(response, "Contract Support deleted.")
        self.assertContains(response, reverse("history:restore", args=["contract", self.contract.pk]))
        self.assertFalse(Contract.objects.filter(pk=self.contract.pk).exists())
        stored = Contract.all_objects.get(pk=self.contract.pk)
        self.assertEqual(stored.deleted_by, self.owner)
        self.assertEqual(self.client.get(self.contract.get_absolute_url()).status_code, 404)

    def test_undo_by_the_deleting_user(self):
        self.login(self.owner)
        self.client.post(reverse("history:delete", args=["contract", self.contract.pk]))

        response = self.client.post(reverse("history:restore", args=["contract", self.contract.pk]))

        self.assertRedirects(response, self.contract.get_absolute_url())
        self.assertTrue(Contract.objects.filter(pk=self.contract.pk).exists())

    def test_other_member_may_not_restore(self):
        soft_delete(self.contract, self.owner)
        self.login(self.teammate)

        response = self.client.post(reverse("history:restore", args=["contract", self.contract.pk]))

        self.assertEqual(response.status_code, 404)
        self.assertFalse(Contract.objects.filter(pk=self.contract.pk).exists())

    def test_outsider_may_not_delete(self):
        self.login(self.outsider)

        response = self.client.post(reverse("history:delete", args=["contract", self.contract.pk]))

        self.assertEqual(response.status_code, 403)
        self.assertTrue(Contract.objects.filter(pk=self.contract.pk).exists())

    def test_opportunity_delete_is_soft(self):
        self.login(self.owner)

        self.client.post(reverse("opportunities:delete", args=[self.opportunity.pk]))

        self.assertFalse(Opportunity.objects.filter(pk=self.opportunity.pk).exists())
        self.assertIsNotNone(Opportunity.all_objects.get(pk=self.opportunity.pk).deleted_at)

    def test_account_delete_hides_its_business_and_contacts(self):
        contact = make_contact(self.account, "Doe")
        self.login(self.owner)

        self.client.post(reverse("history:delete", args=["account", self.account.pk]))

        self.assertFalse(Account.objects.filter(pk=self.account.pk).exists())
        self.assertFalse(Contract.objects.filter(pk=self.contract.pk).exists())
        self.assertFalse(Opportunity.objects.filter(pk=self.opportunity.pk).exists())
        self.assertEqual(self.client.get(self.account.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.get(contact.get_absolute_url()).status_code, 404)

    def test_account_restore_brings_back_what_went_with_it(self):
        soft_delete(self.opportunity, self.owner)
        soft_delete(self.account, self.owner)
        self.login(self.admin)

        self.client.post(reverse("history:restore", args=["account", self.account.pk]))

        self.assertTrue(Account.objects.filter(pk=self.account.pk).exists())
        self.assertTrue(Contract.objects.filter(pk=self.contract.pk).exists())
        self.assertFalse(Opportunity.objects.filter(pk=self.opportunity.pk).exists())

    def test_deleted_account_name_stays_taken(self):
        # restore() relies on this: no live account can take the name, so restoring cannot clash.
        soft_delete(self.account, self.owner)

        with self.assertRaises(IntegrityError), transaction.atomic():
            Account.objects.create(name="ACME corporation")

        self.login(self.admin)
        self.client.post(reverse("history:restore", args=["account", self.account.pk]))
        self.assertTrue(Account.objects.filter(pk=self.account.pk).exists())

    def test_contract_of_deleted_account_not_restored_alone(self):
        soft_delete(self.account, self.owner)
        self.login(self.admin)

        response = self.client.post(reverse("history:restore", args=["contract", self.contract.pk]), follow=True)

        self.assertContains(response, "Restore the account first.")
        self.assertFalse(Contract.objects.filter(pk=self.contract.pk).exists())

    def test_deleted_rows_absent_from_totals_list_and_api(self):
        make_contract(self.account, "Hosting")
        soft_delete(self.contract, self.owner)
        soft_delete(self.opportunity, self.owner)
        self.login(self.owner)

        self.assertEqual(self.account.contracts.totals()["count"], 1)
        self.assertEqual(self.account.opportunities.totals()["count"], 0)
        page = self.client.get(self.account.get_absolute_url())
        self.assertNotContains(page, ">Support<")
        self.assertNotContains(page, ">Renewal<")
        api = self.client.get("/api/v1/contracts/")
        self.assertEqual([row["name"] for row in api.json()["results"]], ["Hosting"])
        self.assertEqual(self.client.get(f"/api/v1/opportunities/{self.opportunity.pk}/").status_code, 404)


class LinksToDeletedRecordsTests(BaseTestCase):
    """Pages that mention a record in Deleted items name it without a link, which would lead to a 404."""

    def test_won_opportunity_with_deleted_contract(self):
        opportunity = make_opportunity(self.account, "Won deal", stage=stage("won"))
        contract = make_contract(self.account, "From the deal", opportunity=opportunity)
        soft_delete(contract, self.owner)
        self.login(self.owner)

        response = self.client.get(
            reverse("opportunities:section", args=[self.account.pk]), {"opportunities": "all"}, headers={"HX-Request": "true"}
        )

        self.assertContains(response, "Its contract From the deal is in Deleted items")
        self.assertNotContains(response, contract.get_absolute_url())
        self.assertNotContains(response, reverse("opportunities:create-contract", args=[opportunity.pk]))

    def test_plan_based_on_deleted_contract(self):
        contract = make_contract(self.account, "Support")
        plan = make_plan(self.account, "Grow support", contract=contract)
        soft_delete(contract, self.owner)
        self.login(self.owner)

        response = self.client.get(plan.get_absolute_url())

        self.assertContains(response, "(contract, in Deleted items)")
        self.assertNotContains(response, contract.get_absolute_url())


class DeletedItemsPageTests(BaseTestCase):
    url = reverse("history:deleted-items")

    def test_administrators_only(self):
        for user in (self.owner, self.teammate, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_empty_state(self):
        self.login(self.admin)

        response = self.client.get(self.url)

        self.assertContains(response, "Nothing has been deleted in the last 30 days.")

    def test_lists_who_and_when_with_restore(self):
        contract = make_contract(self.account, "Support")
        soft_delete(contract, self.owner)
        self.login(self.admin)

        response = self.client.get(self.url)

        self.assertContains(response, "Support")
        self.assertContains(response, "<td>Bob</td>", html=True)
        self.assertContains(response, reverse("history:restore", args=["contract", contract.pk]))
        self.assertContains(response, 'href="/history/deleted/"')

    def test_fixed_queries(self):
        self.login(self.admin)
        self.client.get(self.url)
        soft_delete(make_contract(self.account), self.owner)
        soft_delete(make_opportunity(self.account), self.owner)
        self.assertEqual(count_page_queries(self.client, self.url), 7)
        for _ in range(5):
            soft_delete(make_contract(self.account), self.owner)
            soft_delete(make_opportunity(self.account), self.owner)
        self.assertEqual(count_page_queries(self.client, self.url), 7)


class PurgeTests(BaseTestCase):
    @override_settings(ACCOUNTWISE_DELETED_RETENTION_DAYS=30)
    def test_purges_only_past_retention(self):
        old = make_contract(self.account, "Old")
        recent = make_contract(self.account, "Recent")
        soft_delete(old, self.owner)
        soft_delete(recent, self.owner)
        Contract.all_objects.filter(pk=old.pk).update(deleted_at=timezone.now() - datetime.timedelta(days=31))

        counts = purge_deleted()

        self.assertEqual(counts["contract"], 1)
        self.assertFalse(Contract.all_objects.filter(pk=old.pk).exists())
        self.assertTrue(Contract.all_objects.filter(pk=recent.pk).exists())

    def test_command_reports_counts(self):
        from io import StringIO

        output = StringIO()
        call_command("purge_deleted", stdout=output)

        self.assertIn("0 contracts, 0 opportunities, 0 accounts", output.getvalue())
