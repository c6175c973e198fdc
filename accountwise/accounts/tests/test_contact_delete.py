from django.urls import reverse

from accountwise.accounts.models import AccountStatus, Contact
from accountwise.opportunities.models import Opportunity
from accountwise.test import BaseTestCase, make_contact, make_opportunity, make_opportunity_contact


class ContactDeleteTests(BaseTestCase):
    def setUp(self):
        self.contact = make_contact(self.account, "Coyote", first_name="Wile")
        self.url = reverse("accounts:contact-delete", args=[self.contact.pk])
        self.login(self.owner)

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        get = self.client.get(self.url)
        post = self.client.post(self.url)

        self.assertEqual(get.status_code, 403)
        self.assertEqual(post.status_code, 403)
        self.assertTrue(Contact.objects.filter(pk=self.contact.pk).exists())

    def test_team_and_admin_may_delete(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                contact = make_contact(self.account)
                self.login(user)
                url = reverse("accounts:contact-delete", args=[contact.pk])
                self.assertEqual(self.client.get(url).status_code, 200)
                self.client.post(url)
                self.assertFalse(Contact.objects.filter(pk=contact.pk).exists())

    def test_get_asks_confirmation(self):
        response = self.client.get(self.url)

        self.assertContains(response, "Delete Wile Coyote?")
        self.assertTrue(Contact.objects.filter(pk=self.contact.pk).exists())

    def test_confirmation_lists_reports(self):
        make_contact(self.account, "Runner", first_name="Road", reports_to=self.contact)

        response = self.client.get(self.url)

        self.assertContains(response, "<li>Road Runner</li>", html=True)

    def test_confirmation_counts_opportunities(self):
        for _ in range(2):
            make_opportunity_contact(make_opportunity(self.account), self.contact)

        response = self.client.get(self.url)

        self.assertContains(response, "Wile Coyote is on 2 opportunities and will be removed from them")

    def test_delete_removes_opportunity_links(self):
        opportunity = make_opportunity(self.account)
        make_opportunity_contact(opportunity, self.contact)

        self.client.post(self.url)

        self.assertFalse(opportunity.opportunity_contacts.exists())
        self.assertTrue(Opportunity.objects.filter(pk=opportunity.pk).exists())

    def test_post_deletes_and_redirects(self):
        response = self.client.post(self.url, follow=True)

        self.assertRedirects(response, reverse("accounts:contacts", args=[self.account.pk]))
        self.assertFalse(Contact.objects.filter(pk=self.contact.pk).exists())
        self.assertContains(response, "Contact Wile Coyote deleted.")

    def test_reports_lose_manager(self):
        report = make_contact(self.account, "Runner", reports_to=self.contact)

        self.client.post(self.url)

        report.refresh_from_db()
        self.assertIsNone(report.reports_to)

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()

        response = self.client.post(self.url)

        self.assertEqual(response.status_code, 302)
        self.assertTrue(Contact.objects.filter(pk=self.contact.pk).exists())
