import datetime
from decimal import Decimal

from django.urls import reverse

from accountwise.accounts.forms import AccountForm, ContactForm
from accountwise.contracts.forms import ContractForm
from accountwise.core.concurrency import (
    EditConflict,
    save_or_show_conflict,
    save_unless_changed,
    version_of,
)
from accountwise.opportunities.forms import OpportunityForm
from accountwise.plans.forms import PlanForm
from accountwise.test import BaseTestCase, make_contact, make_contract, make_opportunity, make_plan, stage


def _opened_form_data(form) -> dict:
    """Return what the browser posts for an untouched form: every field's initial value."""
    data = {}
    for name, bound in form.fields.items():
        value = form[name].value()
        if value is None:
            value = ""
        if isinstance(value, (list, tuple)):
            data[name] = [str(item) for item in value]
        else:
            data[name] = value
    return data


class AccountEditConflictTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("accounts:edit", args=[self.account.pk])
        self.opened = _opened_form_data(AccountForm(instance=self.account))

    def test_second_save_shows_conflict(self):
        self.login(self.owner)
        first = self.client.post(self.url, {**self.opened, "industry": "Aerospace"})
        self.login(self.teammate)

        second = self.client.post(self.url, {**self.opened, "industry": "Shipping", "country": "Norway"})

        self.assertRedirects(first, self.account.get_absolute_url())
        self.assertEqual(second.status_code, 200)
        self.assertContains(second, "Someone else changed this record while you were editing it")
        self.assertContains(second, "Bob saved it on")
        self.assertContains(
            second, "<tr><th scope=\"row\" class=\"fw-normal\">Industry</th><td>Aerospace</td>"
            "<td class=\"fw-semibold\">Shipping</td></tr>", html=True,
        )
        self.assertContains(second, 'value="Shipping"')
        self.assertContains(second, 'value="Norway"')
        self.account.refresh_from_db()
        self.assertEqual(self.account.industry, "Aerospace")
        self.assertEqual(self.account.country, "")

    def test_save_anyway_overwrites(self):
        self.login(self.owner)
        self.client.post(self.url, {**self.opened, "industry": "Aerospace"})
        self.login(self.teammate)
        conflict = self.client.post(self.url, {**self.opened, "industry": "Shipping"})

        response = self.client.post(
            self.url,
            {**self.opened, "industry": "Shipping", "overwrite_version": conflict.context["form"].conflict["version"]},
        )

        self.assertRedirects(response, self.account.get_absolute_url())
        self.account.refresh_from_db()
        self.assertEqual(self.account.industry, "Shipping")

    def test_plain_save_after_conflict_still_warns(self):
        self.login(self.owner)
        self.client.post(self.url, {**self.opened, "industry": "Aerospace"})
        self.login(self.teammate)
        self.client.post(self.url, {**self.opened, "industry": "Shipping"})

        again = self.client.post(self.url, {**self.opened, "industry": "Shipping"})

        self.assertContains(again, "Someone else changed this record")
        self.account.refresh_from_db()
        self.assertEqual(self.account.industry, "Aerospace")

    def test_save_anyway_conflicts_after_third_change(self):
        self.login(self.owner)
        self.client.post(self.url, {**self.opened, "industry": "Aerospace"})
        self.login(self.teammate)
        conflict = self.client.post(self.url, {**self.opened, "industry": "Shipping"})
        seen = conflict.context["form"].conflict["version"]
        self.login(self.admin)
        self.client.post(self.url, {**self.opened, "version": seen, "industry": "Mining"})
        self.login(self.teammate)

        response = self.client.post(self.url, {**self.opened, "industry": "Shipping", "overwrite_version": seen})

        self.assertContains(response, "Alice saved it on")
        self.account.refresh_from_db()
        self.assertEqual(self.account.industry, "Mining")

    def test_team_change_shown_by_name(self):
        self.login(self.owner)
        self.client.post(self.url, {**self.opened, "team_members": [self.teammate.pk, self.outsider.pk]})
        self.login(self.teammate)

        response = self.client.post(self.url, {**self.opened, "description": "Mine"})

        self.assertContains(response, "<td>Charlie, Dave</td>", html=True)
        self.assertContains(response, '<td class="fw-semibold">Charlie</td>', html=True)

    def test_unchanged_version_saves(self):
        self.login(self.owner)

        response = self.client.post(self.url, {**self.opened, "industry": "Aerospace"})

        self.assertRedirects(response, self.account.get_absolute_url())
        self.account.refresh_from_db()
        self.assertEqual(self.account.industry, "Aerospace")


class ContactEditConflictTests(BaseTestCase):
    def test_second_save_shows_conflict(self):
        contact = make_contact(self.account, "Doe", job_title="Buyer")
        url = reverse("accounts:contact-edit", args=[contact.pk])
        opened = _opened_form_data(ContactForm(instance=contact))
        self.login(self.owner)
        self.client.post(url, {**opened, "job_title": "Head of buying"})
        self.login(self.teammate)

        response = self.client.post(url, {**opened, "job_title": "Chief buyer"})

        self.assertContains(response, "Someone else changed this record")
        self.assertContains(response, "<td>Head of buying</td>", html=True)
        self.assertContains(response, 'value="Chief buyer"')
        contact.refresh_from_db()
        self.assertEqual(contact.job_title, "Head of buying")


class ContractEditConflictTests(BaseTestCase):
    def test_second_save_shows_money_and_choices_by_label(self):
        contract = make_contract(self.account, "Support", value=Decimal("1000.00"))
        url = reverse("contracts:edit", args=[contract.pk])
        opened = _opened_form_data(ContractForm(instance=contract, user=self.owner))
        self.login(self.owner)
        self.client.post(url, {**opened, "value": "2500.00", "status": "archived"})
        self.login(self.teammate)

        response = self.client.post(url, {**opened, "value": "3000"})

        self.assertContains(response, "<td>$2,500.00</td>", html=True)
        self.assertContains(response, '<td class="fw-semibold">$3,000.00</td>', html=True)
        self.assertContains(response, "<td>Archived</td>", html=True)
        self.assertContains(response, 'value="3000"')
        contract.refresh_from_db()
        self.assertEqual(contract.value, Decimal("2500.00"))


class OpportunityEditConflictTests(BaseTestCase):
    def setUp(self):
        self.opportunity = make_opportunity(self.account, "Renewal")

    def test_second_save_shows_conflict(self):
        url = reverse("opportunities:edit", args=[self.opportunity.pk])
        opened = _opened_form_data(OpportunityForm(instance=self.opportunity, user=self.owner))
        self.login(self.owner)
        self.client.post(url, {**opened, "stage": stage("won").pk})
        self.login(self.teammate)

        response = self.client.post(url, {**opened, "name": "Renewal 2027"})

        self.assertContains(response, "Someone else changed this record")
        self.assertContains(response, "<td>Closed won</td>", html=True)
        self.assertContains(response, 'value="Renewal 2027"')
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.name, "Renewal")
        self.assertEqual(self.opportunity.stage, stage("won"))

    def test_quick_update_conflict_keeps_typed_value(self):
        url = reverse("opportunities:quick-update", args=[self.opportunity.pk])
        opened = {"stage": self.opportunity.stage_id, "value": "1000.00", "version": version_of(self.opportunity)}
        self.login(self.owner)
        self.client.post(url, {**opened, "value": "1500"}, headers={"HX-Request": "true"})
        self.login(self.teammate)

        response = self.client.post(url, {**opened, "value": "1800"}, headers={"HX-Request": "true"})

        self.assertContains(response, "Bob changed this opportunity")
        self.assertContains(response, "Save my version anyway")
        self.assertContains(response, 'value="1800"')
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.value, Decimal("1500.00"))

        seen = response.context["form"].conflict["version"]
        self.client.post(url, {**opened, "value": "1800", "overwrite_version": seen}, headers={"HX-Request": "true"})
        self.opportunity.refresh_from_db()
        self.assertEqual(self.opportunity.value, Decimal("1800.00"))


class PlanEditConflictTests(BaseTestCase):
    def test_second_save_shows_conflict(self):
        plan = make_plan(self.account, "Grow", due_date=datetime.date(2027, 3, 31))
        url = reverse("plans:edit", args=[plan.pk])
        opened = _opened_form_data(PlanForm(instance=plan, user=self.owner))
        self.login(self.owner)
        self.client.post(url, {**opened, "due_date": "2027-06-30"})
        self.login(self.teammate)

        response = self.client.post(url, {**opened, "objective": "Double the business."})

        self.assertContains(response, "Someone else changed this record")
        self.assertContains(response, "<td>Jun 30, 2027</td>", html=True)
        self.assertContains(response, "Double the business.")
        plan.refresh_from_db()
        self.assertEqual(plan.objective, "Grow the account.")


class SaveUnlessChangedTests(BaseTestCase):
    def test_one_of_two_saves_of_a_version_wins(self):
        opened = _opened_form_data(AccountForm(instance=self.account))
        first = AccountForm({**opened, "industry": "Aerospace"}, instance=self.account)
        second = AccountForm({**opened, "industry": "Shipping"}, instance=type(self.account).objects.get(pk=self.account.pk))
        self.assertTrue(first.is_valid())
        self.assertTrue(second.is_valid())

        save_unless_changed(first, first.save)
        with self.assertRaises(EditConflict) as raised:
            save_unless_changed(second, second.save)

        self.assertEqual(raised.exception.stored.industry, "Aerospace")
        self.account.refresh_from_db()
        self.assertEqual(self.account.industry, "Aerospace")

    def test_failed_save_releases_the_version(self):
        opened = _opened_form_data(AccountForm(instance=self.account))
        form = AccountForm({**opened, "industry": "Aerospace"}, instance=self.account)
        self.assertTrue(form.is_valid())

        saved = save_or_show_conflict(form, lambda: False)

        self.assertFalse(saved)
        self.account.refresh_from_db()
        self.assertEqual(version_of(self.account), opened["version"])
