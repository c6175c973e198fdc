import datetime
from decimal import Decimal

from django.urls import reverse

from accountwise.accounts.models import Contact
from accountwise.history.entries import account_sources, history_page
from accountwise.history.tests.support import count_page_queries
from accountwise.opportunities.models import StageChange
from accountwise.test import (
    BaseTestCase,
    make_contact,
    make_contract,
    make_opportunity,
    make_plan,
    make_plan_action,
    stage,
)


def _entries(account):
    return history_page(account_sources(account), 1, "USD").object_list


def _change(entry, label):
    return next((change.old, change.new) for change in entry.changes if change.label == label)


class HistoryEntriesTests(BaseTestCase):
    def setUp(self):
        self.login(self.owner)

    def test_account_edit_records_who_and_values(self):
        url = reverse("accounts:edit", args=[self.account.pk])
        self.client.post(url, {
            "name": "Acme Corporation", "owner": self.owner.pk, "team_members": [self.teammate.pk],
            "type": "strategic", "industry": "Aerospace",
        })

        entry = _entries(self.account)[0]

        self.assertEqual(entry.action, "Changed")
        self.assertEqual(entry.user, self.owner)
        self.assertEqual(entry.kind, "Account")
        self.assertEqual(_change(entry, "Type"), ("Normal", "Strategic"))
        self.assertEqual(_change(entry, "Industry"), ("—", "Aerospace"))

    def test_team_change_recorded(self):
        url = reverse("accounts:edit", args=[self.account.pk])
        self.client.post(url, {
            "name": "Acme Corporation", "owner": self.owner.pk,
            "team_members": [self.teammate.pk, self.outsider.pk], "type": "normal",
        })

        entry = _entries(self.account)[0]

        self.assertEqual(entry.user, self.owner)
        self.assertEqual(_change(entry, "Team members"), ("Charlie", "Charlie, Dave"))

    def test_contact_create_edit_delete(self):
        contact = make_contact(self.account, "Doe", job_title="Buyer")
        self.client.post(reverse("accounts:contact-edit", args=[contact.pk]), {
            "first_name": "Pat", "last_name": "Doe", "job_title": "Head of buying",
        })
        self.client.post(reverse("accounts:contact-delete", args=[contact.pk]))

        deleted, changed, created = _entries(self.account)[:3]

        self.assertEqual((created.action, created.record), ("Created", "Pat Doe"))
        self.assertEqual(changed.user, self.owner)
        self.assertEqual(_change(changed, "Job title"), ("Buyer", "Head of buying"))
        self.assertEqual((deleted.action, deleted.user), ("Deleted", self.owner))
        self.assertIsNone(deleted.url)

    def test_contract_money_and_owner_by_name(self):
        contract = make_contract(self.account, "Support", value=Decimal("1000.00"))
        self.client.post(reverse("contracts:edit", args=[contract.pk]), {
            "name": "Support", "value": "2,500.00", "owner": self.teammate.pk, "status": "active",
        })

        entry = _entries(self.account)[0]

        self.assertEqual(entry.user, self.owner)
        self.assertEqual(entry.url, contract.get_absolute_url())
        self.assertEqual(_change(entry, "Value"), ("$1,000.00", "$2,500.00"))
        self.assertEqual(_change(entry, "Owner"), ("—", "Charlie"))

    def test_opportunity_stage_by_name_and_soft_delete(self):
        opportunity = make_opportunity(self.account, "Renewal")
        self.client.post(
            reverse("opportunities:quick-update", args=[opportunity.pk]),
            {"stage": stage("won").pk, "value": "1000.00"},
            headers={"HX-Request": "true"},
        )
        self.client.post(reverse("opportunities:delete", args=[opportunity.pk]))

        deleted, changed = _entries(self.account)[:2]

        self.assertEqual(_change(changed, "Stage"), ("Proposal", "Closed won"))
        self.assertEqual((deleted.action, deleted.user, deleted.url), ("Deleted", self.owner, None))

    def test_plan_and_action_changes(self):
        plan = make_plan(self.account, "Grow", due_date=datetime.date(2027, 3, 31))
        make_plan_action(plan, "Call the buyer")
        self.client.post(reverse("plans:edit", args=[plan.pk]), {
            "name": "Grow", "objective": "Grow the account.", "status": "active",
            "due_date": "2027-06-30",
        })

        entries = _entries(self.account)

        self.assertEqual(_change(entries[0], "Status"), ("Draft", "Active"))
        self.assertEqual(_change(entries[0], "Due date"), ("Mar 31, 2027", "Jun 30, 2027"))
        self.assertEqual((entries[1].kind, entries[1].record), ("Plan action", "Call the buyer"))
        self.assertEqual(entries[1].url, plan.get_absolute_url())

    def test_custom_fields_diffed_per_key(self):
        contact = make_contact(self.account, "Doe", custom_fields={"region": "North", "tier": "A"})
        contact.custom_fields = {"region": "South", "tier": "A"}
        contact.save()

        entry = _entries(self.account)[0]

        self.assertEqual([change.label for change in entry.changes], ["Region"])
        self.assertEqual(_change(entry, "Region"), ("North", "South"))

    def test_other_accounts_left_out(self):
        other = type(self.account).objects.create(name="Globex")
        make_contact(other, "Elsewhere")

        records = [entry.record for entry in _entries(self.account)]

        self.assertNotIn("Pat Elsewhere", records)
        self.assertNotIn("Globex", records)


class StageChangeTests(BaseTestCase):
    def test_quick_update_records_stage_change(self):
        opportunity = make_opportunity(self.account, "Renewal")
        self.login(self.teammate)

        self.client.post(
            reverse("opportunities:quick-update", args=[opportunity.pk]),
            {"stage": stage("won").pk, "value": "1000.00"},
            headers={"HX-Request": "true"},
        )

        change = StageChange.objects.filter(opportunity=opportunity).latest("changed_at")
        self.assertEqual((change.from_stage, change.to_stage), (stage("Proposal"), stage("won")))
        self.assertEqual(change.changed_by, self.teammate)


class HistoryTabPageTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("accounts:history", args=[self.account.pk])
        self.login(self.owner)

    def test_everyone_may_view(self):
        for user in (self.outsider, self.teammate, self.owner, self.admin):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_lists_entries_with_links(self):
        contract = make_contract(self.account, "Support")

        response = self.client.get(self.url)

        self.assertContains(response, f'<a href="{contract.get_absolute_url()}">Support</a>', html=True)
        self.assertContains(response, "<title>History · Acme Corporation")

    def test_empty_state(self):
        Contact.history.all().delete()
        type(self.account).history.all().delete()

        response = self.client.get(self.url)

        self.assertContains(response, "No changes recorded yet.")

    def test_paginated_newest_first(self):
        for number in range(30):
            make_contact(self.account, f"Person{number:02d}")

        first = self.client.get(self.url)
        second = self.client.get(self.url, {"page": 2})

        self.assertContains(first, "Person29")
        self.assertNotContains(first, "Person03")
        self.assertContains(first, "Page 1 of 2")
        self.assertContains(second, "Person03")

    def test_fixed_queries_few_and_many(self):
        def fill(count):
            # Each round changes one record of every kind, so every kind shows on the first page.
            for number in range(count):
                plan = make_plan(self.account, f"Plan {number}")
                make_plan_action(plan, f"Action {number}")
                opportunity = make_opportunity(self.account, f"Opportunity {number}")
                opportunity.stage = stage("won")
                opportunity.save()
                contract = make_contract(self.account, f"Contract {number}", owner=self.teammate)
                contract.value = Decimal("5.00")
                contract.save()
                contact = make_contact(self.account, f"Person{number}")
                contact.job_title = "Buyer"
                contact.save()
                self.account.industry = f"Industry {number}"
                self.account.save()

        self.client.get(self.url)
        fill(1)
        self.assertEqual(count_page_queries(self.client, self.url), 27)
        fill(10)
        self.assertEqual(count_page_queries(self.client, self.url), 27)


class RecordHistoryCardTests(BaseTestCase):
    def test_detail_pages_show_history(self):
        self.login(self.owner)
        contract = make_contract(self.account, "Support")
        opportunity = make_opportunity(self.account, "Renewal")
        contact = make_contact(self.account, "Doe")
        plan = make_plan(self.account, "Grow")

        for record in (contract, opportunity, contact, plan):
            with self.subTest(record=str(record)):
                response = self.client.get(record.get_absolute_url())
                self.assertContains(response, '<h2 class="h6 mb-0"><i class="bi bi-clock-history"></i> History</h2>', html=True)
                self.assertContains(response, "Created")

    def test_record_card_leaves_out_others(self):
        self.login(self.owner)
        contract = make_contract(self.account, "Support")
        make_contract(self.account, "Hosting")

        response = self.client.get(contract.get_absolute_url())

        self.assertNotContains(response, ">Hosting<")
