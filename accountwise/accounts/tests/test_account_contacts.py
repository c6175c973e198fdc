from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountwise.accounts.models import AccountStatus, ContactRole
from accountwise.core.models import Organisation
from accountwise.test import BaseTestCase, make_contact


class AccountContactsTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("accounts:contacts", args=[self.account.pk])
        self.login(self.owner)

    def test_everyone_may_view(self):
        make_contact(self.account, "Coyote")
        for user in (self.outsider, self.teammate, self.owner, self.admin):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url)
                self.assertContains(response, "Pat Coyote")

    def test_missing_account_not_found(self):
        response = self.client.get(reverse("accounts:contacts", args=[9999]))

        self.assertEqual(response.status_code, 404)

    def test_lists_contact_details(self):
        boss = make_contact(self.account, "Coyote", first_name="Wile")
        make_contact(
            self.account, "Runner", first_name="Road", job_title="Head of Procurement",
            email="road@acme.example", phone="+1 555 0100", is_key_player=True,
            role=ContactRole.CHAMPION, reports_to=boss,
        )

        response = self.client.get(self.url)

        self.assertContains(response, "Head of Procurement")
        self.assertContains(response, '<a href="mailto:road@acme.example">road@acme.example</a>', html=True)
        self.assertContains(response, "+1 555 0100")
        self.assertContains(response, "Champion")
        self.assertContains(response, "Key player</span>", count=1)
        self.assertContains(response, f'href="#contact-{boss.pk}">Wile Coyote</a>')

    def test_empty_state_offers_add(self):
        response = self.client.get(self.url)

        self.assertContains(response, "No contacts yet")
        self.assertContains(response, reverse("accounts:contact-create", args=[self.account.pk]))

    def test_outsider_sees_no_changes(self):
        contact = make_contact(self.account)
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertNotContains(response, reverse("accounts:contact-create", args=[self.account.pk]))
        self.assertNotContains(response, reverse("accounts:contact-edit", args=[contact.pk]))
        self.assertNotContains(response, reverse("accounts:contact-delete", args=[contact.pk]))

    def test_archived_account_read_only(self):
        contact = make_contact(self.account)
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()

        response = self.client.get(self.url)

        self.assertNotContains(response, reverse("accounts:contact-create", args=[self.account.pk]))
        self.assertNotContains(response, reverse("accounts:contact-edit", args=[contact.pk]))

    def test_queries_independent_of_contacts(self):
        Organisation.get()  # Created on first use; a fresh database has none yet.
        boss = make_contact(self.account)

        with CaptureQueriesContext(connection) as small:
            self.client.get(self.url)

        for _ in range(10):
            make_contact(self.account, reports_to=boss)

        with self.assertNumQueries(len(small)):
            self.client.get(self.url)
